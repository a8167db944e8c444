using System.Text.Json;
using System.Text.Json.Serialization;
using CitizenCrm.Core.Map.Feed;
using CitizenCrm.Core.Map.Moderation;
using CitizenCrm.Core.Map.ReporterNotices;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Timeline;
using CitizenCrm.Server.Hosting;
using Mediator;
using NetTopologySuite.Features;
using NetTopologySuite.IO.Converters;

namespace CitizenCrm.Server.Endpoints;

/// <summary>
/// The incident map's GeoJSON feeds (a public one without personal data, a staff one with the case's details), the
/// dispatchers' moderation of reports, and the reporters' status e-mails (a timeline listener).
/// </summary>
public static class MapFeedEndpoints
{
    /// <summary>RFC 7946 §12: GeoJSON's own media type.</summary>
    public const string GeoJson = "application/geo+json";

    public sealed record HideBody(string? Reason);

    // NetTopologySuite writes the geometry and the properties; the collection's foreign members are ours.
    private static readonly JsonSerializerOptions GeoJsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new GeoJsonConverterFactory() },
    };

    public static IServiceCollection AddMapFeed(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<MapFeedOptions>(configuration.GetSection("Map"));
        services.AddScoped<ITimelineListener, ReporterStatusNotices>();
        return services;
    }

    public static void MapMapFeedEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/public/map/incidents", async (string? status, string? service, string? bbox, string? from, string? to, string? lang, string? limit,
                IMediator m, CancellationToken ct) =>
                Write(await m.Send(new GetPublicMapIncidents(new MapFeedFilter(status, service, bbox, from, to, lang, limit)), ct)))
            .AllowAnonymous().WithTags("Map")
            .WithDescription("The reports on the public map as a GeoJSON FeatureCollection of Points (RFC 7946), newest first, without personal data. " +
                             "Filters: status=open|closed, service=code,code, bbox=west,south,east,north (WGS84), from/to=yyyy-MM-dd (registration date), " +
                             "lang=ro|en|hu, limit. At most Map:FeedMaxFeatures features; numberMatched and truncated say when there were more.")
            .Produces<IncidentFeatureCollection<PublicIncidentProperties>>(StatusCodes.Status200OK, GeoJson);

        api.MapGet("/map/incidents", async (string? status, string? service, string? bbox, string? from, string? to, string? lang, string? limit,
                IMediator m, CancellationToken ct) =>
                Write(await m.Send(new GetStaffMapIncidents(new MapFeedFilter(status, service, bbox, from, to, lang, limit)), ct)))
            .WithTags("Map")
            .WithDescription("Every report with a point, also those under review or hidden, with the case's details (audited: a read of citizen data). " +
                             "The same filters as /api/public/map/incidents.")
            .Produces<IncidentFeatureCollection<StaffIncidentProperties>>(StatusCodes.Status200OK, GeoJson)
            .AllowRoles(StaffRole.Clerk, StaffRole.Dispatcher, StaffRole.Supervisor);

        var reports = api.MapGroup("/map/reports").WithTags("Map moderation");
        StaffRole[] dispatchers = [StaffRole.Dispatcher, StaffRole.Supervisor];
        reports.MapPost("/{caseId:guid}/hide", async (Guid caseId, HideBody? body, IMediator m, CancellationToken ct) =>
                Results.Ok(await m.Send(new HideMapReport(caseId, body?.Reason), ct)))
            .WithDescription("Takes the report off the public map and feeds, with the reason (recorded on the case's timeline).")
            .Produces<MapReportModeration>().AllowRoles(dispatchers);
        reports.MapPost("/{caseId:guid}/show", async (Guid caseId, IMediator m, CancellationToken ct) =>
                Results.Ok(await m.Send(new ShowMapReport(caseId), ct)))
            .WithDescription("Puts a hidden report back on the public map.")
            .Produces<MapReportModeration>().AllowRoles(dispatchers);
        reports.MapPost("/{caseId:guid}/publish", async (Guid caseId, IMediator m, CancellationToken ct) =>
                Results.Ok(await m.Send(new PublishMapReport(caseId), ct)))
            .WithDescription("Publishes a report waiting for review (Map:TextPublicAtOnce = false).")
            .Produces<MapReportModeration>().AllowRoles(dispatchers);
    }

    private static IResult Write(MapIncidents feed) =>
        Results.Text(JsonSerializer.Serialize(new FeatureCollectionBody(feed.Features, feed.NumberMatched, feed.NumberReturned, feed.Limit, feed.Truncated), GeoJsonOptions),
            GeoJson, System.Text.Encoding.UTF8);

    private sealed record FeatureCollectionBody(IReadOnlyList<IFeature> Features, long NumberMatched, int NumberReturned, int Limit, bool Truncated)
    {
        [JsonPropertyOrder(-1)] public string Type => "FeatureCollection";
    }
}

