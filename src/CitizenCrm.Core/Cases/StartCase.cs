using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Cases;

/// <summary>The assignee starts working on the case.</summary>
public sealed record StartCase(Guid CaseId) : ICommand<CaseDetails>;

public sealed class StartCaseHandler(UnitOfWork uow, Timeline.Timeline timeline, TimeProvider clock) : ICommandHandler<StartCase, CaseDetails>
{
    private const string Update = "UPDATE cases SET status = 'in_progress', updated_at = @Now, version = version + 1 WHERE id = @Id AND version = @Version";

    public async ValueTask<CaseDetails> Handle(StartCase command, CancellationToken ct)
    {
        var c = await CaseStore.LoadAsync(uow, command.CaseId, ct);
        Lifecycle.Ensure(c, Lifecycle.Move.Start);
        await CaseStore.UpdateAsync(uow, Update, new { c.Id, c.Version, Now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, ct);
        await CaseStore.RecordAsync(timeline, c, "case.started", $"Work started on {CaseStore.KindName(c.Kind).ToLowerInvariant()} {c.RegistrationNumber}", null, ct);
        return (await CaseStore.LoadAsync(uow, c.Id, ct)).ToDetails(Calendar.Today(clock));
    }
}
