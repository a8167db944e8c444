using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Mediator;
using Quartz;

namespace CitizenCrm.Core.Reports;

/// <summary>
/// Stores one day's figures per channel and department in statistics_snapshots: interactions (as the interactions report
/// counts them), cases opened, answered and answered within term that day, and the open cases past their due date at the
/// end of that day. Idempotent: the day's rows are deleted and written again in one transaction, so running it twice
/// leaves one row set (the figures of the later run). The day defaults to yesterday in Bucharest.
/// It changes no case and no citizen, so it appends nothing to the timeline; its run is in job_runs.
/// "Overdue at the end of the day" is counted from the cases as they are when the job runs (an answer recorded later
/// with an earlier date is not seen): that is why it runs soon after midnight.
/// </summary>
public sealed record TakeStatisticsSnapshot(DateOnly? Day = null) : ICommand<StatisticsSnapshotResult>;

public sealed record StatisticsSnapshotResult(DateOnly Day, int Rows, int Replaced)
{
    public string Summary => $"Statistics for {Day:yyyy-MM-dd}: {Rows} row(s) stored" + (Replaced > 0 ? $", replacing {Replaced} from an earlier run" : "");
}

public sealed class TakeStatisticsSnapshotHandler(UnitOfWork uow, TimeProvider clock) : ICommandHandler<TakeStatisticsSnapshot, StatisticsSnapshotResult>
{
    private const string Delete = "DELETE FROM statistics_snapshots WHERE day = @Day";

    // The same interactions as the report (InteractionEvents); a robot's call has no department.
    private const string Interactions = """
        SELECT t.channel AS Channel, COALESCE(c.assigned_department, s.department, '') AS Department, COUNT(*) AS N
        FROM timeline_events t
        LEFT JOIN cases c ON c.id = t.case_id
        LEFT JOIN service_categories s ON s.code = c.category_code
        WHERE t.occurred_at >= @FromMs AND t.occurred_at < @ToMs AND 
        """ + InteractionEvents.Contact + """
        GROUP BY t.channel, COALESCE(c.assigned_department, s.department, '')
        UNION ALL
        SELECT 'ivr' AS Channel, '' AS Department, COUNT(*) AS N FROM (
        """ + InteractionEvents.Calls + """
        ) calls
        """;

    private const string Cases = """
        SELECT c.channel AS Channel, COALESCE(c.assigned_department, s.department, '') AS Department,
               SUM(CASE WHEN c.registered_on = @Day THEN 1 ELSE 0 END) AS Opened,
               SUM(CASE WHEN c.answered_on = @Day THEN 1 ELSE 0 END) AS Answered,
               SUM(CASE WHEN c.answered_on = @Day AND c.due_on IS NOT NULL AND c.answered_on <= c.due_on THEN 1 ELSE 0 END) AS WithinTerm,
               SUM(CASE WHEN c.status IN 
        """ + CaseStatuses.OpenSql + """
         AND c.due_on < @Day AND c.registered_on <= @Day THEN 1 ELSE 0 END) AS Overdue
        FROM cases c LEFT JOIN service_categories s ON s.code = c.category_code
        WHERE c.registered_on = @Day OR c.answered_on = @Day OR (c.status IN 
        """ + CaseStatuses.OpenSql + """
         AND c.due_on < @Day)
        GROUP BY c.channel, COALESCE(c.assigned_department, s.department, '')
        """;

    private const string Insert = """
        INSERT INTO statistics_snapshots (day, channel, department, interactions, cases_opened, cases_answered, answered_within_term, overdue_open, taken_at)
        VALUES (@Day, @Channel, @Department, @Interactions, @Opened, @Answered, @WithinTerm, @Overdue, @Now)
        """;

    private sealed record InteractionRow
    {
        public string Channel { get; init; } = "";
        public string Department { get; init; } = "";
        public long N { get; init; }
    }

    private sealed record CaseRow
    {
        public string Channel { get; init; } = "";
        public string Department { get; init; } = "";
        public long Opened { get; init; }
        public long Answered { get; init; }
        public long WithinTerm { get; init; }
        public long Overdue { get; init; }
    }

    public async ValueTask<StatisticsSnapshotResult> Handle(TakeStatisticsSnapshot command, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var day = command.Day ?? Calendar.LocalDate(now).AddDays(-1);
        var range = new { Day = day, FromMs = Calendar.StartOfDay(day).ToUnixTimeMilliseconds(), ToMs = Calendar.StartOfDay(day.AddDays(1)).ToUnixTimeMilliseconds() };
        var lines = new Dictionary<(string Channel, string Department), (long Interactions, CaseRow Cases)>();
        foreach (var r in await uow.QueryAsync<InteractionRow>(Interactions, range, ct))
            lines[(r.Channel, r.Department)] = ((lines.TryGetValue((r.Channel, r.Department), out var l) ? l.Interactions : 0) + r.N, new CaseRow());
        foreach (var r in await uow.QueryAsync<CaseRow>(Cases, range, ct))
            lines[(r.Channel, r.Department)] = (lines.TryGetValue((r.Channel, r.Department), out var l) ? l.Interactions : 0, r);

        var replaced = await uow.ExecuteAsync(Delete, new { Day = day }, ct);
        var stored = 0;
        foreach (var ((channel, department), (interactions, cases)) in lines.OrderBy(l => l.Key.Channel, StringComparer.Ordinal).ThenBy(l => l.Key.Department, StringComparer.Ordinal))
        {
            if (interactions == 0 && cases.Opened == 0 && cases.Answered == 0 && cases.Overdue == 0) continue;
            stored += await uow.ExecuteAsync(Insert, new
            {
                Day = day, Channel = channel, Department = department, Interactions = interactions, cases.Opened, cases.Answered,
                cases.WithinTerm, cases.Overdue, Now = now.ToUnixTimeMilliseconds(),
            }, ct);
        }
        return new StatisticsSnapshotResult(day, stored, replaced);
    }
}

/// <summary>The nightly run of <see cref="TakeStatisticsSnapshot"/> for yesterday, in a scope of its own (actor "system").</summary>
[DisallowConcurrentExecution]
public sealed class StatisticsSnapshotJob(IMediator mediator, RequestContext context) : IJob
{
    public const string Name = "statistics-snapshot";

    public async ValueTask Execute(IJobExecutionContext job, CancellationToken ct)
    {
        context.ActAsJob(Name);
        var result = await mediator.Send(new TakeStatisticsSnapshot(), ct);
        job.Result = result.Summary;
    }
}
