using System.Text.RegularExpressions;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Mediator;

namespace CitizenCrm.Core.Intake;

/// <summary>What became of an e-mail: a new case, a reply added to its case, an automatic message set aside, or nothing new (already done).</summary>
public sealed record EmailReceipt(string Outcome, Guid? CaseId, string? RegistrationNumber, int AttachmentsKept, int AttachmentsRefused, bool AlreadyDone)
{
    public const string Registered = "registered", Threaded = "threaded", Ignored = "ignored", Failed = "failed", Sent = "sent";
}

/// <summary>
/// Registers one e-mail from the registry mailbox, in one transaction with the row that remembers its key, so it is
/// registered once however often it is polled, and after a crash between registering and moving it.
/// <list type="bullet">
/// <item>A reply to a message we received or sent (In-Reply-To / References), or one whose subject carries a case's
/// registration number ("Re: 1234/2026") and whose sender is that case's party, is added to that case: a timeline event
/// with its text, and its attachments. A reply to a case already closed, filed, rejected or forwarded is a matter raised
/// again: a new registration linked to the old case (as at the desk).</item>
/// <item>Anything else is a new petition on the e-mail channel (OG 27/2002 art. 2 counts e-mail as a written petition;
/// a dispatcher reclassifies an information request or a service request). The sender is the citizen whose e-mail
/// address it is when exactly one citizen has it; otherwise an unidentified contact (name and address) that a
/// dispatcher links later.</item>
/// <item>Attachments become case documents through the desk's own AttachCaseDocument, with its allow-list and limit;
/// each refused one is a "case.attachment_refused" event on the case with the reason.</item>
/// <item>A bounce or an auto-reply that belongs to no case is set aside (outcome "ignored"), never registered.</item>
/// </list>
/// </summary>
public sealed record ReceiveEmail(IncomingEmail Email) : ICommand<EmailReceipt>, IValidatable
{
    public void Validate(Validation v)
    {
        if (string.IsNullOrEmpty(Email.FromAddress))
            v.Add("from", "The e-mail has no sender address (From), so there is no one to answer; it was not registered.");
        else if (Email.FromAddress.Length > 254 || !Email.FromAddress.Contains('@', StringComparison.Ordinal))
            v.Add("from", "The e-mail's sender address is not a usable address; it was not registered.");
    }
}

