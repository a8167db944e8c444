using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Mediator;
using Microsoft.Extensions.Options;

namespace CitizenCrm.Core.Map.Feed;

/// <summary>
/// The public GeoJSON feed of the map: reports on the public map (text public, not hidden) that have a point, newest
/// first. Each feature carries what the public page shows and nothing about the reporter: no name, e-mail or phone,
/// and no description either — a reporter writes it freely ("I, Ana Pop, of no. 3, call me on 0745…"), a feed is
/// harvested whole by machines, and the report's own page is where a person reads it.
/// </summary>
public sealed record GetPublicMapIncidents(MapFeedFilter Filter) : IQuery<MapIncidents>, IValidatable
{
    public void Validate(Validation v) => Filter.Check(v);
}

public sealed class GetPublicMapIncidentsHandler(UnitOfWork uow, IReportPhotos photos, IOptions<MapFeedOptions> options)
    : IQueryHandler<GetPublicMapIncidents, MapIncidents>
{
    internal const string From = """
         FROM case_locations l
         JOIN map_reports r ON r.case_id = l.case_id
         JOIN cases c ON c.id = l.case_id
         WHERE l.latitude IS NOT NULL AND r.public_text = 1 AND r.hidden_at IS NULL
        """;
    internal const string Select = """
        SELECT c.id AS CaseId, c.year AS Year, c.number AS Number, c.category_code AS Service,
               sc.name AS NameRo, sc.name_en AS NameEn, sc.name_hu AS NameHu, c.status AS CaseStatus,
               c.registered_at AS RegisteredAt, c.updated_at AS UpdatedAt,
               l.latitude AS Latitude, l.longitude AS Longitude, l.address_string AS AddressString
        """;
    private const string Names = " LEFT JOIN service_categories sc ON sc.code = c.category_code";
    private const string Order = " ORDER BY c.registered_at DESC, c.id ";
    private const string KnownServices = "SELECT code FROM service_categories WHERE code IN @Services";

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
    }

    public async ValueTask<MapIncidents> Handle(GetPublicMapIncidents query, CancellationToken ct)
    {
        var filter = query.Filter.Check(new Validation());
        await EnsureServicesKnownAsync(uow, filter, ct);
        var o = options.Value;
        var take = filter.Take(o);
        // The FROM starts at case_locations so that a bbox is a range scan of ix_case_locations_lat_lon.
        var rows = await uow.QueryAsync<Row>(PageSql(filter, uow.Dialect.LimitClause), filter.Parameters(take), ct);
        var matched = rows.Count < take ? rows.Count : await uow.ExecuteScalarAsync<long>("SELECT COUNT(*)" + FromWhere(filter), filter.Parameters(take), ct);
        var features = new List<NetTopologySuite.Features.IFeature>(rows.Count);
        foreach (var r in rows)
        {
            var id = ServiceRequestIds.Of((int)r.Year, (int)r.Number);
            var thumbnail = (await photos.ListAsync(r.CaseId, publicOnly: true, ct)).FirstOrDefault()?.ThumbnailUrl;
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
            ]));
        }
        return new MapIncidents(features, matched, take, []);
    }

    private static string FromWhere(MapFeedFilter filter) => From.Replace(" WHERE ", Names + " WHERE ", StringComparison.Ordinal) + filter.Where();

    /// <summary>The page's SQL (the tests read its plan: a bbox is a range on ix_case_locations_lat_lon).</summary>
    internal static string PageSql(MapFeedFilter filter, string limitClause) => Select + FromWhere(filter) + Order + limitClause;

    /// <summary>An empty feed must mean "nothing reported", never "no such service".</summary>
    internal static async Task EnsureServicesKnownAsync(UnitOfWork uow, MapFeedFilter filter, CancellationToken ct)
    {
        if (filter.Services.Count == 0) return;
        var known = await uow.QueryAsync<string>(KnownServices, new { filter.Services }, ct);
        var unknown = filter.Services.Except(known, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
            throw ValidationFailedException.For("service",
                $"There is no service {string.Join(", ", unknown.Select(u => $"'{u}'"))} in the catalogue (GET /api/catalogue/services lists them).");
    }
}
