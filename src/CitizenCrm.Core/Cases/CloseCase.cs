using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Cases;

/// <summary>Closes an answered case. Raised again later, the matter is a new registration linked to this one.</summary>
public sealed record CloseCase(Guid CaseId, string? Note) : ICommand<CaseDetails>, IValidatable
{
    public void Validate(Validation v) => v.MaxLength("note", Note, 1000, "The note");
}

public sealed class CloseCaseHandler(UnitOfWork uow, Timeline.Timeline timeline, TimeProvider clock) : ICommandHandler<CloseCase, CaseDetails>
{
    private const string Update = """
        UPDATE cases SET status = 'closed', closed_at = @Now, note = COALESCE(@Note, note), updated_at = @Now, version = version + 1
        WHERE id = @Id AND version = @Version
        """;

    public async ValueTask<CaseDetails> Handle(CloseCase command, CancellationToken ct)
    {
        var c = await CaseStore.LoadAsync(uow, command.CaseId, ct);
        Lifecycle.Ensure(c, Lifecycle.Move.Close);
        var note = string.IsNullOrWhiteSpace(command.Note) ? null : command.Note.Trim();
        await CaseStore.UpdateAsync(uow, Update, new { c.Id, c.Version, Note = note, Now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, ct);
        await CaseStore.RecordAsync(timeline, c, "case.closed", $"{CaseStore.KindName(c.Kind)} {c.RegistrationNumber} closed", new { note }, ct);
        return (await CaseStore.LoadAsync(uow, c.Id, ct)).ToDetails(Calendar.Today(clock));
    }
}
