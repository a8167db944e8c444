using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Mediator;
using Microsoft.Extensions.Options;
using Quartz;

namespace CitizenCrm.Core.Notifications;

/// <summary>A claimed notification, as the sender needs it (holds the address: never logged).</summary>
public sealed record NotificationToSend
{
    public Guid Id { get; init; }
    public string Kind { get; init; } = "";
    public string Channel { get; init; } = "";
    public string Recipient { get; init; } = "";
    public string? RecipientName { get; init; }
    public string? Subject { get; init; }
    public string Body { get; init; } = "";
    public string? AttachmentSha256 { get; init; }
    public string? AttachmentName { get; init; }
    public string? AttachmentType { get; init; }
    public long CreatedAtMs { get; init; }
    public int Attempts { get; init; }
    public DateTimeOffset CreatedAt => Calendar.FromMs(CreatedAtMs);
}

/// <summary>
/// Takes due notifications for one run. Each row is claimed with the run's id and a lease, and its attempt is counted,
/// in this transaction, before anything is sent: a second run (here or on another server) skips a claimed row, and a
/// run that dies leaves a claim that expires, after which the row is taken again. Since the attempt was counted at the
/// claim, a notification that kills its sender every time still ends as failed after MaxAttempts, instead of forever.
/// </summary>
public sealed record ClaimDueNotifications(string RunId, IReadOnlyList<string> Channels) : ICommand<IReadOnlyList<NotificationToSend>>;

public sealed class ClaimDueNotificationsHandler(UnitOfWork uow, Timeline.Timeline timeline, TimeProvider clock, IOptionsMonitor<NotificationOptions> options)
    : ICommandHandler<ClaimDueNotifications, IReadOnlyList<NotificationToSend>>
{
    private const string Due = """
        SELECT id FROM notifications
        WHERE status = 'pending' AND next_attempt_at <= @Now AND (claimed_until IS NULL OR claimed_until <= @Now) AND channel IN @Channels
        ORDER BY next_attempt_at, created_at, id LIMIT @Batch
        """;
    // The same condition again: a row claimed by another server between the read and this write is left to it.
    private const string Claim = """
        UPDATE notifications SET claimed_by = @RunId, claimed_until = @Until, attempts = attempts + 1
        WHERE id = @Id AND status = 'pending' AND (claimed_until IS NULL OR claimed_until <= @Now) AND attempts < @MaxAttempts
        """;
    // Its last claim ran out without an outcome, and no attempt is left: the sender died with it every time.
    private const string Exhausted = """
        UPDATE notifications SET status = 'failed', failed_at = @Now, claimed_by = NULL, claimed_until = NULL,
               last_error = 'Given up after ' || attempts || ' attempts; the last run that took it never reported back (it stopped mid-send).'
        WHERE id = @Id AND status = 'pending' AND (claimed_until IS NULL OR claimed_until <= @Now) AND attempts >= @MaxAttempts
        """;
    private const string Read = """
        SELECT id AS Id, kind AS Kind, channel AS Channel, recipient AS Recipient, recipient_name AS RecipientName, subject AS Subject,
               body AS Body, attachment_sha256 AS AttachmentSha256, attachment_name AS AttachmentName, attachment_type AS AttachmentType,
               created_at AS CreatedAtMs, attempts AS Attempts
        FROM notifications WHERE id = @Id
        """;

    public async ValueTask<IReadOnlyList<NotificationToSend>> Handle(ClaimDueNotifications command, CancellationToken ct)
    {
        if (command.Channels.Count == 0) return [];
        var o = options.CurrentValue;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var claimed = new List<NotificationToSend>();
        foreach (var id in await uow.QueryAsync<Guid>(Due, new { Now = now, command.Channels, Batch = o.BatchSize }, ct))
        {
            var args = new { Id = id, command.RunId, Now = now, Until = now + (long)o.Lease.TotalMilliseconds, o.MaxAttempts };
            if (await uow.ExecuteAsync(Claim, args, ct) == 1)
                claimed.Add(await uow.QuerySingleAsync<NotificationToSend>(Read, new { Id = id }, ct));
            else if (await uow.ExecuteAsync(Exhausted, args, ct) == 1)
                await NotificationEvents.FailedAsync(uow, timeline, id, ct);
        }
        return claimed;
    }
}

