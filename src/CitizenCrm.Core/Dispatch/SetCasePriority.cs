using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Dispatch;

/// <summary>
/// A dispatcher sets an open case's priority: low, normal (every case starts there), high or urgent. Priority orders
/// cases with the same time left; it never moves a case ahead of one whose term runs out sooner (the law's terms come first).
/// </summary>
public sealed record SetCasePriority(Guid CaseId, string? Priority, int? Version = null) : ICommand<DispatchCaseResult>, IValidatable
{
    public void Validate(Validation v)
    {
        if (v.Required("priority", Priority, "The priority (low, normal, high or urgent)") && !Priorities.All.Contains(Priority!))
            v.Add("priority", "The priority must be low, normal, high or urgent.");
    }
}

public sealed class SetCasePriorityHandler(UnitOfWork uow, Timeline.Timeline timeline, TimeProvider clock) : ICommandHandler<SetCasePriority, DispatchCaseResult>
{
    private const string Current = "SELECT priority FROM cases WHERE id = @Id";
    private const string Update = "UPDATE cases SET priority = @Priority, updated_at = @Now, version = version + 1 WHERE id = @Id AND version = @Version";

    public async ValueTask<DispatchCaseResult> Handle(SetCasePriority command, CancellationToken ct)
    {
        var c = await CaseStore.LoadAsync(uow, command.CaseId, ct);
        if (!c.IsOpen)
            throw new ConflictException($"Case {c.RegistrationNumber} is {c.Status.Replace('_', ' ')}: it no longer waits in the queue, so its priority cannot change.",
                "Not possible in this status");
        DispatchCases.EnsureVersion(c, command.Version);
        var before = Priorities.FromNumber(await uow.ExecuteScalarAsync<long>(Current, new { c.Id }, ct));
        await CaseStore.UpdateAsync(uow, Update, new
        {
            c.Id, c.Version, Priority = Priorities.ToNumber(command.Priority!), Now = clock.GetUtcNow().ToUnixTimeMilliseconds(),
        }, ct);
        var recorded = await CaseStore.RecordAsync(timeline, c, "case.priority_set",
            $"{CaseStore.KindName(c.Kind)} {c.RegistrationNumber}: priority {before} → {command.Priority}",
            new { priority = command.Priority, previousPriority = before }, ct);
        return await DispatchCases.ResultAsync(uow, c.Id, recorded.Seq, clock, ct);
    }
}
