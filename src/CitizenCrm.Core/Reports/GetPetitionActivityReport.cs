using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Reports;

/// <summary>
/// The report on the petitions work that the public-relations compartment draws up for the half-yearly analysis
/// (OG 27/2002 art. 15: each half-year the authority analyses its own activity of solving petitions, on the report of
/// the compartment of art. 6(1)). The ordinance lists no figures; the report gives one for each duty it sets, each with
/// its article (docs/legal-reports.md). Any range of days may be asked for; a half-year is 1 January–30 June or
/// 1 July–31 December. The cohort: the petitions registered in the range, with what became of them by the day the
/// report is drawn.
/// </summary>
public sealed record GetPetitionActivityReport(string? From, string? To) : IQuery<LegalReport>, IValidatable
{
    public void Validate(Validation v) => ReportScope.Read(v, From, To, null, null, null);
}

public sealed class GetPetitionActivityReportHandler(UnitOfWork uow, TimeProvider clock) : IQueryHandler<GetPetitionActivityReport, LegalReport>
{
    private const string Og = "OG 27/2002";

    private const string Petitions = """
        SELECT c.id AS Id, c.status AS Status, c.channel AS Channel, c.party_kind AS PartyKind, c.registered_on AS RegisteredOn,
               c.due_on AS DueOn, c.answered_on AS AnsweredOn, c.extended_by_days AS ExtendedByDays,
               COALESCE(c.assigned_department, '(unassigned)') AS Department,
               (SELECT MIN(t.occurred_at) FROM timeline_events t WHERE t.case_id = c.id AND t.kind = 'case.forwarded') AS ForwardedAt
        FROM cases c
        WHERE c.kind = 'petition' AND c.registered_on BETWEEN @From AND @To
        """;

    private sealed record Row
    {
        public Guid Id { get; init; }
        public string Status { get; init; } = "";
        public string Channel { get; init; } = "";
        public string PartyKind { get; init; } = "";
        public DateOnly RegisteredOn { get; init; }
        public DateOnly? DueOn { get; init; }
        public DateOnly? AnsweredOn { get; init; }
        public long? ExtendedByDays { get; init; }
        public string Department { get; init; } = "";
        public long? ForwardedAt { get; init; }
    }

    public async ValueTask<LegalReport> Handle(GetPetitionActivityReport query, CancellationToken ct)
    {
        var v = new Validation();
        var scope = ReportScope.Read(v, query.From, query.To, null, null, null);
        v.ThrowIfInvalid();
        var today = Calendar.Today(clock);
        var rows = await uow.QueryAsync<Row>(Petitions, new { scope!.From, scope.To }, ct);

        var answered = rows.Where(r => r.AnsweredOn is not null).ToList();
        var forwarded = rows.Where(r => r.Status == CaseStatuses.Forwarded).ToList();
        var open = rows.Where(r => CaseStatuses.Open.Contains(r.Status)).ToList();
        var departments = rows.Where(r => r.PartyKind != PartyKinds.Anonymous).GroupBy(r => r.Department)
            .OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
        decimal? averageDays = answered.Count == 0 ? null
            : ReportText.Decimals((decimal)answered.Sum(r => r.AnsweredOn!.Value.DayNumber - r.RegisteredOn.DayNumber) / answered.Count, 1);

        LegalFigure[] figures =
        [
            LegalReport.Count("petitions_received", "Petiții primite și înregistrate", Og + " art. 6 alin. (1)", rows.Count),
            LegalReport.Count("petitions_written", "Petiții formulate în scris (ghișeu, poștă, teren, telefon consemnat și confirmat)", Og + " art. 2",
                rows.Count(r => r.Channel is "desk" or "post" or "field" or "phone" or "ivr")),
            LegalReport.Count("petitions_electronic", "Petiții primite prin poștă electronică (e-mail, formular web, hartă)", Og + " art. 2",
                rows.Count(r => r.Channel is "email" or "web" or "map")),
            LegalReport.Count("petitions_from_citizens", "Petiții ale cetățenilor (persoane fizice)", Og + " art. 1 alin. (1)",
                rows.Count(r => r.PartyKind is PartyKinds.Citizen or PartyKinds.Contact)),
            LegalReport.Count("petitions_from_organisations", "Petiții ale organizațiilor legal constituite", Og + " art. 1 alin. (2)",
                rows.Count(r => r.PartyKind == PartyKinds.Organisation)),
            LegalReport.Count("petitions_anonymous_filed", "Petiții anonime sau fără date de identificare, clasate", Og + " art. 7",
                rows.Count(r => r.PartyKind == PartyKinds.Anonymous)),
            LegalReport.Count("petitions_forwarded", "Petiții greșit îndreptate, trimise autorității competente", Og + " art. 6^1", forwarded.Count),
            LegalReport.Count("petitions_forwarded_within_5_days", "Dintre acestea, trimise în 5 zile de la înregistrare", Og + " art. 6^1",
                forwarded.Count(r => r.ForwardedAt is { } at && Calendar.LocalDate(Calendar.FromMs(at)) <= Deadlines.ForwardBy(r.RegisteredOn))),
            LegalReport.Count("petitions_joined", "Petiții conexate (același petiționar, aceeași problemă)", Og + " art. 10",
                rows.Count(r => r.Status == CaseStatuses.Joined)),
            LegalReport.Count("petitions_answered", "Petiții la care s-a răspuns", Og + " art. 8", answered.Count),
            LegalReport.Count("petitions_answered_within_term", "Răspunsuri în termenul legal (30 de zile, ori prelungit)", Og + " art. 8, art. 9",
                answered.Count(r => r.DueOn is { } due && r.AnsweredOn <= due)),
            LegalReport.Count("petitions_answered_late", "Răspunsuri după expirarea termenului", Og + " art. 8",
                answered.Count(r => r.DueOn is { } due && r.AnsweredOn > due)),
            LegalReport.Count("petitions_term_extended", "Petiții cu termen prelungit (cel mult 15 zile)", Og + " art. 9",
                rows.Count(r => r.ExtendedByDays is not null)),
            new LegalFigure("average_answer_days", "Numărul mediu de zile până la răspuns", Og + " art. 8 (analiza termenelor)", averageDays, null, null),
            LegalReport.Count("petitions_pending", "Petiții în curs de soluționare la data raportului", Og + " art. 8", open.Count),
            LegalReport.Count("petitions_pending_overdue", "Dintre acestea, cu termenul depășit", Og + " art. 8",
                open.Count(r => r.DueOn is { } due && due < today)),
            LegalReport.Count("petitions_filed_away", "Petiții clasate din alte motive (de exemplu retrase)", Og + " art. 6 alin. (1) (clasarea)",
                rows.Count(r => r.Status == CaseStatuses.Filed && r.PartyKind != PartyKinds.Anonymous)),
            LegalReport.Parts("petitions_by_department", "Petiții pe compartimentele care le soluționează", Og + " art. 6 alin. (2)", departments),
            LegalReport.Missing("petitions_by_topic", "Petiții pe probleme semnalate", Og + " art. 15 (analiza activității)",
                "A petition carries its subject as text, with no topic the system can count; service requests have their catalogue service instead."),
        ];
        return new LegalReport("Raport privind activitatea de soluționare a petițiilor (OG 27/2002)", "OG 27/2002 art. 15",
            scope.From, scope.To, today,
            "Petitions registered from " + ReportText.Of(scope.From) + " to " + ReportText.Of(scope.To) + ", with their outcome as of the day the report is drawn.",
            figures);
    }
}