/// <summary>
/// Records what one attempt came to, if this run still holds the claim (a run slower than its lease has lost the row
/// to another run, whose outcome counts). Sent; or failed for good (a permanent refusal, or the last attempt); or back to
/// pending with the next attempt after an exponential backoff.
/// </summary>
public sealed record RecordNotificationOutcome(Guid Id, string RunId, SendOutcome Outcome) : ICommand<string>;

public sealed class RecordNotificationOutcomeHandler(UnitOfWork uow, Timeline.Timeline timeline, TimeProvider clock, IOptionsMonitor<NotificationOptions> options)
    : ICommandHandler<RecordNotificationOutcome, string>
{
    public const string Lost = "lost", Sent = "sent", Failed = "failed", Retry = "retry";

    private const string Attempts = "SELECT attempts FROM notifications WHERE id = @Id AND claimed_by = @RunId AND status = 'pending'";
    private const string EmailCase = "SELECT case_id FROM notifications WHERE id = @Id AND channel = 'email'";
    private const string MarkSent = """
        UPDATE notifications SET status = 'sent', sent_at = @Now, provider_id = @ProviderId, last_error = NULL, claimed_by = NULL, claimed_until = NULL
        WHERE id = @Id AND claimed_by = @RunId
        """;
    private const string MarkFailed = """
        UPDATE notifications SET status = 'failed', failed_at = @Now, last_error = @Error, claimed_by = NULL, claimed_until = NULL
        WHERE id = @Id AND claimed_by = @RunId
        """;
    private const string MarkRetry = """
        UPDATE notifications SET next_attempt_at = @Next, last_error = @Error, claimed_by = NULL, claimed_until = NULL
        WHERE id = @Id AND claimed_by = @RunId
        """;

    public async ValueTask<string> Handle(RecordNotificationOutcome command, CancellationToken ct)
    {
        var attempts = await uow.ExecuteScalarAsync<long?>(Attempts, new { command.Id, command.RunId }, ct);
        if (attempts is null) return Lost;
        var o = options.CurrentValue;
        var now = clock.GetUtcNow();
        var outcome = command.Outcome;
        if (outcome.Sent)
        {
            await uow.ExecuteAsync(MarkSent, new { command.Id, command.RunId, Now = now.ToUnixTimeMilliseconds(), outcome.ProviderId }, ct);
            // The e-mail intake threads a citizen's reply by In-Reply-To/References only to Message-IDs it knows; an e-mail's
            // provider id is the Message-ID it went out with (RFC 5322 3.6.4), remembered here, with the sent mark, or not at all.
            if (outcome.ProviderId is { Length: > 0 } messageId && await uow.ExecuteScalarAsync<Guid?>(EmailCase, new { command.Id }, ct) is { } caseId)
                await Intake.SentEmails.RememberAsync(uow, messageId, caseId, now, ct);
            await NotificationEvents.SentAsync(uow, timeline, command.Id, ct);
            return Sent;
        }
        if (outcome.Permanent || attempts >= o.MaxAttempts)
        {
            var error = outcome.Permanent ? outcome.Error : $"Given up after {attempts} attempt{(attempts == 1 ? "" : "s")}. Last error: {outcome.Error}";
            await uow.ExecuteAsync(MarkFailed, new { command.Id, command.RunId, Now = now.ToUnixTimeMilliseconds(), Error = Cut(error) }, ct);
            await NotificationEvents.FailedAsync(uow, timeline, command.Id, ct);
            return Failed;
        }
        var next = now + o.RetryDelay((int)attempts);
        await uow.ExecuteAsync(MarkRetry, new { command.Id, command.RunId, Next = next.ToUnixTimeMilliseconds(), Error = Cut(outcome.Error) }, ct);
        return Retry;
    }

    private static string? Cut(string? s) => s is { Length: > 500 } ? s[..500] : s;
}

/// <summary>The timeline's record of a notification that went out or was given up (actor system, no address in it).</summary>
internal static class NotificationEvents
{
    private const string Row = """
        SELECT n.id AS Id, n.kind AS Kind, n.channel AS Channel, n.case_id AS CaseId, n.citizen_id AS CitizenId, n.staff_username AS StaffUsername,
               n.attempts AS Attempts, n.last_error AS LastError, c.number || '/' || c.year AS CaseNumber
        FROM notifications n LEFT JOIN cases c ON c.id = n.case_id WHERE n.id = @Id
        """;

