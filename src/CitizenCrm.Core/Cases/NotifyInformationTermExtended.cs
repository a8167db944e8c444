using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Cases;

/// <summary>
/// An information request is answered within 10 days, or within 30 when the requester is told so within the 10
/// (Law 544/2001 art. 7(1)). Recording that notice moves the due date to the 30th day; after the 10th day it is refused.
/// </summary>
public sealed record NotifyInformationTermExtended(Guid CaseId, string? Reason, string? NoticeVia) : ICommand<CaseDetails>, IValidatable
{
    public void Validate(Validation v)
    {
        if (v.Required("reason", Reason, "Why the answer needs more time")) v.MaxLength("reason", Reason, 1000, "The reason");
        AnswerRules.ValidateSentVia(v, "noticeVia", NoticeVia);
    }
}

public sealed class NotifyInformationTermExtendedHandler(UnitOfWork uow, Timeline.Timeline timeline, TimeProvider clock, DeadlineCalendar calendar,
    Notifications.Outbox outbox)
    : ICommandHandler<NotifyInformationTermExtended, CaseDetails>
{
    private const string Update = """
        UPDATE cases SET term_days = @TermDays, extension_notified_at = @Now, due_on = @DueOn, updated_at = @Now, version = version + 1
        WHERE id = @Id AND version = @Version
        """;

    public async ValueTask<CaseDetails> Handle(NotifyInformationTermExtended command, CancellationToken ct)
    {
        var c = await CaseStore.LoadAsync(uow, command.CaseId, ct);
        if (c.Kind != CaseKinds.InformationRequest)
            throw new ConflictException($"Case {c.RegistrationNumber} is not an information request; the 10-to-30-day notice is a rule of Law 544/2001 only." +
                (c.Kind == CaseKinds.Petition ? " A petition's term is extended with 'extend'." : ""), "Not an information request");
        Lifecycle.Ensure(c, Lifecycle.Move.NotifyExtendedTerm);
        if (c.TermDays == Deadlines.InformationExtendedDays)
            throw new ConflictException($"The requester of {c.RegistrationNumber} was already told that the answer comes within 30 days (by {c.DueOn:yyyy-MM-dd}).", "Already told");
        var now = clock.GetUtcNow();
        var today = Calendar.LocalDate(now);
        if (today > c.DueOn!.Value)
            throw new ConflictException(
                $"The requester must be told within 10 days of registration that the answer needs up to 30 days (Law 544/2001 art. 7(1)). " +
                $"For {c.RegistrationNumber} the 10 days ended on {c.DueOn:yyyy-MM-dd}, so the term can no longer be extended: answer the request now, it is already late.",
                "Too late to extend");

        var dueOn = await calendar.DueOnAsync(c.RegisteredOn, Deadlines.InformationExtendedDays, ct);
        await CaseStore.UpdateAsync(uow, Update, new { c.Id, c.Version, TermDays = Deadlines.InformationExtendedDays, DueOn = dueOn, Now = now.ToUnixTimeMilliseconds() }, ct);
        await CaseStore.RecordAsync(timeline, c, "case.term_extended",
            $"Requester of {c.RegistrationNumber} told by {command.NoticeVia!.Replace('_', ' ')} that the answer comes within 30 days, by {dueOn:yyyy-MM-dd}",
            new { previousDueOn = c.DueOn, dueOn, reason = command.Reason!.Trim(), noticeVia = command.NoticeVia }, ct);
        // Law 544/2001 art. 7(1): the requester is told within the 10 days that the answer needs up to 30.
        await outbox.ForPartyAsync(Notifications.NotificationKinds.TermExtended, await CaseStore.LoadAsync(uow, c.Id, ct), ct, command.Reason!.Trim());
        return (await CaseStore.LoadAsync(uow, c.Id, ct)).ToDetails(today);
    }
}
