using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Reports;

public sealed record DailySnapshotRow(DateOnly Day, string Channel, string Department, long Interactions, long CasesOpened, long CasesAnswered,
    long AnsweredWithinTerm, long OverdueOpen, DateTimeOffset TakenAt);

public sealed record DailySnapshots(DateOnly From, DateOnly To, string? Department, string? Channel, IReadOnlyList<DailySnapshotRow> Rows) : IReportTable
{
    public IReadOnlyList<string> CsvHeader() =>
        ["day", "channel", "department", "interactions", "cases_opened", "cases_answered", "answered_within_term", "overdue_open", "taken_at"];

    public IEnumerable<IReadOnlyList<string>> CsvRows() => Rows.Select(r => (IReadOnlyList<string>)
    [
        ReportText.Of(r.Day), r.Channel, r.Department, ReportText.Of(r.Interactions), ReportText.Of(r.CasesOpened), ReportText.Of(r.CasesAnswered),
        ReportText.Of(r.AnsweredWithinTerm), ReportText.Of(r.OverdueOpen), r.TakenAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
    ]);
}

/// <summary>
/// The nightly snapshots as stored (statistics-snapshot job), per day, channel and department: the one place that keeps
/// how many cases were overdue on a past day. Days the job did not run for are simply absent. The service filter does not
/// apply (snapshots are per channel and department).
/// </summary>
public sealed record GetDailySnapshots(ReportFilter Filter) : IQuery<DailySnapshots>, IValidatable
{
    public void Validate(Validation v)
    {
        Filter.Validate(v);
        if (!string.IsNullOrWhiteSpace(Filter.Service)) v.Add("service", "Snapshots are kept per channel and department, not per service.");
    }
}

public sealed class GetDailySnapshotsHandler(UnitOfWork uow) : IQueryHandler<GetDailySnapshots, DailySnapshots>
{
    private const string Rows = """
        SELECT day AS Day, channel AS Channel, department AS Department, interactions AS Interactions, cases_opened AS CasesOpened,
               cases_answered AS CasesAnswered, answered_within_term AS AnsweredWithinTerm, overdue_open AS OverdueOpen, taken_at AS TakenAtMs
        FROM statistics_snapshots
        WHERE day BETWEEN @From AND @To AND (@Channel IS NULL OR channel = @Channel) AND (@Department IS NULL OR department = @Department)
        ORDER BY day, channel, department
        """;

    private sealed record Row
    {
        public DateOnly Day { get; init; }
        public string Channel { get; init; } = "";
        public string Department { get; init; } = "";
        public long Interactions { get; init; }
        public long CasesOpened { get; init; }
        public long CasesAnswered { get; init; }
        public long AnsweredWithinTerm { get; init; }
        public long OverdueOpen { get; init; }
        public long TakenAtMs { get; init; }
    }

    public async ValueTask<DailySnapshots> Handle(GetDailySnapshots query, CancellationToken ct)
    {
        var scope = query.Filter.Scope();
        var rows = await uow.QueryAsync<Row>(Rows, scope.Parameters(default), ct);
        return new DailySnapshots(scope.From, scope.To, scope.Department, scope.Channel, rows.Select(r => new DailySnapshotRow(r.Day, r.Channel, r.Department,
            r.Interactions, r.CasesOpened, r.CasesAnswered, r.AnsweredWithinTerm, r.OverdueOpen, Calendar.FromMs(r.TakenAtMs))).ToList());
    }
}
