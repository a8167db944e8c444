using System.Globalization;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Pipeline;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace CitizenCrm.Core.Map.Feed;

/// <summary>Bound from "Map" beside <see cref="MapOptions"/>: the feed's cap and the address the public reaches the site at.</summary>
public sealed class MapFeedOptions
{
    /// <summary>
    /// At most this many features in one answer of a feed (newest first). A client wanting more zooms in (bbox) or
    /// narrows the dates; the answer says how many matched (numberMatched) and that it was cut (truncated).
    /// </summary>
    public int FeedMaxFeatures { get; set; } = 1000;

    /// <summary>
    /// The public address of this site (https://sesizari.apulum.ro), used for absolute links in e-mails and feeds.
    /// Empty: links are paths (/map/r/2026-154), fine for the city's own page (same origin), useless in an e-mail.
    /// </summary>
    public string? PublicBaseUrl { get; set; }
}

/// <summary>The public page of a report: /map/r/{id}, with the Open311 id ("2026-154").</summary>
public static class PublicReportLinks
{
    public static string Page(MapFeedOptions o, string serviceRequestId) =>
        (string.IsNullOrWhiteSpace(o.PublicBaseUrl) ? "" : o.PublicBaseUrl.Trim().TrimEnd('/')) + "/map/r/" + serviceRequestId;

    public static string Absolute(MapFeedOptions o, string pathOrUrl) =>
        pathOrUrl.StartsWith('/') && !string.IsNullOrWhiteSpace(o.PublicBaseUrl) ? o.PublicBaseUrl.Trim().TrimEnd('/') + pathOrUrl : pathOrUrl;
}

/// <summary>
/// The filters both feeds take, as the query string gives them (text), checked here so that each bad one is a 400
/// naming its parameter: status (open, closed or both), service (codes, comma list), bbox (west,south,east,north in
/// WGS84 degrees, GeoJSON's order, RFC 7946 §5), from / to (the registration date, Bucharest, yyyy-MM-dd, inclusive),
/// lang (ro, en, hu: the service's name), limit (at most the configured cap).
/// </summary>
public sealed record MapFeedFilter(string? Status, string? Service, string? Bbox, string? From, string? To, string? Lang, string? Limit)
{
    public IReadOnlyList<string> Statuses { get; private init; } = [];
    public IReadOnlyList<string> Services { get; private init; } = [];
    public GeoDistance.Box? Box { get; private init; }
    public DateOnly? FromDate { get; private init; }
    public DateOnly? ToDate { get; private init; }
    public string Language { get; private init; } = "ro";
    public int? LimitNumber { get; private init; }

    /// <summary>Checks every parameter, adding each error under its own name, and returns the parsed filter.</summary>
    public MapFeedFilter Check(Validation v)
    {
        var statuses = Split(Status);
        foreach (var s in statuses.Where(s => s is not (Open311Statuses.Open or Open311Statuses.Closed)))
            v.Add("status", $"Unknown status '{Cut(s)}'. Use open, closed or open,closed (Open311's two statuses).");

        var services = Split(Service).Select(s => s.ToLowerInvariant()).ToList();
        if (services.Count > 50) v.Add("service", "Give at most 50 service codes.");
        foreach (var s in services.Where(s => s.Length > 40)) v.Add("service", $"'{Cut(s)}' is not a service code (at most 40 characters).");

        GeoDistance.Box? box = null;
        if (Bbox is not null)
        {
            var parts = Bbox.Split(',');
            var n = new double[4];
            if (parts.Length != 4 || parts.Select((p, i) => double.TryParse(p.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out n[i]) && double.IsFinite(n[i])).Any(ok => !ok))
                v.Add("bbox", "bbox is four numbers, west,south,east,north in degrees (WGS84, longitude first as in GeoJSON), e.g. bbox=23.55,46.05,23.60,46.09.");
            else if (n[0] > n[2] || n[1] > n[3])
                // RFC 7946 §5.2 allows west > east across the antimeridian; no city hall here straddles it, so it is a swapped pair.
                v.Add("bbox", "bbox is west,south,east,north: west must not be greater than east, nor south greater than north.");
            // A map zoomed far out reports its view past the edges (Leaflet's getBounds gives longitudes like -250..250):
            // the world is all there is, so the box is clamped to it rather than refused.
            else box = new GeoDistance.Box(Math.Clamp(n[1], -90, 90), Math.Clamp(n[3], -90, 90), Math.Clamp(n[0], -180, 180), Math.Clamp(n[2], -180, 180));
        }

        var from = Date(v, "from", From);
        var to = Date(v, "to", To);
        if (from is { } f && to is { } t && f > t) v.Add("to", $"to ({t:yyyy-MM-dd}) is before from ({f:yyyy-MM-dd}).");

        var lang = string.IsNullOrWhiteSpace(Lang) ? "ro" : Lang.Trim().ToLowerInvariant();
        if (lang is not ("ro" or "en" or "hu")) { v.Add("lang", "lang is ro, en or hu."); lang = "ro"; }

        int? limit = null;
        if (Limit is not null)
        {
            if (int.TryParse(Limit.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l >= 1) limit = l;
            else v.Add("limit", "limit is a whole number, at least 1 (the server's cap applies above it).");
        }
        return this with { Statuses = statuses, Services = services, Box = box, FromDate = from, ToDate = to, Language = lang, LimitNumber = limit };
    }

    private static DateOnly? Date(Validation v, string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (!DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            v.Add(field, $"{field} is a date written yyyy-MM-dd, e.g. 2026-12-01 (the registration date, inclusive).");
            return null;
        }
        v.DateWithinReason(field, d, field);
        return d;
    }

    private static List<string> Split(string? list) =>
        list is null ? [] : list.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).ToList();