    private sealed record EventRow
    {
        public Guid Id { get; init; }
        public string Kind { get; init; } = "";
        public string Channel { get; init; } = "";
        public Guid? CaseId { get; init; }
        public Guid? CitizenId { get; init; }
        public string? StaffUsername { get; init; }
        public long Attempts { get; init; }
        public string? LastError { get; init; }
        public string? CaseNumber { get; init; }
    }

    public static Task SentAsync(UnitOfWork uow, Timeline.Timeline timeline, Guid id, CancellationToken ct) => AppendAsync(uow, timeline, id, true, ct);
    public static Task FailedAsync(UnitOfWork uow, Timeline.Timeline timeline, Guid id, CancellationToken ct) => AppendAsync(uow, timeline, id, false, ct);

    private static async Task AppendAsync(UnitOfWork uow, Timeline.Timeline timeline, Guid id, bool sent, CancellationToken ct)
    {
        var n = await uow.QuerySingleAsync<EventRow>(Row, new { Id = id }, ct);
        var how = n.Channel == NotificationChannels.Sms ? "SMS" : "e-mail";
        var to = n.StaffUsername is { } staff ? $" to {staff}" : "";
        var about = n.CaseNumber is { } number ? $" for {number}" : "";
        await timeline.AppendAsync(new TimelineEntry
        {
            Kind = sent ? "notification.sent" : "notification.failed",
            Channel = n.Channel == NotificationChannels.Email ? Channels.Email : Channels.System,
            Actor = "system", CaseId = n.CaseId, CitizenId = n.CitizenId,
            Summary = sent
                ? $"{NotificationKinds.Describe(n.Kind)}{about} sent by {how}{to}"
                : $"{NotificationKinds.Describe(n.Kind)}{about} by {how}{to} could not be sent and was given up after {n.Attempts} attempt(s): {n.LastError}",
            Payload = new { NotificationId = n.Id, n.Kind, n.Channel, n.Attempts },
            // One event per outcome; a retried-by-hand notification that fails again gets a new one (its attempts differ).
            DedupKey = $"notification:{n.Id}:{(sent ? "sent" : "failed")}:{n.Attempts}",
        }, ct);
    }
}

public sealed record NotificationRunResult(int Sent, int Retrying, int Failed, int Lost, IReadOnlyList<string> NotConfigured)
{
    public string Summary => $"{Sent} sent, {Retrying} to retry later, {Failed} given up" + (Lost > 0 ? $", {Lost} taken over by another run" : "") +
                             (NotConfigured.Count > 0 ? $"; not configured, left waiting: {string.Join(", ", NotConfigured)}" : "");
}

/// <summary>
/// The outbox sender (Quartz, every 30 seconds by default). Claims due notifications, sends each outside any
/// transaction (a slow mail server must not hold SQLite's write lock), and records each outcome in a transaction of
/// its own. See ClaimDueNotifications for what a crash leaves and how it is picked up.
/// </summary>
[DisallowConcurrentExecution]
public sealed class NotificationSenderJob(IMediator mediator, RequestContext context, NotificationTransports transports) : IJob
{
    public const string Name = "notification-sender";

    public async ValueTask Execute(IJobExecutionContext job, CancellationToken ct)
    {
        context.ActAsJob(Name);
        var runId = Guid.NewGuid().ToString("N");
        var channels = new[] { NotificationChannels.Email, NotificationChannels.Sms }.Where(transports.Configured).ToList();
        var notConfigured = new[] { NotificationChannels.Email, NotificationChannels.Sms }.Except(channels)
            .Select(c => c == NotificationChannels.Email ? "e-mail (Notifications:Email:Host)" : "SMS (Notifications:Sms)").ToList();
        int sent = 0, retrying = 0, failed = 0, lost = 0;
        foreach (var n in await mediator.Send(new ClaimDueNotifications(runId, channels), ct))
        {
            var outcome = await transports.SendAsync(n, ct);
            // Recorded even when the run is being stopped: the message may already have left.
            switch (await mediator.Send(new RecordNotificationOutcome(n.Id, runId, outcome), CancellationToken.None))
            {
                case RecordNotificationOutcomeHandler.Sent: sent++; break;
                case RecordNotificationOutcomeHandler.Failed: failed++; break;
                case RecordNotificationOutcomeHandler.Retry: retrying++; break;
                default: lost++; break;
            }
        }
        job.Result = new NotificationRunResult(sent, retrying, failed, lost, notConfigured).Summary;
    }
}
