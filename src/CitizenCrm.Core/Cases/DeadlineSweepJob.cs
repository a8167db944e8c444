using System.Globalization;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Holidays;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Mediator;
using Quartz;

namespace CitizenCrm.Core.Cases;

/// <summary>
/// Escalates open cases whose statutory term is about to run out or has run out: "due soon" when the due date falls
/// within the next 3 working days (weekends, legal holidays and declared free days do not count), "overdue" once the
/// due date has passed (the due date itself is still in time). Each stage fires once per case and due date: a dedup
/// key on the timeline and the case's escalation column both say it happened. A term extended later (OG 27/2002
/// art. 9) is a new due date, and its stages fire again.
/// A case due soon also gets an e-mail notice, through the notifications outbox in the same transaction, to its assignee
/// and the supervisors of its department (staff accounts with an e-mail; see Notifications/Outbox.cs).
/// </summary>
public sealed record SweepDeadlines : ICommand<DeadlineSweepResult>;

public sealed record DeadlineSweepResult(int DueSoon, int Overdue)
{
    public string Summary => $"{DueSoon} case(s) escalated as due soon, {Overdue} flagged overdue";
}

public sealed class SweepDeadlinesHandler(UnitOfWork uow, Timeline.Timeline timeline, TimeProvider clock, Notifications.Outbox outbox)
    : ICommandHandler<SweepDeadlines, DeadlineSweepResult>
{
    /// <summary>The rule: a case due within 3 working days is due soon.</summary>
    public const int DueSoonWorkingDays = 3;

    // Open cases whose term ends on or before the horizon and whose current due date has not had this stage yet:
    // no escalation, or one raised for another (earlier) due date, or only "due soon" for a case now overdue.
    private const string Candidates = """
        SELECT id AS Id, register_code AS RegisterCode, number AS Number, year AS Year, citizen_id AS CitizenId, due_on AS DueOn,
               assigned_department AS AssignedDepartment, assigned_to AS AssignedTo, escalation AS Escalation,
               escalation_due_on AS EscalationDueOn
        FROM cases
        WHERE status IN 
        """ + CaseStatuses.OpenSql + """
         AND due_on IS NOT NULL AND due_on <= @Horizon
          AND (escalation IS NULL OR escalation_due_on IS NULL OR escalation_due_on <> due_on
               OR (escalation = 'due_soon' AND due_on < @Today))
        ORDER BY due_on, id
        """;
    private const string Mark = """
        UPDATE cases SET escalation = @Stage, escalation_due_on = @DueOn, escalated_at = @Now
        WHERE id = @Id AND due_on = @DueOn
        """;

    private sealed record Candidate
    {
        public Guid Id { get; init; }
        public string RegisterCode { get; init; } = "";
        public int Number { get; init; }
        public int Year { get; init; }
        public Guid? CitizenId { get; init; }
        public DateOnly DueOn { get; init; }
        public string? AssignedDepartment { get; init; }
        public string? AssignedTo { get; init; }
        public string? Escalation { get; init; }
        public DateOnly? EscalationDueOn { get; init; }
    }

    public async ValueTask<DeadlineSweepResult> Handle(SweepDeadlines command, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var today = Common.Calendar.Today(clock);
        var workingDays = await WorkingDays.LoadAsync(uow, today.Year, today.Year + 1, ct);
        var horizon = NthWorkingDayAfter(workingDays, today, DueSoonWorkingDays);

        int dueSoon = 0, overdue = 0;
        foreach (var c in await uow.QueryAsync<Candidate>(Candidates, new { Horizon = horizon, Today = today }, ct))
        {
            var stage = c.DueOn < today ? "overdue" : "due_soon";
            if (c.Escalation == stage && c.EscalationDueOn == c.DueOn) continue;
            await uow.ExecuteAsync(Mark, new { Stage = stage, c.DueOn, Now = now.ToUnixTimeMilliseconds(), c.Id }, ct);
            var number = $"{c.Number}/{c.Year}";
            var due = c.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var who = c.AssignedTo ?? c.AssignedDepartment ?? "nobody yet";
            await timeline.AppendAsync(new TimelineEntry
            {
                Kind = stage == "overdue" ? "case.overdue" : "case.due_soon", Channel = Channels.System, Actor = "system",
                CaseId = c.Id, CitizenId = c.CitizenId,
                Summary = stage == "overdue"
                    ? $"Case {number} is overdue: its term ended on {due} (assigned to {who})"
                    : $"Case {number} is due soon: its term ends on {due}, within {DueSoonWorkingDays} working days (assigned to {who})",
                Payload = new { Stage = stage, DueOn = due, c.AssignedDepartment, c.AssignedTo, c.RegisterCode },
                DedupKey = $"deadline:{c.Id}:{due}:{stage}",
            }, ct);
            if (stage == "due_soon") await outbox.ForStaffAsync(Notifications.NotificationKinds.Escalation, await CaseStore.LoadAsync(uow, c.Id, ct), ct);
            if (stage == "overdue") overdue++; else dueSoon++;
        }
        return new DeadlineSweepResult(dueSoon, overdue);
    }

    /// <summary>The n-th working day after <paramref name="day"/> (the day itself not counted).</summary>
    public static DateOnly NthWorkingDayAfter(WorkingDays workingDays, DateOnly day, int n)
    {
        for (var counted = 0; counted < n;)
        {
            day = day.AddDays(1);
            if (workingDays.IsWorkingDay(day)) counted++;
        }
        return day;
    }
}

/// <summary>The scheduled run of <see cref="SweepDeadlines"/>, in a scope of its own (actor "system").</summary>
[DisallowConcurrentExecution]
public sealed class DeadlineSweepJob(IMediator mediator, RequestContext context) : IJob
{
    public const string Name = "deadline-sweep";

    public async ValueTask Execute(IJobExecutionContext job, CancellationToken ct)
    {
        context.ActAsJob(Name);
        var result = await mediator.Send(new SweepDeadlines(), ct);
        job.Result = result.Summary;
    }
}