// What the feeds answer, for the OpenAPI document (the body itself is written by NetTopologySuite's converters).

/// <summary>A GeoJSON FeatureCollection (RFC 7946 §3.3) with the counts as foreign members (OGC API - Features names).</summary>
public sealed record IncidentFeatureCollection<TProperties>(
    string Type, IReadOnlyList<IncidentFeature<TProperties>> Features, long NumberMatched, int NumberReturned, int Limit, bool Truncated);

/// <summary>One report: a Point at [longitude, latitude] (RFC 7946 §3.1.1) and its properties.</summary>
public sealed record IncidentFeature<TProperties>(string Type, IncidentPoint Geometry, TProperties Properties);

public sealed record IncidentPoint(string Type, IReadOnlyList<double> Coordinates);

public class PublicIncidentProperties
{
    /// <summary>The Open311 service_request_id: "2026-154" is registration 154/2026.</summary>
    [JsonPropertyName("id")] public string Id { get; init; } = "";
    [JsonPropertyName("service_code")] public string? ServiceCode { get; init; }
    [JsonPropertyName("service_name")] public string ServiceName { get; init; } = "";
    /// <summary>open or closed (Open311).</summary>
    [JsonPropertyName("status")] public string Status { get; init; } = "";
    /// <summary>ISO 8601 with the Europe/Bucharest offset.</summary>
    [JsonPropertyName("requested_datetime")] public string RequestedDatetime { get; init; } = "";
    [JsonPropertyName("updated_datetime")] public string UpdatedDatetime { get; init; } = "";
    [JsonPropertyName("address_string")] public string? AddressString { get; init; }
    /// <summary>The report's public page, /map/r/{id}.</summary>
    [JsonPropertyName("url")] public string Url { get; init; } = "";
    [JsonPropertyName("thumbnail_url")] public string? ThumbnailUrl { get; init; }
}

public sealed class StaffIncidentProperties : PublicIncidentProperties
{
    [JsonPropertyName("case_id")] public Guid CaseId { get; init; }
    [JsonPropertyName("registration_number")] public string RegistrationNumber { get; init; } = "";
    [JsonPropertyName("case_status")] public string CaseStatus { get; init; } = "";
    [JsonPropertyName("subject")] public string Subject { get; init; } = "";
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("department")] public string? Department { get; init; }
    [JsonPropertyName("assigned_to")] public string? AssignedTo { get; init; }
    [JsonPropertyName("priority")] public string Priority { get; init; } = "";
    [JsonPropertyName("due_on")] public string? DueOn { get; init; }
    [JsonPropertyName("possible_duplicate_of")] public DuplicateReference? PossibleDuplicateOf { get; init; }
    [JsonPropertyName("joined_to_case_id")] public Guid? JoinedToCaseId { get; init; }
    /// <summary>open311 or map_page.</summary>
    [JsonPropertyName("source")] public string Source { get; init; } = "";
    [JsonPropertyName("under_review")] public bool UnderReview { get; init; }
    [JsonPropertyName("hidden")] public bool Hidden { get; init; }
    [JsonPropertyName("hidden_at")] public string? HiddenAt { get; init; }
    [JsonPropertyName("hidden_by")] public string? HiddenBy { get; init; }
    [JsonPropertyName("hidden_reason")] public string? HiddenReason { get; init; }
    /// <summary>citizen, organisation, contact or anonymous.</summary>
    [JsonPropertyName("party_kind")] public string PartyKind { get; init; } = "";
    [JsonPropertyName("citizen_id")] public Guid? CitizenId { get; init; }
}

public sealed record DuplicateReference(
    [property: JsonPropertyName("case_id")] Guid CaseId, [property: JsonPropertyName("registration_number")] string RegistrationNumber);
