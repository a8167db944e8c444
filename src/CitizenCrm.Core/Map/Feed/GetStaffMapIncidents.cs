using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Dispatch;
using CitizenCrm.Core.Pipeline;
using CitizenCrm.Core.Storage;
using Mediator;
using Microsoft.Extensions.Options;

namespace CitizenCrm.Core.Map.Feed;

/// <summary>
/// The staff's GeoJSON feed: every report with a point, public or not — those waiting for review and those hidden too,
/// flagged — with the case's details: registration number, status, department and assignee, priority, term, a possible
/// duplicate, the moderation state, the party's kind and, for a citizen, their id (a read of citizen data: audited, one
/// row per citizen shown). The reporter's name and contact stay in the case (GET /api/cases/{id}).
/// </summary>
public sealed record GetStaffMapIncidents(MapFeedFilter Filter) : IPersonalDataQuery<MapIncidents>, IValidatable
{
    public void Validate(Validation v) => Filter.Check(v);
}

public sealed class GetStaffMapIncidentsHandler(UnitOfWork uow, IReportPhotos photos, IOptions<MapFeedOptions> options)
    : IQueryHandler<GetStaffMapIncidents, MapIncidents>
{
    private const string From = """
         FROM case_locations l
         JOIN map_reports r ON r.case_id = l.case_id
         JOIN cases c ON c.id = l.case_id
         LEFT JOIN service_categories sc ON sc.code = c.category_code
         LEFT JOIN cases d ON d.id = r.possible_duplicate_of
         WHERE l.latitude IS NOT NULL
        """;
    private const string Select = """
        SELECT c.id AS CaseId, c.year AS Year, c.number AS Number, c.category_code AS Service,
               sc.name AS NameRo, sc.name_en AS NameEn, sc.name_hu AS NameHu, c.status AS CaseStatus,
               c.registered_at AS RegisteredAt, c.updated_at AS UpdatedAt,
               l.latitude AS Latitude, l.longitude AS Longitude, l.address_string AS AddressString,
               c.subject AS Subject, c.description AS Description, COALESCE(c.assigned_department, sc.department) AS Department, c.assigned_to AS AssignedTo,
               c.priority AS Priority, c.due_on AS DueOn, c.party_kind AS PartyKind, c.citizen_id AS CitizenId,
               c.joined_to_case_id AS JoinedTo, r.source AS Source, r.public_text AS PublicText,
               r.hidden_at AS HiddenAt, r.hidden_by AS HiddenBy, r.hidden_reason AS HiddenReason,
               r.possible_duplicate_of AS DuplicateOf, d.number AS DuplicateNumber, d.year AS DuplicateYear
        """;
    private const string Order = " ORDER BY c.registered_at DESC, c.id ";

    /// <summary>The page's SQL (the tests read its plan: a bbox is a range on ix_case_locations_lat_lon).</summary>
    internal static string PageSql(MapFeedFilter filter, string limitClause) => Select + From + filter.Where() + Order + limitClause;

    private sealed record Row
    {
        public Guid CaseId { get; init; }
        public long Year { get; init; }
        public long Number { get; init; }
        public string? Service { get; init; }
        public string? NameRo { get; init; }
        public string? NameEn { get; init; }
        public string? NameHu { get; init; }
        public string CaseStatus { get; init; } = "";
        public long RegisteredAt { get; init; }
        public long UpdatedAt { get; init; }
        public double Latitude { get; init; }
        public double Longitude { get; init; }
        public string? AddressString { get; init; }
        public string Subject { get; init; } = "";
        public string? Description { get; init; }
        public string? Department { get; init; }
        public string? AssignedTo { get; init; }
        public long Priority { get; init; }
        public DateOnly? DueOn { get; init; }
        public string PartyKind { get; init; } = "";
        public Guid? CitizenId { get; init; }
        public Guid? JoinedTo { get; init; }
        public string Source { get; init; } = "";
        public long PublicText { get; init; }
        public long? HiddenAt { get; init; }
        public string? HiddenBy { get; init; }
        public string? HiddenReason { get; init; }
        public Guid? DuplicateOf { get; init; }
        public long? DuplicateNumber { get; init; }
        public long? DuplicateYear { get; init; }
    }

    public async ValueTask<MapIncidents> Handle(GetStaffMapIncidents query, CancellationToken ct)
    {
        var filter = query.Filter.Check(new Validation());
        await GetPublicMapIncidentsHandler.EnsureServicesKnownAsync(uow, filter, ct);
        var o = options.Value;
        var take = filter.Take(o);
        var rows = await uow.QueryAsync<Row>(PageSql(filter, uow.Dialect.LimitClause), filter.Parameters(take), ct);
        var matched = rows.Count < take ? rows.Count : await uow.ExecuteScalarAsync<long>("SELECT COUNT(*)" + From + filter.Where(), filter.Parameters(take), ct);
        var features = new List<NetTopologySuite.Features.IFeature>(rows.Count);
        foreach (var r in rows)
        {
            var id = ServiceRequestIds.Of((int)r.Year, (int)r.Number);
            var thumbnail = (await photos.ListAsync(r.CaseId, publicOnly: false, ct)).FirstOrDefault()?.ThumbnailUrl;
            features.Add(MapFeatures.Point(r.Latitude, r.Longitude,
            [
                ("id", id),
                ("service_code", r.Service),
                ("service_name", MapFeatures.ServiceName(filter.Language, r.NameRo, r.NameEn, r.NameHu)),
                ("status", Open311Statuses.Of(r.CaseStatus)),
                ("requested_datetime", MapFeatures.Local(r.RegisteredAt)),
                ("updated_datetime", MapFeatures.Local(r.UpdatedAt)),
                ("address_string", r.AddressString),
                ("url", PublicReportLinks.Page(o, id)),
                ("thumbnail_url", thumbnail is null ? null : PublicReportLinks.Absolute(o, thumbnail)),
                ("case_id", r.CaseId.ToString()),
                ("registration_number", $"{r.Number}/{r.Year}"),
                ("case_status", r.CaseStatus),
                ("subject", r.Subject),
                ("description", r.Description),
                ("department", r.Department),
                ("assigned_to", r.AssignedTo),
                ("priority", Priorities.FromNumber(r.Priority)),
                ("due_on", r.DueOn?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
                ("possible_duplicate_of", r.DuplicateOf is { } dup
                    ? new Dictionary<string, object> { ["case_id"] = dup.ToString(), ["registration_number"] = $"{r.DuplicateNumber}/{r.DuplicateYear}" }
                    : null),
                ("joined_to_case_id", r.JoinedTo?.ToString()),
                ("source", r.Source),
                ("under_review", r.PublicText == 0),
                ("hidden", r.HiddenAt is not null),
                ("hidden_at", r.HiddenAt is { } at ? MapFeatures.Local(at) : null),
                ("hidden_by", r.HiddenBy),
                ("hidden_reason", r.HiddenReason),
                ("party_kind", r.PartyKind),
                ("citizen_id", r.PartyKind == PartyKinds.Citizen ? r.CitizenId?.ToString() : null),
            ]));
        }
        var citizens = rows.Where(r => r.PartyKind == PartyKinds.Citizen && r.CitizenId is not null).Select(r => r.CitizenId!.Value).Distinct().ToList();
        return new MapIncidents(features, matched, take, citizens);
    }
}
