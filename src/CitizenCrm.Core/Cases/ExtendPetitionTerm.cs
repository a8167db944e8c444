using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Cases;

/// <summary>
/// The head of the institution extends a petition's 30-day term once, by at most 15 days, and the petitioner is told
/// before the term expires (OG 27/2002 art. 9, as amended by Law 31/2018). After the term ended it is too late.
/// </summary>
public sealed record ExtendPetitionTerm(Guid CaseId, int? Days, string? Reason, string? NoticeVia) : ICommand<CaseDetails>, IValidatable
{
    public void Validate(Validation v)
    {
        if (v.Required("days", Days, "The number of days") && Days is < 1 or > Deadlines.PetitionMaxExtensionDays)
            v.Add("days", $"A petition's term is extended by 1 to {Deadlines.PetitionMaxExtensionDays} days (OG 27/2002 art. 9).");
        if (v.Required("reason", Reason, "The reason for the extension")) v.MaxLength("reason", Reason, 1000, "The reason");
        AnswerRules.ValidateSentVia(v, "noticeVia", NoticeVia);
    }
}

public sealed class ExtendPetitionTermHandler(UnitOfWork uow, Timeline.Timeline timeline, TimeProvider clock, DeadlineCalendar calendar,
    Notifications.Outbox outbox)
    : ICommandHandler<ExtendPetitionTerm, CaseDetails>
{
    private const string Update = """
        UPDATE cases SET extended_by_days = @Days, extension_notified_at = @Now, due_on = @DueOn, updated_at = @Now, version = version + 1
        WHERE id = @Id AND version = @Version
        """;

    public async ValueTask<CaseDetails> Handle(ExtendPetitionTerm command, CancellationToken ct)
    {
        var c = await CaseStore.LoadAsync(uow, command.CaseId, ct);
        if (c.Kind != CaseKinds.Petition)
            throw new ConflictException(c.Kind == CaseKinds.InformationRequest
                ? $"Case {c.RegistrationNumber} is an information request: its term goes from 10 to 30 days by telling the requester (notify-extended-term), not by this extension."
                : $"Case {c.RegistrationNumber} is a service request; its term comes from its category and is not extended.", "Not a petition");
        Lifecycle.Ensure(c, Lifecycle.Move.Extend);
        if (c.ExtendedByDays is { } already)
            throw new ConflictException($"The term of petition {c.RegistrationNumber} was already extended by {already} days; the law allows one extension only (OG 27/2002 art. 9).", "Already extended");
        var now = clock.GetUtcNow();
        var today = Calendar.LocalDate(now);
        if (today > c.DueOn!.Value)
            throw new ConflictException(
                $"The term of petition {c.RegistrationNumber} ended on {c.DueOn:yyyy-MM-dd}. An extension must be notified to the petitioner before the term expires " +
                "(OG 27/2002 art. 9), so it can no longer be given: answer the petition now, it is already late.", "Too late to extend");

        var days = command.Days!.Value;
        var dueOn = await calendar.DueOnAsync(c.RegisteredOn, (int)c.TermDays!.Value + days, ct);
        await CaseStore.UpdateAsync(uow, Update, new { c.Id, c.Version, Days = days, DueOn = dueOn, Now = now.ToUnixTimeMilliseconds() }, ct);
        await CaseStore.RecordAsync(timeline, c, "case.term_extended",
            $"Term of petition {c.RegistrationNumber} extended by {days} days to {dueOn:yyyy-MM-dd}; petitioner told by {command.NoticeVia!.Replace('_', ' ')}",
            new { days, previousDueOn = c.DueOn, dueOn, reason = command.Reason!.Trim(), noticeVia = command.NoticeVia }, ct);
        // OG 27/2002 art. 9: the petitioner is told of the extension before the term runs out.
        await outbox.ForPartyAsync(Notifications.NotificationKinds.TermExtended, await CaseStore.LoadAsync(uow, c.Id, ct), ct, command.Reason!.Trim());
        return (await CaseStore.LoadAsync(uow, c.Id, ct)).ToDetails(today);
    }
}
