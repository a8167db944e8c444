using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Cases;

/// <summary>
/// Refuses the request with a motivated answer (its reason and legal basis), numbered and sent like an answer.
/// An information request is refused within 5 days (Law 544/2001 art. 7(2)); a later refusal is still recorded,
/// since the requester is better served by a late answer than by none, and the event says it was late.
/// </summary>
public sealed record RejectCase(Guid CaseId, string? Reason, string? LegalBasis, string? SignedBy, string? SentVia) : ICommand<CaseDetails>, IValidatable
{
    public void Validate(Validation v)
    {
        if (v.Required("reason", Reason, "The reason for the refusal")) v.MaxLength("reason", Reason, 5_000, "The reason");
        if (v.Required("legalBasis", LegalBasis, "The legal basis of the refusal")) v.MaxLength("legalBasis", LegalBasis, 300, "The legal basis");
        if (v.Required("signedBy", SignedBy, "Who signed the refusal")) v.MaxLength("signedBy", SignedBy, 200, "The signatory");
        AnswerRules.ValidateSentVia(v, "sentVia", SentVia);
    }
}

public sealed class RejectCaseHandler(UnitOfWork uow, Timeline.Timeline timeline, TimeProvider clock) : ICommandHandler<RejectCase, CaseDetails>
{
    private const string Update = """
        UPDATE cases SET status = 'rejected', note = @Reason, answer_text = @Reason, answer_legal_basis = @LegalBasis, answer_signed_by = @SignedBy,
                         answer_sent_via = @SentVia, answer_sent_at = @Now, answered_on = @Today,
                         answer_register = register_code, answer_number = @AnswerNumber, answer_year = @AnswerYear,
                         updated_at = @Now, version = version + 1
        WHERE id = @Id AND version = @Version
        """;

    public async ValueTask<CaseDetails> Handle(RejectCase command, CancellationToken ct)
    {
        var c = await CaseStore.LoadAsync(uow, command.CaseId, ct);
        Lifecycle.Ensure(c, Lifecycle.Move.Reject);
        var now = clock.GetUtcNow();
        var today = Calendar.LocalDate(now);
        var answerNumber = await RegistrationNumbers.NextAsync(uow, c.RegisterCode, today.Year, ct);
        await CaseStore.UpdateAsync(uow, Update, new
        {
            c.Id, c.Version, Reason = command.Reason!.Trim(), LegalBasis = command.LegalBasis!.Trim(), SignedBy = command.SignedBy!.Trim(),
            command.SentVia, Now = now.ToUnixTimeMilliseconds(), Today = today, AnswerNumber = answerNumber, AnswerYear = today.Year,
        }, ct);
        var refuseBy = c.Kind == CaseKinds.InformationRequest ? Deadlines.RefuseBy(c.RegisteredOn) : (DateOnly?)null;
        var late = refuseBy is { } by && today > by ? $", after the 5-day term for a refusal ({by:yyyy-MM-dd}, Law 544/2001 art. 7(2))" : "";
        await CaseStore.RecordAsync(timeline, c, "case.rejected",
            $"{CaseStore.KindName(c.Kind)} {c.RegistrationNumber} refused with outgoing no. {answerNumber}/{today.Year}, sent by {command.SentVia!.Replace('_', ' ')}{late}",
            new { outgoingNumber = $"{answerNumber}/{today.Year}", reason = command.Reason!.Trim(), legalBasis = command.LegalBasis!.Trim(), refuseBy, late = late.Length > 0 },
            ct, AnswerRules.ChannelOf(command.SentVia));
        return (await CaseStore.LoadAsync(uow, c.Id, ct)).ToDetails(today);
    }
}
