using CitizenCrm.Core.Catalogue;
using CitizenCrm.Core.Storage;

namespace CitizenCrm.Core.Map;

/// <summary>A change of a report as the public sees it: when, the Open311 status after it, and a fixed public text.</summary>
public sealed record ReportUpdate(
    string UpdateId, string ServiceRequestId, Guid CaseId, string Kind, string Status, DateTimeOffset UpdatedAt, string Description);

/// <summary>
/// The public history of reports, read from the timeline. Only the kinds below are shown, each with a fixed text in
/// the asked language: a timeline summary names people (the reporter, the clerk) and never leaves the building.
/// Only reports on the public map (not under review, not hidden) have public updates.
/// </summary>
public static class ReportUpdates
{
    private static readonly IReadOnlyDictionary<string, (string Status, Translations Text)> Public = new Dictionary<string, (string, Translations)>
    {
        ["case.registered"] = (Open311Statuses.Open, new("Sesizare înregistrată.", "Report registered.", "Bejelentés iktatva.")),
        ["case.assigned"] = (Open311Statuses.Open, new("Sesizarea a fost repartizată unui angajat.", "Assigned to a member of staff.", "Ügyintézőhöz rendelve.")),
        ["case.claimed"] = (Open311Statuses.Open, new("Sesizarea a fost repartizată unui angajat.", "Assigned to a member of staff.", "Ügyintézőhöz rendelve.")),
        ["case.started"] = (Open311Statuses.Open, new("Lucrarea a început.", "Work has started.", "A munka megkezdődött.")),
        ["case.term_extended"] = (Open311Statuses.Open, new("Termenul de soluționare a fost prelungit.", "The term was extended.", "A határidőt meghosszabbították.")),
        ["case.answered"] = (Open311Statuses.Closed, new("S-a răspuns sesizării.", "The report was answered.", "A bejelentésre válasz született.")),
        ["case.closed"] = (Open311Statuses.Closed, new("Sesizare rezolvată și închisă.", "Resolved and closed.", "Megoldva, lezárva.")),
        ["case.rejected"] = (Open311Statuses.Closed, new("Sesizare respinsă.", "Rejected.", "Elutasítva.")),
        ["case.forwarded"] = (Open311Statuses.Closed, new("Transmisă instituției competente.", "Forwarded to the competent authority.", "Továbbítva az illetékes hatósághoz.")),
        ["case.joined"] = (Open311Statuses.Closed, new("Conexată cu o sesizare despre aceeași problemă.", "Merged with a report of the same problem.", "Összevonva egy azonos problémáról szóló bejelentéssel.")),
        ["case.filed"] = (Open311Statuses.Closed, new("Clasată.", "Filed.", "Irattárba helyezve.")),
    };

    public static IReadOnlyCollection<string> Kinds => (IReadOnlyCollection<string>)Public.Keys;

    // An array, not the dictionary's keys: Npgsql sends a list parameter as an array and needs one it can index.
    private static readonly string[] PublicKinds = [.. Public.Keys];

    /// <summary>The fixed public text of a kind in a language (the reporters' status e-mails say the same), or null.</summary>
    public static string? TextOf(string kind, string lang) => Public.TryGetValue(kind, out var p) ? p.Text.In(lang) : null;

    private const string Select = """
        SELECT t.seq AS Seq, t.case_id AS CaseId, t.kind AS Kind, t.occurred_at AS OccurredAt, c.year AS Year, c.number AS Number
        FROM timeline_events t JOIN map_reports r ON r.case_id = t.case_id JOIN cases c ON c.id = t.case_id
        WHERE r.public_text = 1 AND r.hidden_at IS NULL AND t.kind IN @Kinds
        """;

    private sealed record Row
    {
        public long Seq { get; init; }
        public Guid CaseId { get; init; }
        public string Kind { get; init; } = "";
        public long OccurredAt { get; init; }
        public long Year { get; init; }
        public long Number { get; init; }
    }

    /// <summary>One report's public updates, oldest first (empty when the report is not public).</summary>
    public static async Task<IReadOnlyList<ReportUpdate>> ForCaseAsync(UnitOfWork uow, Guid caseId, string lang, CancellationToken ct) =>
        Map(await uow.QueryAsync<Row>(Select + " AND t.case_id = @CaseId ORDER BY t.seq", new { Kinds = PublicKinds, CaseId = caseId }, ct), lang);

    /// <summary>Public updates of all reports between two instants (inclusive), oldest first, at most <paramref name="limit"/>.</summary>
    public static async Task<IReadOnlyList<ReportUpdate>> BetweenAsync(
        UnitOfWork uow, DateTimeOffset from, DateTimeOffset to, int limit, string lang, CancellationToken ct) =>
        Map(await uow.QueryAsync<Row>(Select + " AND t.occurred_at BETWEEN @From AND @To ORDER BY t.occurred_at, t.seq LIMIT @Limit",
            new { Kinds = PublicKinds, From = from.ToUnixTimeMilliseconds(), To = to.ToUnixTimeMilliseconds(), Limit = limit }, ct), lang);

    private static IReadOnlyList<ReportUpdate> Map(IEnumerable<Row> rows, string lang) =>
        rows.Select(r =>
        {
            var (status, text) = Public[r.Kind];
            return new ReportUpdate(r.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture), ServiceRequestIds.Of((int)r.Year, (int)r.Number),
                r.CaseId, r.Kind, status, DateTimeOffset.FromUnixTimeMilliseconds(r.OccurredAt), text.In(lang));
        }).ToList();
}
