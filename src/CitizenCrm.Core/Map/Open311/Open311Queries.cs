using System.Globalization;
using System.Text.Json;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Catalogue;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Mediator;
using Microsoft.Extensions.Options;

namespace CitizenCrm.Core.Map.Open311;

/// <summary>Bound from "Open311": what service discovery says about us, and the limits of GET requests.</summary>
public sealed class Open311Options
{
    /// <summary>The address apps reach us at (e.g. https://primaria.apulum.ro); empty: the address the request came to.</summary>
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>Service discovery's "contact": how an app developer reaches the city hall.</summary>
    public string Contact { get; set; } = "Primăria Alba Iulia, registratura: scrieți-ne prin formularul de pe site sau veniți la ghișeu.";

    /// <summary>Service discovery's "key_service": how an app gets an api_key.</summary>
    public string KeyService { get; set; } = "Cereți o cheie (api_key) administratorului CitizenCRM al primăriei; o cheie se emite pentru fiecare aplicație.";

    /// <summary>GeoReport v2: "Default query limit is a span of 90 days or first 1000 requests returned, whichever is smallest."</summary>
    public int MaxRequests { get; set; } = 1000;

    public int MaxDays { get; set; } = 90;
}

public sealed record Open311Service(
    string ServiceCode, string ServiceName, string Description, bool Metadata, string Type, string Keywords, string Group);

public sealed record Open311AttributeValue(string Key, string Name);

public sealed record Open311Attribute(
    bool Variable, string Code, string Datatype, bool Required, string DatatypeDescription, int Order, string Description,
    IReadOnlyList<Open311AttributeValue> Values);

public sealed record Open311ServiceDefinition(string ServiceCode, IReadOnlyList<Open311Attribute> Attributes);

/// <summary>A service request as GeoReport v2's GET requests shows it. Nothing here names or reaches the reporter.</summary>
public sealed record Open311Request(
    string ServiceRequestId, string Status, string? StatusNotes, string ServiceName, string ServiceCode, string? Description,
    string? AgencyResponsible, string? ServiceNotice, DateTimeOffset RequestedDatetime, DateTimeOffset UpdatedDatetime,
    DateTimeOffset? ExpectedDatetime, string? Address, string? AddressId, string? Zipcode, double? Lat, double? Long, string? MediaUrl);

public sealed record Open311TokenAnswer(string ServiceRequestId, string Token);

/// <summary>Fixed texts of the Open311 layer in the catalogue's three languages.</summary>
public static class Open311Texts
{
    public static string DatatypeDescription(string datatype, string lang) => datatype switch
    {
        "number" => new Translations("Un număr, de exemplu 3 sau 2.5.", "A number, like 3 or 2.5.", "Egy szám, például 3 vagy 2.5.").In(lang),
        "datetime" => new Translations("O dată și o oră ISO 8601, de exemplu 2026-12-02T10:30:00+02:00.",
            "A date and time in ISO 8601, like 2026-12-02T10:30:00+02:00.", "Dátum és idő ISO 8601 szerint, például 2026-12-02T10:30:00+02:00.").In(lang),
        AttributeDatatypes.SingleValueList => new Translations("Alegeți o valoare (key).", "Choose one value (its key).", "Válasszon egy értéket (key).").In(lang),
        AttributeDatatypes.MultiValueList => new Translations("Alegeți una sau mai multe valori: attribute[cod][]=key pentru fiecare.",
            "Choose one or more values: attribute[code][]=key for each.", "Válasszon egy vagy több értéket: attribute[kód][]=key mindegyikre.").In(lang),
        "text" => new Translations("Text, poate avea mai multe rânduri.", "Text; it may have several lines.", "Szöveg, több sorból is állhat.").In(lang),
        _ => new Translations("Text pe un rând.", "Text on one line.", "Egysoros szöveg.").In(lang),
    };

    /// <summary>GeoReport's service_notice: what the city hall will do, and by when the law makes it answer.</summary>
    public static string ServiceNotice(string lang, int processingDays, string department) => new Translations(
        $"Sesizarea ajunge la {department}, care o rezolvă și răspunde în cel mult {RomanianDays(processingDays)}.",
        $"The report goes to {department}, which deals with it and answers within {processingDays} {(processingDays == 1 ? "day" : "days")} at most.",
        $"A bejelentést a(z) {department} kapja meg, amely legfeljebb {processingDays} napon belül intézi és válaszol.").In(lang);

    // Romanian grammar: "o zi", "10 zile", but "20 de zile" — a number from 20 on, unless it ends in 01–19, takes "de".
    private static string RomanianDays(int days) =>
        days == 1 ? "o zi" : days % 100 is 0 or >= 20 ? $"{days} de zile" : $"{days} zile";