    private static string Cut(string s) => s.Length <= 40 ? s : s[..40] + "…";

    /// <summary>The SQL conditions for this filter, added to a query over case_locations l, map_reports r and cases c.</summary>
    internal string Where()
    {
        var sql = new System.Text.StringBuilder();
        // A range on latitude, then longitude, both read from ix_case_locations_lat_lon (proved in the feed's tests).
        if (Box is not null) sql.Append(" AND l.latitude BETWEEN @South AND @North AND l.longitude BETWEEN @West AND @East");
        if (Statuses.Count == 1)
            sql.Append(Statuses[0] == Open311Statuses.Open ? " AND c.status IN " + CaseStatuses.OpenSql : " AND c.status NOT IN " + CaseStatuses.OpenSql);
        if (Services.Count > 0) sql.Append(" AND c.category_code IN @Services");
        if (FromDate is not null) sql.Append(" AND c.registered_on >= @From");
        if (ToDate is not null) sql.Append(" AND c.registered_on <= @To");
        return sql.ToString();
    }

    internal object Parameters(int take) => new
    {
        Box?.South, Box?.North, Box?.West, Box?.East, Services, From = FromDate, To = ToDate, Limit = take,
    };

    /// <summary>How many features this answer holds at most: the client's limit, never above the configured cap.</summary>
    internal int Take(MapFeedOptions o) => Math.Min(LimitNumber ?? int.MaxValue, Math.Max(1, o.FeedMaxFeatures));
}

/// <summary>
/// A feed's answer: the features (newest report first), how many reports matched the filter, the most one answer
/// holds, and whether this one was cut there. The endpoint writes it as a GeoJSON FeatureCollection with these as
/// foreign members (RFC 7946 §6.1), named as OGC API - Features names them (numberMatched, numberReturned).
/// </summary>
public sealed record MapIncidents(IReadOnlyList<IFeature> Features, long NumberMatched, int Limit, IReadOnlyList<Guid> Citizens)
    : ICitizenDataResult
{
    public int NumberReturned => Features.Count;
    public bool Truncated => NumberMatched > Features.Count;
    public IEnumerable<Guid> CitizensShown => Citizens;
}

internal static class MapFeatures
{
    private static readonly GeometryFactory Wgs84 = new(new PrecisionModel(), 4326);

    /// <summary>GeoJSON positions are [longitude, latitude] (RFC 7946 §3.1.1): X is the longitude.</summary>
    public static Feature Point(double latitude, double longitude, IEnumerable<(string Name, object? Value)> properties)
    {
        var attributes = new AttributesTable();
        foreach (var (name, value) in properties) attributes.Add(name, value!);
        return new Feature(Wgs84.CreatePoint(new Coordinate(longitude, latitude)), attributes);
    }

    /// <summary>Open311's datetimes: ISO 8601 with the Europe/Bucharest offset, e.g. 2026-12-02T09:30:00+02:00.</summary>
    public static string Local(long ms) =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(ms), Common.Calendar.Bucharest).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public static string ServiceName(string lang, string? ro, string? en, string? hu) => lang switch
    {
        "en" when !string.IsNullOrWhiteSpace(en) => en,
        "hu" when !string.IsNullOrWhiteSpace(hu) => hu,
        _ => ro ?? "",
    };
}
