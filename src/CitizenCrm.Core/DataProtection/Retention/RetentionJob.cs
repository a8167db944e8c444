using CitizenCrm.Core.Common;
using Mediator;
using Microsoft.Extensions.Options;
using Quartz;

namespace CitizenCrm.Core.DataProtection.Retention;

/// <summary>
/// Enforces the retention periods (<see cref="RetentionOptions"/>) every night: each rule forgets, batch by batch, the
/// records older than its cutoff (now minus its days, on the application's clock). Idempotent: a second run finds nothing
/// left past the same cutoffs. Its run is in job_runs with one count per rule. It never touches timeline_events (its
/// triggers would refuse): only the personal details of an event, in timeline_details, may expire.
/// </summary>
[DisallowConcurrentExecution]
public sealed class RetentionJob(IMediator mediator, RequestContext context, IOptions<RetentionOptions> options, TimeProvider clock) : IJob
{
    public const string Name = "data-retention";

    public async ValueTask Execute(IJobExecutionContext job, CancellationToken ct)
    {
        context.ActAsJob(Name);
        var now = clock.GetUtcNow();
        var counts = new List<string>();
        foreach (var rule in RetentionRules.All)
        {
            var cutoff = now - TimeSpan.FromDays(rule.Days(options.Value));
            var total = 0;
            int removed;
            do
            {
                removed = await mediator.Send(new ApplyRetentionRule(rule.Name, cutoff), ct);
                total += removed;
            } while (removed == RetentionRules.BatchSize && !ct.IsCancellationRequested);
            counts.Add($"{rule.Name} {total}");
        }
        job.Result = "Removed past retention: " + string.Join(", ", counts);
    }
}
