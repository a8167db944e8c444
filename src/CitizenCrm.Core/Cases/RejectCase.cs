using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Cases;

/// <summary>
/// Refuses the request with a motivated answer (its reason and legal basis), numbered and sent like an answer.
/// An information request is refused within 5 days (Law 544/2001 art. 7(2)); a later refusal is still recorded,
/// since the requester is better served by a late answer than by none, and the event says it was late.
/// An information request's refusal may say its ground (exempt, nonexistent, other): the Law 544/2001 yearly report counts
/// refusals by ground (HG 123/2002 annex art. 27 lit. d), see docs/legal-reports.md.
/// </summary>
public sealed record RejectCase(Guid CaseId, string? Reason, string? LegalBasis, string? SignedBy, string? SentVia, string? RefusalGround = null)
    : ICommand<CaseDetails>, IValidatable
{
    /// <summary>Exempt from free access (Law 544/2001 art. 12), information that does not exist, or another reason.</summary>
    public static readonly IReadOnlySet<string> RefusalGrounds = new HashSet<string>(StringComparer.Ordinal) { "exempt", "nonexistent", "other" };

    public void Validate(Validation v)
    {
        if (v.Required("reason", Reason, "The reason for the refusal")) v.MaxLength("reason", Reason, 5_000, "The reason");
        if (v.Required("legalBasis", LegalBasis, "The legal basis of the refusal")) v.MaxLength("legalBasis", LegalBasis, 300, "The legal basis");
        if (v.Required("signedBy", SignedBy, "Who signed the refusal")) v.MaxLength("signedBy", SignedBy, 200, "The signatory");
        AnswerRules.ValidateSentVia(v, "sentVia", SentVia);
        if (RefusalGround is not null && !RefusalGrounds.Contains(RefusalGround))
            v.Add("refusalGround", "The refusal ground is exempt (Law 544/2001 art. 12), nonexistent or other; or leave it out.");
    }
}

public sealed class RejectCaseHandler(UnitOfWork uow, Timeline.Timeline timeline, TimeProvider clock) : ICommandHandler<RejectCase, CaseDetails>
{
    private const string Update = """
        UPDATE cases SET status = 'rejected', note = @Reason, answer_text = @Reason, answer_legal_basis = @LegalBasis, answer_signed_by = @SignedBy,
                         answer_sent_via = @SentVia, answer_sent_at = @Now, answered_on = @Today,
                         answer_register = register_code, answer_number = @AnswerNumber, answer_year = @AnswerYear,
                         refusal_ground = @RefusalGround, updated_at = @Now, version = version + 1
        WHERE id = @Id AND version = @Version
        """;

    public async ValueTask<CaseDetails> Handle(RejectCase command, CancellationToken ct)
    {
        var c = await CaseStore.LoadAsync(uow, command.CaseId, ct);
        Lifecycle.Ensure(c, Lifecycle.Move.Reject);
        if (command.RefusalGround is not null && c.Kind != CaseKinds.InformationRequest)
            throw ValidationFailedException.For("refusalGround", $"Case {c.RegistrationNumber} is not an information request; a refusal ground is recorded for the Law 544/2001 report only. Leave it out.");
        var now = clock.GetUtcNow();
        var today = Calendar.LocalDate(now);
        var answerNumber = await RegistrationNumbers.NextAsync(uow, c.RegisterCode, today.Year, ct);
        await CaseStore.UpdateAsync(uow, Update, new
        {
            c.Id, c.Version, Reason = command.Reason!.Trim(), LegalBasis = command.LegalBasis!.Trim(), SignedBy = command.SignedBy!.Trim(),
            command.SentVia, Now = now.ToUnixTimeMilliseconds(), Today = today, AnswerNumber = answerNumber, AnswerYear = today.Year,
            command.RefusalGround,
        }, ct);
        var refuseBy = c.Kind == CaseKinds.InformationRequest ? Deadlines.RefuseBy(c.RegisteredOn) : (DateOnly?)null;
        var late = refuseBy is { } by && today > by ? $", after the 5-day term for a refusal ({by:yyyy-MM-dd}, Law 544/2001 art. 7(2))" : "";
        await CaseStore.RecordAsync(timeline, c, "case.rejected",
            $"{CaseStore.KindName(c.Kind)} {c.RegistrationNumber} refused with outgoing no. {answerNumber}/{today.Year}, sent by {command.SentVia!.Replace('_', ' ')}{late}",
            new { outgoingNumber = $"{answerNumber}/{today.Year}", reason = command.Reason!.Trim(), legalBasis = command.LegalBasis!.Trim(), refuseBy, late = late.Length > 0, refusalGround = command.RefusalGround },
            ct, AnswerRules.ChannelOf(command.SentVia));
        return (await CaseStore.LoadAsync(uow, c.Id, ct)).ToDetails(today);
    }
}