    public static string PhotosUnderReview(string lang) => new Translations(
        " Fotografiile apar pe harta publică după ce un dispecer le verifică.",
        " The photos appear on the public map once a dispatcher has checked them.",
        " A fényképek egy diszpécser ellenőrzése után jelennek meg a nyilvános térképen.").In(lang);

    public static string UnderReview(string lang) => new Translations(
        " Sesizarea apare pe harta publică după ce un dispecer o verifică.",
        " The report appears on the public map once a dispatcher has checked it.",
        " A bejelentés egy diszpécser ellenőrzése után jelenik meg a nyilvános térképen.").In(lang);
}

/// <summary>The incident services an Open311 app may report: active, incident, and open to the map channel.</summary>
public sealed record GetOpen311Services(string Lang) : IQuery<IReadOnlyList<Open311Service>>;

public sealed class GetOpen311ServicesHandler(UnitOfWork uow) : IQueryHandler<GetOpen311Services, IReadOnlyList<Open311Service>>
{
    public async ValueTask<IReadOnlyList<Open311Service>> Handle(GetOpen311Services query, CancellationToken ct) =>
        (await CatalogueStore.LoadAsync(uow, query.Lang, code: null, activeOnly: true, ct))
        .Where(Open311Catalogue.OnTheMap)
        .Select(s => new Open311Service(s.Code, s.Name, s.Description, s.Attributes.Count > 0, "realtime", Open311Catalogue.Keywords(s, query.Lang), s.Department))
        .ToList();
}

/// <summary>One service's definition (its questions), or null when it is not a service on the map.</summary>
public sealed record GetOpen311ServiceDefinition(string Code, string Lang) : IQuery<Open311ServiceDefinition?>;

public sealed class GetOpen311ServiceDefinitionHandler(UnitOfWork uow) : IQueryHandler<GetOpen311ServiceDefinition, Open311ServiceDefinition?>
{
    public async ValueTask<Open311ServiceDefinition?> Handle(GetOpen311ServiceDefinition query, CancellationToken ct)
    {
        var code = query.Code.Trim().ToLowerInvariant();
        if (!CatalogueStore.IsCode(code, 40)) return null;
        var service = await CatalogueStore.FindAsync(uow, code, query.Lang, ct);
        if (service is null || !Open311Catalogue.OnTheMap(service)) return null;
        return new Open311ServiceDefinition(service.Code, service.Attributes.OrderBy(a => a.Order).Select(a => new Open311Attribute(
            true, a.Code, a.Datatype, a.Required, Open311Texts.DatatypeDescription(a.Datatype, query.Lang), a.Order, a.Description,
            a.Values.Select(v => new Open311AttributeValue(v.Key, v.Name)).ToList())).ToList());
    }
}

internal static class Open311Catalogue
{
    internal static bool OnTheMap(CatalogueService s) => s is { Active: true, Incident: true } && s.Channels.Contains(Channels.Map);

    /// <summary>
    /// The catalogue has no keywords; GeoReport's keywords "can provide synonyms of the service_name and group", and the
    /// best synonyms we have are the service's names in the city's other two languages (a Hungarian speaker searching
    /// a Romanian list finds "kátyú").
    /// </summary>
    internal static string Keywords(CatalogueService s, string lang) =>
        string.Join(", ", CatalogueLanguages.All.Where(l => l != lang).Select(s.Names.In).Where(n => n.Length > 0).Prepend(s.Code));
}

/// <summary>
/// GeoReport v2's GET requests. With <see cref="Ids"/>, those requests and nothing else ("this overrides all other
/// arguments"); otherwise by service, requested between two instants, and status. Only reports on the public map.
/// </summary>
public sealed record FindOpen311Requests(
    IReadOnlyList<string>? Ids, IReadOnlyList<string>? ServiceCodes, DateTimeOffset? From, DateTimeOffset? To,
    IReadOnlyList<string>? Statuses, string Lang, int Limit) : IQuery<IReadOnlyList<Open311Request>>;

