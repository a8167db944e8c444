using System.Text.Json.Serialization;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Catalogue;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Map.PublicReports;

/// <summary>
/// A report as anyone may see it on the map page's report screen: what, where, since when, how far along, the public
/// updates and the reviewed photos. Nothing about the reporter (no name, e-mail, phone) and no timeline summary:
/// those name people and never leave the building.
/// </summary>
public sealed record PublicReport(
    string Id,
    string RegistrationNumber,
    string ServiceCode,
    string ServiceName,
    string Status,
    string StatusText,
    DateOnly RegisteredOn,
    DateOnly? DueOn,
    string? AddressString,
    double? Lat,
    double? Long,
    IReadOnlyList<PublicReportUpdate> Updates,
    IReadOnlyList<PublicReportPhoto> Photos,
    int PhotosAwaitingReview,
    string Url);

public sealed record PublicReportUpdate(DateTimeOffset UpdatedAt, string Status, string Description);

public sealed record PublicReportPhoto(string Url, string ThumbnailUrl, int Width, int Height);

/// <summary>One report of the map by its Open311 id ("2026-154"), in ro, en or hu.</summary>
public sealed record GetPublicReport(string? Id, [property: JsonIgnore] string? Lang) : IQuery<PublicReport>;

/// <summary>One answer for an unknown id and for a report kept off the public map, so the page cannot tell which exist.</summary>
public sealed class PublicReportNotFoundException() : CrmException("Not found",
    "There is no public report with this number. Check the number (like 2026-154); a report hidden by the city hall is not shown.");

public sealed class GetPublicReportHandler(UnitOfWork uow, IReportPhotos photos, TimeProvider clock) : IQueryHandler<GetPublicReport, PublicReport>
{
    // Map reports are registered in the general register, so year and number name one case.
    // A hidden photo is not "waiting": a dispatcher decided on it, and the public is not told it exists.
    private const string AwaitingReview = "SELECT COUNT(*) FROM case_photos WHERE case_id = @Id AND published_at IS NULL AND hidden_at IS NULL";
    private const string Find = """
        SELECT c.id AS CaseId, l.latitude AS Latitude, l.longitude AS Longitude, l.address_string AS AddressString
        FROM cases c
        JOIN map_reports r ON r.case_id = c.id
        LEFT JOIN case_locations l ON l.case_id = c.id
        WHERE c.register_code = 'general' AND c.year = @Year AND c.number = @Number
          AND r.public_text = 1 AND r.hidden_at IS NULL
        """;

    private sealed record Row
    {
        public Guid CaseId { get; init; }
        public double? Latitude { get; init; }
        public double? Longitude { get; init; }
        public string? AddressString { get; init; }
    }

    public async ValueTask<PublicReport> Handle(GetPublicReport query, CancellationToken ct)
    {
        if (!ServiceRequestIds.TryParse(query.Id, out var year, out var number)) throw new PublicReportNotFoundException();
        var row = await uow.QuerySingleOrDefaultAsync<Row>(Find, new { Year = year, Number = number }, ct)
                  ?? throw new PublicReportNotFoundException();
        var lang = CatalogueLanguages.Parse(query.Lang) ?? CatalogueLanguages.Default;
        var c = await CaseStore.LoadAsync(uow, row.CaseId, ct);
        var service = c.CategoryCode is { } code ? await CatalogueStore.FindAsync(uow, code, lang, ct) : null;
        var (due, _, _) = c.Deadline(Calendar.Today(clock));
        var updates = await ReportUpdates.ForCaseAsync(uow, c.Id, lang, ct);
        var shown = await photos.ListAsync(c.Id, publicOnly: true, ct);
        var awaiting = await uow.ExecuteScalarAsync<long>(AwaitingReview, new { c.Id }, ct);
        var id = ServiceRequestIds.Of((int)c.Year, (int)c.Number);
        return new PublicReport(
            id, c.RegistrationNumber, c.CategoryCode ?? "", service?.Name ?? c.CategoryCode ?? "",
            Open311Statuses.Of(c.Status), PublicStatusTexts.Of(c.Status, lang), c.RegisteredOn, due,
            row.AddressString, row.Latitude, row.Longitude,
            updates.Select(u => new PublicReportUpdate(TimeZoneInfo.ConvertTime(u.UpdatedAt, Calendar.Bucharest), u.Status, u.Description)).ToList(),
            shown.Select(p => new PublicReportPhoto(p.Url, p.ThumbnailUrl, p.Width, p.Height)).ToList(),
            (int)awaiting,
            $"/map/r/{id}");
    }
}

/// <summary>The case's status told plainly to a citizen: finer than Open311's open/closed, without the clerks' words.</summary>
public static class PublicStatusTexts
{
    private static readonly IReadOnlyDictionary<string, Translations> Texts = new Dictionary<string, Translations>
    {
        [CaseStatuses.Registered] = new("Înregistrată, în așteptarea repartizării.", "Registered, waiting to be assigned.", "Iktatva, kiosztásra vár."),
        [CaseStatuses.Assigned] = new("Repartizată unui angajat.", "Assigned to a member of staff.", "Ügyintézőhöz rendelve."),
        [CaseStatuses.InProgress] = new("În lucru.", "Work in progress.", "Folyamatban."),
        [CaseStatuses.Answered] = new("Rezolvată: s-a răspuns sesizării.", "Resolved: the report was answered.", "Megoldva: a bejelentésre válasz született."),
        [CaseStatuses.Closed] = new("Rezolvată și închisă.", "Resolved and closed.", "Megoldva, lezárva."),
        [CaseStatuses.Rejected] = new("Respinsă.", "Rejected.", "Elutasítva."),
        [CaseStatuses.Forwarded] = new("Transmisă instituției competente.", "Forwarded to the competent authority.", "Továbbítva az illetékes hatósághoz."),
        [CaseStatuses.Joined] = new("Conexată cu o sesizare despre aceeași problemă.", "Merged with a report of the same problem.", "Összevonva egy azonos problémáról szóló bejelentéssel."),
        [CaseStatuses.Filed] = new("Clasată.", "Filed.", "Irattárba helyezve."),
    };

    public static string Of(string caseStatus, string lang) =>
        Texts.TryGetValue(caseStatus, out var t) ? t.In(lang) : Open311Statuses.Of(caseStatus);
}
