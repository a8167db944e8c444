using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Mediator;

namespace CitizenCrm.Core.Cases;

/// <summary>
/// Records the answer: its text, legal basis, who signed it, an optional document attached to the case before,
/// how it was sent and when. The answer is an outgoing document and gets its own number in the case's register
/// (the general register is the registru de intrare-ieșire: incoming matters and outgoing answers share its
/// yearly numbering), in the Bucharest year in which it is recorded.
/// </summary>
public sealed record AnswerCase(Guid CaseId, string? Text, string? LegalBasis, string? SignedBy, string? SentVia, DateTimeOffset? SentAt, string? DocumentSha256)
    : ICommand<CaseDetails>, IValidatable
{
    public void Validate(Validation v)
    {
        if (v.Required("text", Text, "The answer's text")) v.MaxLength("text", Text, 50_000, "The answer's text");
        if (v.Required("legalBasis", LegalBasis, "The legal basis of the answer")) v.MaxLength("legalBasis", LegalBasis, 300, "The legal basis");
        if (v.Required("signedBy", SignedBy, "Who signed the answer")) v.MaxLength("signedBy", SignedBy, 200, "The signatory");
        AnswerRules.ValidateSentVia(v, "sentVia", SentVia);
        if (DocumentSha256 is not null && !AnswerRules.IsSha256(DocumentSha256))
            v.Add("documentSha256", "documentSha256 is the sha256 returned when the document was attached to the case (64 hexadecimal characters).");
    }
}

internal static class AnswerRules
{
    public static void ValidateSentVia(Validation v, string field, string? value)
    {
        if (v.Required(field, value, "How it was sent (email, post or in_person)") && !SendingMethods.All.Contains(value!))
            v.Add(field, "It is sent by email, post or in_person.");
    }

    public static bool IsSha256(string s) => s.Length == 64 && s.All(char.IsAsciiHexDigit);

    public static string ChannelOf(string sentVia) => sentVia switch
    {
        SendingMethods.Email => Channels.Email,
        SendingMethods.Post => Channels.Post,
        _ => Channels.Desk,
    };

    /// <summary>When the answer left: not before registration, not in the future (a few minutes of clock skew allowed).</summary>
    public static DateTimeOffset SentAt(CaseRow c, DateTimeOffset? sentAt, DateTimeOffset now)
    {
        var at = sentAt ?? now;
        if (at > now.AddMinutes(5)) throw ValidationFailedException.For("sentAt", "The answer cannot have been sent in the future.");
        if (at < Calendar.FromMs(c.RegisteredAt)) throw ValidationFailedException.For("sentAt", $"The answer cannot have been sent before case {c.RegistrationNumber} was registered.");
        return at;
    }
}

public sealed class AnswerCaseHandler(UnitOfWork uow, Timeline.Timeline timeline, TimeProvider clock, Notifications.Outbox outbox) : ICommandHandler<AnswerCase, CaseDetails>
{
    private const string DocumentAttached = "SELECT COUNT(*) FROM case_documents WHERE case_id = @CaseId AND sha256 = @Sha256";
    private const string Update = """
        UPDATE cases SET status = 'answered', answer_text = @Text, answer_legal_basis = @LegalBasis, answer_signed_by = @SignedBy,
                         answer_sent_via = @SentVia, answer_sent_at = @SentAt, answered_on = @AnsweredOn,
                         answer_register = register_code, answer_number = @AnswerNumber, answer_year = @AnswerYear,
                         answer_document = @Document, updated_at = @Now, version = version + 1
        WHERE id = @Id AND version = @Version
        """;

    public async ValueTask<CaseDetails> Handle(AnswerCase command, CancellationToken ct)
    {
        var c = await CaseStore.LoadAsync(uow, command.CaseId, ct);
        Lifecycle.Ensure(c, Lifecycle.Move.Answer);
        var now = clock.GetUtcNow();
        var sentAt = AnswerRules.SentAt(c, command.SentAt, now);
        var document = command.DocumentSha256?.ToLowerInvariant();
        if (document is not null && await uow.ExecuteScalarAsync<long>(DocumentAttached, new { CaseId = c.Id, Sha256 = document }, ct) == 0)
            throw ValidationFailedException.For("documentSha256", $"No document with this sha256 is attached to case {c.RegistrationNumber}. Attach it first (POST /api/cases/{{id}}/documents).");

        var year = Calendar.LocalDate(now).Year;
        var answerNumber = await RegistrationNumbers.NextAsync(uow, c.RegisterCode, year, ct);
        var answeredOn = Calendar.LocalDate(sentAt);
        await CaseStore.UpdateAsync(uow, Update, new
        {
            c.Id, c.Version, Text = command.Text!.Trim(), LegalBasis = command.LegalBasis!.Trim(), SignedBy = command.SignedBy!.Trim(),
            command.SentVia, SentAt = sentAt.ToUnixTimeMilliseconds(), AnsweredOn = answeredOn, AnswerNumber = answerNumber, AnswerYear = year,
            Document = document, Now = now.ToUnixTimeMilliseconds(),
        }, ct);
        var late = c.DueOn is { } due && answeredOn > due ? $", {answeredOn.DayNumber - due.DayNumber} day(s) after the term of {due:yyyy-MM-dd}" : "";
        await CaseStore.RecordAsync(timeline, c, "case.answered",
            $"{CaseStore.KindName(c.Kind)} {c.RegistrationNumber} answered with outgoing no. {answerNumber}/{year}, sent by {command.SentVia!.Replace('_', ' ')}{late}",
            new { outgoingNumber = $"{answerNumber}/{year}", legalBasis = command.LegalBasis!.Trim(), signedBy = command.SignedBy!.Trim(), sentVia = command.SentVia,
                  sentAt, answeredOn, dueOn = c.DueOn, document }, ct, AnswerRules.ChannelOf(command.SentVia));
        // An answer sent by e-mail leaves through the outbox, with its document attached (only to an e-mail address on file).
        if (command.SentVia == SendingMethods.Email)
            await outbox.ForPartyAsync(Notifications.NotificationKinds.Answer, await CaseStore.LoadAsync(uow, c.Id, ct), ct);
        return (await CaseStore.LoadAsync(uow, c.Id, ct)).ToDetails(Calendar.Today(clock));
    }
}