public sealed class FindOpen311RequestsHandler(UnitOfWork uow, IReportPhotos photos)
    : IQueryHandler<FindOpen311Requests, IReadOnlyList<Open311Request>>
{
    // Public means: on the public map (text public, not hidden by a dispatcher). Everything else does not exist here.
    private const string Select = """
        SELECT c.id AS CaseId, c.year AS Year, c.number AS Number, c.status AS Status, c.category_code AS ServiceCode,
               s.name AS NameRo, s.name_en AS NameEn, s.name_hu AS NameHu, s.department AS Department, s.processing_days AS ProcessingDays,
               c.description AS Description, c.contact_name AS ContactName, ci.first_name AS FirstName, ci.last_name AS LastName,
               c.due_on AS DueOn, c.updated_at AS UpdatedAt, c.closed_at AS ClosedAt,
               r.created_at AS RequestedAt, r.media_links AS MediaLinks,
               l.latitude AS Latitude, l.longitude AS Longitude, l.address_string AS AddressString, l.address_id AS AddressId
        FROM map_reports r
        JOIN cases c ON c.id = r.case_id
        LEFT JOIN case_locations l ON l.case_id = r.case_id
        LEFT JOIN service_categories s ON s.code = c.category_code
        LEFT JOIN citizens ci ON ci.id = c.citizen_id
        WHERE r.public_text = 1 AND r.hidden_at IS NULL
        """;

    private sealed record Row
    {
        public Guid CaseId { get; init; }
        public long Year { get; init; }
        public long Number { get; init; }
        public string Status { get; init; } = "";
        public string? ServiceCode { get; init; }
        public string? NameRo { get; init; }
        public string? NameEn { get; init; }
        public string? NameHu { get; init; }
        public string? Department { get; init; }
        public long? ProcessingDays { get; init; }
        public string? Description { get; init; }
        public string? ContactName { get; init; }
        public string? FirstName { get; init; }
        public string? LastName { get; init; }
        public DateOnly? DueOn { get; init; }
        public long UpdatedAt { get; init; }
        public long? ClosedAt { get; init; }
        public long RequestedAt { get; init; }
        public string MediaLinks { get; init; } = "[]";
        public double? Latitude { get; init; }
        public double? Longitude { get; init; }
        public string? AddressString { get; init; }
        public string? AddressId { get; init; }
    }

    public async ValueTask<IReadOnlyList<Open311Request>> Handle(FindOpen311Requests query, CancellationToken ct)
    {
        IReadOnlyList<Row> rows;
        if (query.Ids is { Count: > 0 } ids)
        {
            var wanted = ids.Select(id => ServiceRequestIds.TryParse(id, out var y, out var n) ? (y, n) : (0, 0)).Where(k => k.Item1 > 0).ToHashSet();
            if (wanted.Count == 0) return [];
            var found = await uow.QueryAsync<Row>(Select + " AND c.number IN @Numbers", new { Numbers = wanted.Select(k => k.Item2).Distinct().ToList() }, ct);
            // In the order asked for, each once.
            var byKey = found.Where(r => wanted.Contains(((int)r.Year, (int)r.Number))).ToDictionary(r => ((int)r.Year, (int)r.Number));
            rows = wanted.Where(byKey.ContainsKey).Select(k => byKey[k]).Take(query.Limit).ToList();
        }
        else
        {
            var sql = Select + " AND r.created_at BETWEEN @From AND @To";
            if (query.ServiceCodes is { Count: > 0 }) sql += " AND c.category_code IN @Codes";
            var statuses = query.Statuses ?? [];
            var caseStatuses = new List<string>();
            if (statuses.Contains(Open311Statuses.Open)) caseStatuses.AddRange(CaseStatuses.Open);
            if (statuses.Contains(Open311Statuses.Closed)) caseStatuses.AddRange(ClosedStatuses);
            if (caseStatuses.Count > 0) sql += " AND c.status IN @CaseStatuses";
            sql += " ORDER BY r.created_at DESC, c.number DESC LIMIT @Limit";
            rows = await uow.QueryAsync<Row>(sql, new
            {
                From = query.From!.Value.ToUnixTimeMilliseconds(), To = query.To!.Value.ToUnixTimeMilliseconds(),
                Codes = query.ServiceCodes?.Select(c => c.Trim().ToLowerInvariant()).ToList(), CaseStatuses = caseStatuses, query.Limit,
            }, ct);
        }

        var result = new List<Open311Request>(rows.Count);
        foreach (var r in rows) result.Add(await ToRequestAsync(r, query.Lang, ct));
        return result;
    }

    private static readonly string[] ClosedStatuses = ["answered", "closed", "forwarded", "joined", "filed", "rejected"];

    private async Task<Open311Request> ToRequestAsync(Row r, string lang, CancellationToken ct)
    {
        var status = Open311Statuses.Of(r.Status);
        // status_notes: the public text of the latest public step (never a timeline summary, which may name people).
        var updates = await ReportUpdates.ForCaseAsync(uow, r.CaseId, lang, ct);
        var names = new Translations(r.NameRo, r.NameEn, r.NameHu);
        var department = r.Department ?? "";
        // media_url: the first photo the public may see; else the first link the app gave (stored, never fetched).
        var photo = (await photos.ListAsync(r.CaseId, publicOnly: true, ct)).FirstOrDefault();
        var links = JsonSerializer.Deserialize<string[]>(r.MediaLinks) ?? [];
        return new Open311Request(
            ServiceRequestIds.Of((int)r.Year, (int)r.Number), status, updates.LastOrDefault()?.Description,
            names.In(lang), r.ServiceCode ?? "",
            // GeoReport publishes the description; whatever a reporter wrote of themselves into it is taken out.
            Blank(PublicText.Redact(r.Description, [r.ContactName == ReportIncidentHandler.NoNameGiven ? null : r.ContactName, r.FirstName, r.LastName])),
            Blank(department),
            r.ProcessingDays is { } days && department.Length > 0 ? Open311Texts.ServiceNotice(lang, (int)days, department) : null,
            DateTimeOffset.FromUnixTimeMilliseconds(r.RequestedAt),
            // "For requests with status=closed, this will be the date the request was closed."
            DateTimeOffset.FromUnixTimeMilliseconds(status == Open311Statuses.Closed && r.ClosedAt is { } closed ? Math.Max(closed, r.UpdatedAt) : r.UpdatedAt),
            // A closed report is no longer expected: its term ended with the case (a merged one has none of its own).
            status == Open311Statuses.Open && r.DueOn is { } due ? Open311Dates.EndOfTerm(due) : null,
            Blank(r.AddressString), Blank(r.AddressId), null, r.Latitude, r.Longitude,
            photo?.Url ?? links.FirstOrDefault());
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}

/// <summary>GeoReport v2's GET tokens/{token}: the request a token stands for, when it is on the public map.</summary>
public sealed record FindOpen311Token(string Token) : IQuery<Open311TokenAnswer?>;

public sealed class FindOpen311TokenHandler(UnitOfWork uow) : IQueryHandler<FindOpen311Token, Open311TokenAnswer?>
{
    private const string Sql = """
        SELECT c.year AS Year, c.number AS Number, r.token AS Token
        FROM map_reports r JOIN cases c ON c.id = r.case_id
        WHERE r.token = @Token AND r.public_text = 1 AND r.hidden_at IS NULL
        """;

    private sealed record Row
    {
        public long Year { get; init; }
        public long Number { get; init; }
        public string Token { get; init; } = "";
    }

    public async ValueTask<Open311TokenAnswer?> Handle(FindOpen311Token query, CancellationToken ct)
    {
        var token = query.Token.Trim().ToLowerInvariant();
        if (token.Length is 0 or > 64) return null;
        var row = await uow.QuerySingleOrDefaultAsync<Row>(Sql, new { Token = token }, ct);
        return row is null ? null : new Open311TokenAnswer(ServiceRequestIds.Of((int)row.Year, (int)row.Number), row.Token);
    }
}

/// <summary>mySociety's GET servicerequestupdates: the public steps of public reports between two instants.</summary>
public sealed record GetOpen311Updates(DateTimeOffset From, DateTimeOffset To, string Lang, int Limit) : IQuery<IReadOnlyList<ReportUpdate>>;

public sealed class GetOpen311UpdatesHandler(UnitOfWork uow) : IQueryHandler<GetOpen311Updates, IReadOnlyList<ReportUpdate>>
{
    public async ValueTask<IReadOnlyList<ReportUpdate>> Handle(GetOpen311Updates query, CancellationToken ct) =>
        await ReportUpdates.BetweenAsync(uow, query.From, query.To, query.Limit, query.Lang, ct);
}

/// <summary>The date the catalogue's map services last changed: service discovery's changeset.</summary>
public sealed record GetOpen311Changeset : IQuery<DateTimeOffset?>;

public sealed class GetOpen311ChangesetHandler(UnitOfWork uow) : IQueryHandler<GetOpen311Changeset, DateTimeOffset?>
{
    private const string Sql = "SELECT MAX(updated_at) FROM service_categories WHERE incident = 1";

    public async ValueTask<DateTimeOffset?> Handle(GetOpen311Changeset query, CancellationToken ct) =>
        await uow.ExecuteScalarAsync<long?>(Sql, null, ct) is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
}

/// <summary>Open311 datetimes: ISO 8601 with the offset Bucharest has at that instant (+02:00 in winter, +03:00 in summer).</summary>
public static class Open311Dates
{
    public static DateTimeOffset InBucharest(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Common.Calendar.Bucharest);

    public static string Format(DateTimeOffset instant) => InBucharest(instant).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>
    /// A term expires at the end of its last day: the Code of Civil Procedure (art. 181 (1) pt. 2-3, applied to
    /// administrative terms) counts in full days, so the city hall may act until 24:00 of due_on. Open311 needs an
    /// instant; 23:59:59 Bucharest time of that day is the last whole second of the term.
    /// </summary>
    public static DateTimeOffset EndOfTerm(DateOnly dueOn)
    {
        var local = dueOn.ToDateTime(new TimeOnly(23, 59, 59));
        return new DateTimeOffset(local, Common.Calendar.Bucharest.GetUtcOffset(local));
    }
}
