using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Cases;

/// <summary>
/// A petition addressed to the wrong authority is forwarded to the competent one within 5 days of registration, and
/// the petitioner is told (OG 27/2002 art. 6^1); its 30 days then run at that authority. A forward after the 5 days
/// is still recorded (the petitioner is better served by a late forward than by none), and the event says it was late.
/// </summary>
public sealed record ForwardPetition(Guid CaseId, string? ForwardedTo, string? NoticeVia, string? Note) : ICommand<CaseDetails>, IValidatable
{
    public void Validate(Validation v)
    {
        if (v.Required("forwardedTo", ForwardedTo, "The authority the petition is forwarded to")) v.MaxLength("forwardedTo", ForwardedTo, 200, "The authority");
        AnswerRules.ValidateSentVia(v, "noticeVia", NoticeVia);
        v.MaxLength("note", Note, 1000, "The note");
    }
}

public sealed class ForwardPetitionHandler(UnitOfWork uow, Timeline.Timeline timeline, TimeProvider clock, Notifications.Outbox outbox) : ICommandHandler<ForwardPetition, CaseDetails>
{
    private const string Update = """
        UPDATE cases SET status = 'forwarded', forwarded_to = @ForwardedTo, note = @Note, updated_at = @Now, version = version + 1
        WHERE id = @Id AND version = @Version
        """;

    public async ValueTask<CaseDetails> Handle(ForwardPetition command, CancellationToken ct)
    {
        var c = await CaseStore.LoadAsync(uow, command.CaseId, ct);
        if (c.Kind != CaseKinds.Petition)
            throw new ConflictException($"Case {c.RegistrationNumber} is not a petition; only petitions are forwarded to another authority (OG 27/2002 art. 6^1).", "Not a petition");
        Lifecycle.Ensure(c, Lifecycle.Move.Forward);
        var now = clock.GetUtcNow();
        var today = Calendar.LocalDate(now);
        var forwardBy = Deadlines.ForwardBy(c.RegisteredOn);
        var to = command.ForwardedTo!.Trim();
        var note = string.IsNullOrWhiteSpace(command.Note) ? $"Trimisă spre competentă soluționare către {to}." : command.Note.Trim();
        await CaseStore.UpdateAsync(uow, Update, new { c.Id, c.Version, ForwardedTo = to, Note = note, Now = now.ToUnixTimeMilliseconds() }, ct);
        var late = today > forwardBy ? $", after the 5-day term ({forwardBy:yyyy-MM-dd})" : "";
        await CaseStore.RecordAsync(timeline, c, "case.forwarded",
            $"Petition {c.RegistrationNumber} forwarded to {to}; petitioner told by {command.NoticeVia!.Replace('_', ' ')}{late}",
            new { forwardedTo = to, noticeVia = command.NoticeVia, forwardBy, late = late.Length > 0, note }, ct);
        // OG 27/2002 art. 6^1: the petitioner is told of the forward; an e-mail or SMS goes whatever noticeVia says (a letter
        // by post is the clerk's, the electronic copy reaches the petitioner days earlier).
        await outbox.ForPartyAsync(Notifications.NotificationKinds.Forwarded, await CaseStore.LoadAsync(uow, c.Id, ct), ct);
        return (await CaseStore.LoadAsync(uow, c.Id, ct)).ToDetails(today);
    }
}
