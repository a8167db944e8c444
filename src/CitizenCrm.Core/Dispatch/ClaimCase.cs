using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Dispatch;

/// <summary>
/// A dispatcher takes an open case for themselves: it is assigned to them, in the department it already has.
/// A case someone else holds is not taken over by a claim (that is a reassignment, a deliberate act): two dispatchers
/// claiming the same case, the second gets a 409 naming who has it. With the version the queue showed, a case
/// changed meanwhile in any other way is refused too.
/// </summary>
public sealed record ClaimCase(Guid CaseId, int? Version = null) : ICommand<DispatchCaseResult>;

public sealed class ClaimCaseHandler(UnitOfWork uow, Timeline.Timeline timeline, TimeProvider clock, RequestContext context)
    : ICommandHandler<ClaimCase, DispatchCaseResult>
{
    private const string Update = """
        UPDATE cases SET status = @Status, assigned_to = @Me, updated_at = @Now, version = version + 1
        WHERE id = @Id AND version = @Version
        """;

    public async ValueTask<DispatchCaseResult> Handle(ClaimCase command, CancellationToken ct)
    {
        var me = context.Staff?.Username ?? throw new ForbiddenException("Only a signed-in staff member can claim a case.");
        var c = await CaseStore.LoadAsync(uow, command.CaseId, ct);
        Lifecycle.Ensure(c, Lifecycle.Move.Assign);
        EnsureNotHeldByAnother(c, me);
        DispatchCases.EnsureVersion(c, command.Version);
        var changed = await uow.ExecuteAsync(Update, new
        {
            c.Id, c.Version, Me = me, Now = clock.GetUtcNow().ToUnixTimeMilliseconds(),
            Status = c.Status == CaseStatuses.Registered ? CaseStatuses.Assigned : c.Status,
        }, ct);
        if (changed != 1)
        {
            // On a server database two claims at the same moment both read the case before either committed; the second's
            // UPDATE waits for the first and then finds the version moved on. Read again to say who has it.
            EnsureNotHeldByAnother(await CaseStore.LoadAsync(uow, command.CaseId, ct), me);
            throw CaseStore.ChangedMeanwhile();
        }
        var recorded = await CaseStore.RecordAsync(timeline, c, "case.claimed",
            $"{CaseStore.KindName(c.Kind)} {c.RegistrationNumber} claimed by {me}",
            new { staff = me, department = c.AssignedDepartment, previousStaff = c.AssignedTo }, ct);
        return await DispatchCases.ResultAsync(uow, c.Id, recorded.Seq, clock, ct);
    }

    private static void EnsureNotHeldByAnother(CaseRow c, string me)
    {
        if (c.AssignedTo is { } holder && holder != me)
            throw new ConflictException($"Case {c.RegistrationNumber} was already claimed by {holder}. Pick another case, or ask a supervisor to reassign it.",
                "Already claimed");
    }
}