public sealed partial class ReceiveEmailHandler(UnitOfWork uow, Timeline.Timeline timeline, IMediator mediator, TimeProvider clock)
    : ICommandHandler<ReceiveEmail, EmailReceipt>
{
    private const string Known = "SELECT outcome AS Outcome, case_id AS CaseId FROM mail_messages WHERE message_key = @Key";
    private const string ThreadCases = """
        SELECT message_key AS MessageKey, case_id AS CaseId FROM mail_messages
        WHERE message_key IN @Keys AND case_id IS NOT NULL AND outcome IN ('registered', 'threaded', 'sent')
        """;
    private const string CasesNumbered = "SELECT id FROM cases WHERE number = @Number AND year = @Year ORDER BY register_code";
    private const string CitizensWithEmail = "SELECT DISTINCT citizen_id FROM citizen_emails WHERE email = @Email";
    private const string CitizenHasEmail = "SELECT COUNT(*) FROM citizen_emails WHERE citizen_id = @CitizenId AND email = @Email";
    private const string Remember = """
        INSERT INTO mail_messages (message_key, direction, outcome, case_id, attempts, reason, recorded_at, updated_at)
        VALUES (@Key, 'received', @Outcome, @CaseId, 0, @Reason, @Now, @Now)
        """;
    private const string RememberAfterRetries = """
        UPDATE mail_messages SET outcome = @Outcome, case_id = @CaseId, reason = @Reason, updated_at = @Now
        WHERE message_key = @Key AND outcome = 'retrying'
        """;

    private sealed record KnownMessage
    {
        public string Outcome { get; init; } = "";
        public Guid? CaseId { get; init; }
    }

    private sealed record ThreadRow
    {
        public string MessageKey { get; init; } = "";
        public Guid CaseId { get; init; }
    }

    [GeneratedRegex(@"(?<!\d)(\d{1,7})\s*/\s*(\d{4})(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex RegistrationNumberInText();

    public async ValueTask<EmailReceipt> Handle(ReceiveEmail command, CancellationToken ct)
    {
        var email = command.Email;
        var known = await uow.QuerySingleOrDefaultAsync<KnownMessage>(Known, new { Key = email.MessageKey }, ct);
        if (known is not null && known.Outcome != "retrying")
            return new EmailReceipt(known.Outcome, known.CaseId, null, 0, 0, AlreadyDone: true);
        var retried = known is not null;

        var (thread, matchedBy) = await FindThreadAsync(email, ct);
        // A joined petition is answered with the one it was joined to (OG 27/2002 art. 10): the reply goes there.
        if (thread is { Status: CaseStatuses.Joined, JoinedToCaseId: { } joinedTo })
            thread = await CaseStore.LoadAsync(uow, joinedTo, ct);

        EmailReceipt receipt;
        if (thread is not null && (thread.IsOpen || thread.Status == CaseStatuses.Answered))
            receipt = await AddToCaseAsync(email, thread, matchedBy!, ct);
        else if (email.Automatic)
        {
            await RememberAsync(email, EmailReceipt.Ignored, null, "An automatic message (a bounce or an auto-reply) that answers no open case.", retried, ct);
            return new EmailReceipt(EmailReceipt.Ignored, null, null, 0, 0, AlreadyDone: false);
        }
        else receipt = await RegisterAsync(email, thread, ct);

        await RememberAsync(email, receipt.Outcome, receipt.CaseId, null, retried, ct);
        return receipt;
    }

    private async Task RememberAsync(IncomingEmail email, string outcome, Guid? caseId, string? reason, bool retried, CancellationToken ct)
    {
        var row = new { Key = email.MessageKey, Outcome = outcome, CaseId = caseId, Reason = reason, Now = clock.GetUtcNow().ToUnixTimeMilliseconds() };
        // The primary key makes a second registration of the same message fail the whole transaction (another node won).
        if (retried) await uow.ExecuteAsync(RememberAfterRetries, row, ct);
        else await uow.ExecuteAsync(Remember, row, ct);
    }

    private async Task<(CaseRow? Case, string? MatchedBy)> FindThreadAsync(IncomingEmail email, CancellationToken ct)
    {
        if (email.RepliesTo.Count > 0)
        {
            var rows = await uow.QueryAsync<ThreadRow>(ThreadCases, new { Keys = email.RepliesTo }, ct);
            // The nearest ancestor wins: In-Reply-To, then References from the newest.
            foreach (var key in email.RepliesTo)
                if (rows.FirstOrDefault(r => r.MessageKey == key) is { } row)
                    return (await CaseStore.LoadAsync(uow, row.CaseId, ct), "reply");
        }

        // "Re: Petiția 1234/2026": the number alone is public (it is on every receipt), so it threads only a message from
        // the case's own party; anyone else's message with the number is a new registration for the dispatcher to read.
        foreach (Match m in RegistrationNumberInText().Matches(email.Subject))
        {
            var number = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            var year = int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            foreach (var id in await uow.QueryAsync<Guid>(CasesNumbered, new { Number = number, Year = year }, ct))
            {
                var c = await CaseStore.LoadAsync(uow, id, ct);
                if (await IsPartyAsync(c, email.FromAddress, ct)) return (c, "number");
            }
        }
        return (null, null);
    }

    private async Task<bool> IsPartyAsync(CaseRow c, string address, CancellationToken ct) => c.PartyKind switch
    {
        PartyKinds.Citizen => await uow.ExecuteScalarAsync<long>(CitizenHasEmail, new { c.CitizenId, Email = address }, ct) > 0,
        // The contact's details are free text ("Str. Unirii 3, ion@example.ro"): the address must be one of its words,
        // not part of one (ion@example.ro is not marion@example.ro).
        PartyKinds.Contact => (c.ContactDetails ?? "").Split([' ', ',', ';', '<', '>', '(', ')', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)
            .Any(word => word.Trim('.').Equals(address, StringComparison.OrdinalIgnoreCase)),
        _ => false,
    };

    private async Task<EmailReceipt> RegisterAsync(IncomingEmail email, CaseRow? raisedAgain, CancellationToken ct)
    {
        var citizens = await uow.QueryAsync<Guid>(CitizensWithEmail, new { Email = email.FromAddress }, ct);
        // Exactly one citizen with this address is the sender; none, or several sharing one (a family's address), leave
        // the case with an unidentified contact for a dispatcher to link, rather than guess.
        var citizen = citizens.Count == 1 ? citizens[0] : (Guid?)null;
        var registered = await mediator.Send(new RegisterCase(
            Kind: CaseKinds.Petition,
            Channel: Channels.Email,
            Subject: email.Subject,
            Description: email.Text,
            CitizenId: citizen,
            Organisation: null,
            Contact: citizen is null ? new ContactParty(Clean.Cut(email.PartyName, 200), email.FromAddress) : null,
            RelatedCaseId: raisedAgain?.Id), ct);
        var c = await CaseStore.LoadAsync(uow, registered.Id, ct);

        var (kept, refused) = await AttachAsync(email, c, ct);
        var who = citizen is not null ? $"citizen {c.PartyName}" : citizens.Count > 1
            ? $"{email.PartyName} (an address {citizens.Count} citizens share: link the right one)"
            : $"{email.PartyName} (no citizen has this address: link or register one)";
        await timeline.AppendAsync(new TimelineEntry
        {
            Kind = "case.email_received", Channel = Channels.Email, CaseId = c.Id, CitizenId = c.CitizenId,
            Correlation = MailKeys.Short(email.MessageKey), OccurredAt = email.SentAt,
            Summary = Clean.Cut($"E-mail from {who} registered as {c.RegistrationNumber}: {Count(kept, refused)}" +
                                (raisedAgain is null ? "" : $"; it answers {raisedAgain.RegistrationNumber}, no longer open, so it is a matter raised again"), 500),
            Payload = Payload(email, null, kept, refused, citizens.Count),
            DedupKey = MailKeys.Short(email.MessageKey) + ":received",
        }, ct);
        return new EmailReceipt(EmailReceipt.Registered, c.Id, c.RegistrationNumber, kept.Count, refused.Count, AlreadyDone: false);
    }

    private async Task<EmailReceipt> AddToCaseAsync(IncomingEmail email, CaseRow c, string matchedBy, CancellationToken ct)
    {
        var (kept, refused) = await AttachAsync(email, c, ct);
        var how = matchedBy == "reply" ? "a reply in its e-mail thread" : "its number in the subject";
        await timeline.AppendAsync(new TimelineEntry
        {
            Kind = "case.email_reply", Channel = Channels.Email, CaseId = c.Id, CitizenId = c.CitizenId,
            Correlation = MailKeys.Short(email.MessageKey), OccurredAt = email.SentAt,
            Summary = Clean.Cut($"{(email.Automatic ? "Automatic e-mail (a bounce or an auto-reply)" : "E-mail")} from {email.PartyName} " +
                                $"added to {c.RegistrationNumber} ({how}): {Count(kept, refused)}", 500),
            Payload = Payload(email, matchedBy, kept, refused, null),
            DedupKey = MailKeys.Short(email.MessageKey) + ":reply",
        }, ct);
        return new EmailReceipt(EmailReceipt.Threaded, c.Id, c.RegistrationNumber, kept.Count, refused.Count, AlreadyDone: false);
    }

    private async Task<(List<CaseDocument> Kept, List<EmailAttachment> Refused)> AttachAsync(IncomingEmail email, CaseRow c, CancellationToken ct)
    {
        var kept = new List<CaseDocument>();
        var refused = new List<EmailAttachment>();
        var ordinal = 0;
        foreach (var a in email.Attachments)
        {
            ordinal++;
            if (a.Upload is { } upload)
            {
                kept.Add(await mediator.Send(new AttachCaseDocument(c.Id, upload, a.FileName), ct));
                continue;
            }
            refused.Add(a);
            await timeline.AppendAsync(new TimelineEntry
            {
                Kind = "case.attachment_refused", Channel = Channels.Email, CaseId = c.Id, CitizenId = c.CitizenId,
                Correlation = MailKeys.Short(email.MessageKey),
                Summary = Clean.Cut($"Attachment '{a.FileName}' ({a.ContentType}, {Size(a.SizeBytes)}) of an e-mail to {c.RegistrationNumber} " +
                                    $"was not kept: {a.RefusedBecause}", 500),
                Payload = new { fileName = a.FileName, contentType = a.ContentType, sizeBytes = a.SizeBytes, reason = a.RefusedBecause },
                DedupKey = $"{MailKeys.Short(email.MessageKey)}:refused:{ordinal}",
            }, ct);
        }
        return (kept, refused);
    }

    private static object Payload(IncomingEmail email, string? matchedBy, List<CaseDocument> kept, List<EmailAttachment> refused, int? citizensWithAddress) => new
    {
        messageKey = email.MessageKey,
        from = email.FromAddress,
        fromName = email.FromName,
        subject = email.Subject,
        sentAt = email.SentAt,
        matchedBy,
        citizensWithAddress,
        // The reply's text lives here (the case's description is the first message's); a new case has it as its description.
        text = matchedBy is null ? null : email.Text,
        textShortened = email.TextShortened,
        automatic = email.Automatic,
        documents = kept.Select(d => new { d.Sha256, d.ContentType, d.SizeBytes, d.FileName }),
        refused = refused.Select(r => new { r.FileName, r.ContentType, r.SizeBytes, reason = r.RefusedBecause }),
    };

    private static string Count(List<CaseDocument> kept, List<EmailAttachment> refused) =>
        (kept.Count, refused.Count) switch
        {
            (0, 0) => "no attachments",
            (_, 0) => $"{kept.Count} attachment(s) kept",
            (0, _) => $"{refused.Count} attachment(s) refused",
            _ => $"{kept.Count} attachment(s) kept, {refused.Count} refused",
        };

    private static string Size(long bytes) => bytes >= 1024 * 1024 ? $"{bytes / (1024 * 1024)} MB" : $"{bytes / 1024 + 1} KB";
}

/// <summary>
/// Remembers a message CitizenCRM sent about a case (an acknowledgement, an answer), so that a reply to it is threaded
/// to the case. The sender of notifications calls this in the transaction that marks the notification sent, with the
/// Message-ID it gave the message.
/// </summary>
public static class SentEmails
{
    private const string Insert = """
        INSERT INTO mail_messages (message_key, direction, outcome, case_id, attempts, reason, recorded_at, updated_at)
        SELECT @Key, 'sent', 'sent', @CaseId, 0, NULL, @Now, @Now
        WHERE NOT EXISTS (SELECT 1 FROM mail_messages WHERE message_key = @Key)
        """;

    public static async Task RememberAsync(UnitOfWork uow, string messageId, Guid caseId, DateTimeOffset now, CancellationToken ct)
    {
        if (MailKeys.ForMessageId(messageId) is not { } key) throw new ArgumentException("A sent message needs its Message-ID.", nameof(messageId));
        await uow.ExecuteAsync(Insert, new { Key = key, CaseId = caseId, Now = now.ToUnixTimeMilliseconds() }, ct);
    }
}
