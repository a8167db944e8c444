using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.DataProtection.Retention;

/// <summary>
/// Forgets one batch of the records of one rule that are older than the cutoff; returns how many it removed (fewer than
/// the batch: the rule is done for this run). One command per batch, so each batch is one short transaction.
/// It appends nothing to the timeline: expiring records is no event in a citizen's or a case's story, and the run is in
/// job_runs with its counts.
/// </summary>
public sealed record ApplyRetentionRule(string Rule, DateTimeOffset Cutoff, int Batch = RetentionRules.BatchSize) : ICommand<int>;

public sealed class ApplyRetentionRuleHandler(UnitOfWork uow) : ICommandHandler<ApplyRetentionRule, int>
{
    public async ValueTask<int> Handle(ApplyRetentionRule command, CancellationToken ct)
    {
        var rule = RetentionRules.Find(command.Rule) ?? throw new NotFoundException("retention rule", command.Rule);
        return await uow.ExecuteAsync(rule.Sql, new { Cutoff = command.Cutoff.ToUnixTimeMilliseconds(), command.Batch }, ct);
    }
}
