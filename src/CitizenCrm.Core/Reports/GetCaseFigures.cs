using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Reports;

/// <summary>One kind of case (or "all") in the case figures.</summary>
public sealed record CaseFiguresRow(string Kind, long Opened, long Answered, long AnsweredWithinTerm, decimal? AnsweredWithinTermPercent, long OverdueNow);

public sealed record CaseFigures(DateOnly From, DateOnly To, DateOnly Today, string? Department, string? Channel, string? Service,
    IReadOnlyList<CaseFiguresRow> Kinds, CaseFiguresRow All) : IReportTable
{
    public IReadOnlyList<string> CsvHeader() => ["kind", "opened", "answered", "answered_within_term", "answered_within_term_percent", "overdue_now"];

    public IEnumerable<IReadOnlyList<string>> CsvRows() => Kinds.Append(All).Select(r => (IReadOnlyList<string>)
        [r.Kind, ReportText.Of(r.Opened), ReportText.Of(r.Answered), ReportText.Of(r.AnsweredWithinTerm), ReportText.Of(r.AnsweredWithinTermPercent), ReportText.Of(r.OverdueNow)]);
}

/// <summary>
/// Cases opened, answered, answered within their legal term, and overdue now, per kind and in all.
/// - opened: registered on a day of the range (the Bucharest registration date);
/// - answered: an answer or a motivated refusal (Law 544/2001 art. 7(2): a refusal is an answer) sent on a day of the range,
///   whenever the case was registered;
/// - answered within term: of those, answered on or before the due date (the term as extended, OG 27/2002 art. 9,
///   Law 544/2001 art. 7(1)); the percentage has one decimal and is null when nothing was answered;
/// - overdue now: open today and past its due date, whatever the range (a figure of today, not of the range).
/// </summary>
public sealed record GetCaseFigures(ReportFilter Filter) : IQuery<CaseFigures>, IValidatable
{
    public void Validate(Validation v) => Filter.Validate(v);
}

public sealed class GetCaseFiguresHandler(UnitOfWork uow, TimeProvider clock) : IQueryHandler<GetCaseFigures, CaseFigures>
{
    private const string Figures = """
        SELECT c.kind AS Kind,
               SUM(CASE WHEN c.registered_on BETWEEN @From AND @To THEN 1 ELSE 0 END) AS Opened,
               SUM(CASE WHEN c.answered_on BETWEEN @From AND @To THEN 1 ELSE 0 END) AS Answered,
               SUM(CASE WHEN c.answered_on BETWEEN @From AND @To AND c.due_on IS NOT NULL AND c.answered_on <= c.due_on THEN 1 ELSE 0 END) AS AnsweredWithinTerm,
               SUM(CASE WHEN c.status IN 
        """ + CaseStatuses.OpenSql + """
         AND c.due_on < @Today THEN 1 ELSE 0 END) AS OverdueNow
        """ + ReportScope.CasesFrom + " WHERE " + ReportScope.CaseFilters + " GROUP BY c.kind";

    private sealed record Row
    {
        public string Kind { get; init; } = "";
        public long Opened { get; init; }
        public long Answered { get; init; }
        public long AnsweredWithinTerm { get; init; }
        public long OverdueNow { get; init; }
    }

    public async ValueTask<CaseFigures> Handle(GetCaseFigures query, CancellationToken ct)
    {
        var scope = query.Filter.Scope();
        await scope.EnsureServiceKnownAsync(uow, ct);
        var today = Calendar.Today(clock);
        var rows = (await uow.QueryAsync<Row>(Figures, scope.Parameters(today), ct)).ToDictionary(r => r.Kind);
        // Every kind is listed, with zeros when there were none: a missing line would read as "not counted".
        var kinds = new[] { CaseKinds.Petition, CaseKinds.InformationRequest, CaseKinds.ServiceRequest }
            .Select(k => rows.TryGetValue(k, out var r) ? Line(k, r.Opened, r.Answered, r.AnsweredWithinTerm, r.OverdueNow) : Line(k, 0, 0, 0, 0))
            .ToList();
        var all = Line("all", kinds.Sum(k => k.Opened), kinds.Sum(k => k.Answered), kinds.Sum(k => k.AnsweredWithinTerm), kinds.Sum(k => k.OverdueNow));
        return new CaseFigures(scope.From, scope.To, today, scope.Department, scope.Channel, scope.Service, kinds, all);
    }

    private static CaseFiguresRow Line(string kind, long opened, long answered, long within, long overdue) =>
        new(kind, opened, answered, within, ReportText.Percent(within, answered), overdue);
}
