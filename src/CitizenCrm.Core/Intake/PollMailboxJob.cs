using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using MailKit;
using MailKit.Net.Imap;
using Mediator;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace CitizenCrm.Core.Intake;

/// <summary>What one poll of the mailbox did, for its run record.</summary>
public sealed class MailboxPollResult
{
    public int Registered { get; set; }
    public int Threaded { get; set; }
    public int Ignored { get; set; }
    public int Failed { get; set; }
    public int AlreadyHandled { get; set; }
    public int Retrying { get; set; }
    public int Left { get; set; }

    public string Summary =>
        $"{Registered} e-mail(s) registered as new cases, {Threaded} added to their cases, {Ignored} automatic set aside, " +
        $"{Failed} moved to the failed folder, {AlreadyHandled} already handled and moved, {Retrying} to try again" +
        (Left > 0 ? $"; {Left} left for the next run" : "");
}

/// <summary>
/// Reads the registry mailbox over IMAP (MailKit) and registers each new message once (<see cref="ReceiveEmail"/>).
/// The order of steps is what makes it safe to repeat: the registration and the row remembering the message's key
/// commit together, and only then is the message moved to the processed folder (IMAP MOVE, RFC 6851). A crash between
/// the two leaves the message in the inbox; the next poll finds its key already registered and only moves it.
/// A message that cannot be registered (larger than Mailbox:MaxMessageBytes, no sender, or failing 3 polls in a row)
/// is recorded as failed, put on the timeline for the dispatchers, and moved to the failed folder, so it never blocks
/// the mailbox. Messages are taken oldest first, so a reply that arrives with its first message follows it.
/// </summary>
[DisallowConcurrentExecution]
public sealed class PollMailboxJob(IMediator mediator, RequestContext context, IOptions<MailboxOptions> options, DocumentStore documents,
    ILogger<PollMailboxJob> logger) : IJob
{
    public const string Name = "mailbox-poll";

    public async ValueTask Execute(IJobExecutionContext job, CancellationToken ct)
    {
        context.ActAsJob(Name);
        var o = options.Value;
        if (!o.IsConfigured)
        {
            job.Result = "No mailbox configured (Mailbox:Host is empty): nothing read";
            return;
        }
        if (o.Problems() is { Count: > 0 } problems) throw new InvalidOperationException(string.Join(" ", problems));

        MailboxPollResult result;
        try
        {
            result = await PollAsync(o, ct);
        }
        catch (Exception ex) when (ex is MailKit.Security.AuthenticationException or MailKit.Security.SslHandshakeException
                                       or System.Net.Sockets.SocketException or MailKit.ProtocolException or TimeoutException or IOException)
        {
            // The mailbox's side (a wrong password, a server down): a sentence for the admin, logged once as a warning by
            // the run recorder, not a stack trace every minute. The mail stays in the inbox for the next run.
            throw new JobExecutionException($"The mailbox {o.Host}:{o.Port} could not be read: {ex.Message}");
        }
        job.Result = result.Summary;
    }

    private async Task<MailboxPollResult> PollAsync(MailboxOptions o, CancellationToken ct)
    {
        var result = new MailboxPollResult();
        // No protocol logger: it would write the LOGIN command, password included, and the citizens' mail.
        using var client = new ImapClient();
        client.Timeout = o.TimeoutSeconds * 1000;
        await client.ConnectAsync(o.Host!, o.Port, o.SocketOptions, ct);
        await client.AuthenticateAsync(o.User!, o.Password!, ct);

        var inbox = await FolderAsync(client, o.InboxFolder, create: false, ct);
        var processed = await FolderAsync(client, o.ProcessedFolder, create: true, ct);
        var failed = await FolderAsync(client, o.FailedFolder, create: true, ct);
        await inbox.OpenAsync(FolderAccess.ReadWrite, ct);

        var all = await inbox.FetchAsync(0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope | MessageSummaryItems.Size | MessageSummaryItems.Flags, ct);
        var waiting = all.Where(s => s.Flags?.HasFlag(MessageFlags.Deleted) != true).OrderBy(s => s.UniqueId).ToList();
        result.Left = Math.Max(0, waiting.Count - o.MaxMessagesPerRun);
        foreach (var summary in waiting.Take(o.MaxMessagesPerRun))
        {
            ct.ThrowIfCancellationRequested();
            var envelope = summary.Envelope ?? new Envelope();
            var key = MailKeys.ForMessageId(envelope.MessageId) ?? MailKeys.ForEnvelope(envelope, summary.Size ?? 0);
            var sender = envelope.From.Mailboxes.FirstOrDefault() ?? envelope.Sender.Mailboxes.FirstOrDefault();

            switch (await mediator.Send(new FindReceivedEmail(key), ct))
            {
                case EmailReceipt.Registered or EmailReceipt.Threaded or EmailReceipt.Ignored or EmailReceipt.Sent:
                    // Registered before, not moved (a crash, a failed MOVE, a copy put back): move it now, register nothing.
                    await inbox.MoveToAsync(summary.UniqueId, processed, ct);
                    result.AlreadyHandled++;
                    continue;
                case EmailReceipt.Failed:
                    await inbox.MoveToAsync(summary.UniqueId, failed, ct);
                    result.AlreadyHandled++;
                    continue;
            }

            if (summary.Size is { } size && size > o.MaxMessageBytes)
            {
                await GiveUpAsync(key, sender?.Address, sender?.Name, envelope.Subject,
                    $"It is {Megabytes(size)}, more than the {Megabytes(o.MaxMessageBytes)} a message may be (Mailbox:MaxMessageBytes); ask the sender to send the documents in several e-mails.",
                    o, ct);
                await inbox.MoveToAsync(summary.UniqueId, failed, ct);
                result.Failed++;
                continue;
            }

            try
            {
                var message = await inbox.GetMessageAsync(summary.UniqueId, ct);
                var email = await IncomingEmail.ReadAsync(message, key, documents, ct);
                var receipt = await documents.AttachAllAsync(email.Uploads(), async () => await mediator.Send(new ReceiveEmail(email), ct), ct);
                switch (receipt.Outcome)
                {
                    case EmailReceipt.Registered when !receipt.AlreadyDone: result.Registered++; break;
                    case EmailReceipt.Threaded when !receipt.AlreadyDone: result.Threaded++; break;
                    case EmailReceipt.Ignored when !receipt.AlreadyDone: result.Ignored++; break;
                    default: result.AlreadyHandled++; break;
                }
                await inbox.MoveToAsync(summary.UniqueId, receipt.Outcome == EmailReceipt.Failed ? failed : processed, ct);
            }
            catch (CrmException refused)
            {
                // The registry refuses it as it is (no sender address, ...): retrying would refuse it again.
                await GiveUpAsync(key, sender?.Address, sender?.Name, envelope.Subject, refused.Message, o, ct);
                await inbox.MoveToAsync(summary.UniqueId, failed, ct);
                result.Failed++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not ImapProtocolException and not IOException)
            {
                // Nothing of it was kept (its transaction rolled back). Try again at the next poll, a few times only.
                var attempts = await mediator.Send(new RecordEmailAttempt(key, ex.GetBaseException().Message), ct);
                logger.LogWarning(ex, "Mailbox: message {Message} could not be registered (attempt {Attempt} of {Max})",
                    MailKeys.Short(key), attempts, RecordEmailAttempt.MaxAttempts);
                if (attempts < RecordEmailAttempt.MaxAttempts)
                {
                    result.Retrying++;
                    continue;
                }
                await GiveUpAsync(key, sender?.Address, sender?.Name, envelope.Subject,
                    $"Registering it failed {attempts} times (last: {ex.GetBaseException().Message}).", o, ct);
                await inbox.MoveToAsync(summary.UniqueId, failed, ct);
                result.Failed++;
            }
        }
        await client.DisconnectAsync(quit: true, ct);
        return result;
    }

    private async Task GiveUpAsync(string key, string? address, string? name, string? subject, string reason, MailboxOptions o, CancellationToken ct)
    {
        await mediator.Send(new RecordEmailFailure(key, address is null ? null : Clean.Cut(Clean.Line(address), 254),
            name is null ? null : Clean.Cut(Clean.Line(name), 200), subject is null ? null : Clean.Cut(Clean.Line(subject), 300),
            reason, o.FailedFolder), ct);
        logger.LogWarning("Mailbox: message {Message} moved to the failed folder: {Reason}", MailKeys.Short(key), reason);
    }

    private static async Task<IMailFolder> FolderAsync(ImapClient client, string name, bool create, CancellationToken ct)
    {
        if (name.Equals("INBOX", StringComparison.OrdinalIgnoreCase)) return client.Inbox;
        try
        {
            return await client.GetFolderAsync(name, ct);
        }
        catch (FolderNotFoundException) when (create)
        {
            var root = client.GetFolder(client.PersonalNamespaces[0]) ?? throw new InvalidOperationException("The mailbox shows no personal folders to create '" + name + "' in; create it by hand.");
            var folder = await root.CreateAsync(name, isMessageFolder: true, ct)
                ?? throw new InvalidOperationException($"The mailbox did not create the folder '{name}'; create it by hand.");
            await folder.SubscribeAsync(ct);
            return folder;
        }
        catch (FolderNotFoundException)
        {
            throw new InvalidOperationException($"The mailbox has no folder '{name}' (Mailbox:InboxFolder).");
        }
    }

    private static string Megabytes(long bytes) => bytes >= 1024 * 1024
        ? $"{Math.Round(bytes / (1024.0 * 1024.0), 1).ToString(System.Globalization.CultureInfo.InvariantCulture)} MB"
        : $"{bytes / 1024 + 1} KB";
}
