using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Cases;

/// <summary>Files an open case away with a reason (e.g. withdrawn by the party). Anonymous petitions are filed at registration.</summary>
public sealed record FileCase(Guid CaseId, string? Reason) : ICommand<CaseDetails>, IValidatable
{
    public void Validate(Validation v)
    {
        if (v.Required("reason", Reason, "The reason for filing the case away")) v.MaxLength("reason", Reason, 1000, "The reason");
    }
}

public sealed class FileCaseHandler(UnitOfWork uow, Timeline.Timeline timeline, TimeProvider clock) : ICommandHandler<FileCase, CaseDetails>
{
    private const string Update = "UPDATE cases SET status = 'filed', note = @Note, updated_at = @Now, version = version + 1 WHERE id = @Id AND version = @Version";

    public async ValueTask<CaseDetails> Handle(FileCase command, CancellationToken ct)
    {
        var c = await CaseStore.LoadAsync(uow, command.CaseId, ct);
        Lifecycle.Ensure(c, Lifecycle.Move.File);
        var reason = command.Reason!.Trim();
        await CaseStore.UpdateAsync(uow, Update, new { c.Id, c.Version, Note = reason, Now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, ct);
        await CaseStore.RecordAsync(timeline, c, "case.filed", $"{CaseStore.KindName(c.Kind)} {c.RegistrationNumber} filed away", new { reason }, ct);
        return (await CaseStore.LoadAsync(uow, c.Id, ct)).ToDetails(Calendar.Today(clock));
    }
}
