using System.Globalization;
using Calendar = CitizenCrm.Core.Common.Calendar;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Mediator;

namespace CitizenCrm.Core.Notifications;

/// <summary>
/// A notification as dispatchers and admins see it. The address is masked ("i***@exemplu.ro", "+407******78"): enough
/// to tell which of a citizen's addresses was used, not enough to read it off the screen; the citizen's record has it.
/// </summary>
public sealed record NotificationSummary(Guid Id, string Kind, string Channel, string Status, Guid? CaseId, string? CaseNumber, Guid? CitizenId,
    string? StaffUsername, string RecipientMasked, string Language, string? Subject, bool HasAttachment, DateTimeOffset CreatedAt,
    DateTimeOffset? SentAt, DateTimeOffset? FailedAt, int Attempts, DateTimeOffset? NextAttemptAt, string? LastError);

public sealed record NotificationPage(IReadOnlyList<NotificationSummary> Notifications, long Total, string? NextCursor) : IPage;

internal sealed record NotificationRow
{
    public const string Columns = """
        n.id AS Id, n.kind AS Kind, n.channel AS Channel, n.status AS Status, n.case_id AS CaseId, c.number || '/' || c.year AS CaseNumber,
        n.citizen_id AS CitizenId, n.staff_username AS StaffUsername, n.recipient AS Recipient, n.language AS Language, n.subject AS Subject,
        n.attachment_sha256 AS AttachmentSha256, n.created_at AS CreatedAt, n.sent_at AS SentAt, n.failed_at AS FailedAt,
        n.attempts AS Attempts, n.next_attempt_at AS NextAttemptAt, n.last_error AS LastError
        """;
    public const string From = " FROM notifications n LEFT JOIN cases c ON c.id = n.case_id ";

    public Guid Id { get; init; }
    public string Kind { get; init; } = "";
    public string Channel { get; init; } = "";
    public string Status { get; init; } = "";
    public Guid? CaseId { get; init; }
    public string? CaseNumber { get; init; }
    public Guid? CitizenId { get; init; }
    public string? StaffUsername { get; init; }
    public string Recipient { get; init; } = "";
    public string Language { get; init; } = "";
    public string? Subject { get; init; }
    public string? AttachmentSha256 { get; init; }
    public long CreatedAt { get; init; }
    public long? SentAt { get; init; }
    public long? FailedAt { get; init; }
    public int Attempts { get; init; }
    public long NextAttemptAt { get; init; }
    public string? LastError { get; init; }

    public NotificationSummary ToSummary() => new(Id, Kind, Channel, Status, CaseId, CaseNumber, CitizenId, StaffUsername,
        Mask(Channel, Recipient), Language, Subject, AttachmentSha256 is not null, Calendar.FromMs(CreatedAt),
        SentAt is { } s ? Calendar.FromMs(s) : null, FailedAt is { } f ? Calendar.FromMs(f) : null, Attempts,
        Status == NotificationStatuses.Pending ? Calendar.FromMs(NextAttemptAt) : null, LastError);

    internal static string Mask(string channel, string recipient)
    {
        if (channel == NotificationChannels.Sms) return Citizens.PhoneNumber.Mask(recipient);
        var at = recipient.LastIndexOf('@');
        return at <= 0 ? "***" : recipient[0] + "***" + recipient[at..];
    }
}

/// <summary>Notifications, newest first, filtered by status and case: the dispatchers' view of what went out and what did not.</summary>
public sealed record ListNotifications(string? Status, Guid? CaseId, int? Limit, string? Cursor) : IQuery<NotificationPage>, IValidatable
{
    public const string CursorName = "notifications";

    public void Validate(Validation v)
    {
        if (Status is not null && !NotificationStatuses.All.Contains(Status)) v.Add("status", "The status is pending, sent or failed.");
        Paging.ValidateLimit(v, Limit);
        Paging.Decode(v, Cursor, CursorName, 2);
    }
}

public sealed class ListNotificationsHandler(UnitOfWork uow) : IQueryHandler<ListNotifications, NotificationPage>
{
    private const string Where = " WHERE (@Status IS NULL OR n.status = @Status) AND (@CaseId IS NULL OR n.case_id = @CaseId) ";
    private const string Page = "SELECT " + NotificationRow.Columns + NotificationRow.From + Where +
        " AND (@AfterAt IS NULL OR n.created_at < @AfterAt OR (n.created_at = @AfterAt AND n.id < @AfterId)) ORDER BY n.created_at DESC, n.id DESC LIMIT @Take";
    private const string Count = "SELECT COUNT(*) FROM notifications n" + Where;

    public async ValueTask<NotificationPage> Handle(ListNotifications query, CancellationToken ct)
    {
        var key = Paging.Decode(new Validation(), query.Cursor, ListNotifications.CursorName, 2);
        var take = Paging.Take(query.Limit);
        var args = new
        {
            query.Status, query.CaseId, Take = take + 1,
            AfterAt = key is null ? (long?)null : long.Parse(key[0], CultureInfo.InvariantCulture),
            // A Guid, not the cursor's text: PostgreSQL compares a uuid column with a uuid only.
            AfterId = key is not null && Guid.TryParse(key[1], out var afterId) ? afterId : (Guid?)null,
        };
        var rows = await uow.QueryAsync<NotificationRow>(Page, args, ct);
        var total = await uow.ExecuteScalarAsync<long>(Count, args, ct);
        var shown = rows.Take(take).ToList();
        var next = rows.Count > take ? Paging.Encode(ListNotifications.CursorName, shown[^1].CreatedAt.ToString(CultureInfo.InvariantCulture), shown[^1].Id.ToString().ToUpperInvariant()) : null;
        return new NotificationPage(shown.Select(r => r.ToSummary()).ToList(), total, next);
    }
}

/// <summary>
/// A dispatcher sends a failed notification again, typically after the citizen's address was corrected or the mail
/// settings were fixed. It goes back to pending with a fresh set of attempts, to the citizen's address as the record
/// holds it now (on the same channel: the text was written for it); a contact's or a staff member's keeps its address.
/// </summary>
public sealed record RetryNotification(Guid Id) : ICommand<NotificationSummary>;

public sealed class RetryNotificationHandler(UnitOfWork uow, Timeline.Timeline timeline, TimeProvider clock, Outbox outbox)
    : ICommandHandler<RetryNotification, NotificationSummary>
{
    private const string One = "SELECT " + NotificationRow.Columns + NotificationRow.From + " WHERE n.id = @Id";
    private const string Reset = """
        UPDATE notifications SET status = 'pending', attempts = 0, next_attempt_at = @Now, failed_at = NULL, claimed_by = NULL, claimed_until = NULL,
                                 recipient = COALESCE(@Recipient, recipient)
        WHERE id = @Id AND status = 'failed'
        """;

    public async ValueTask<NotificationSummary> Handle(RetryNotification command, CancellationToken ct)
    {
        var row = await uow.QuerySingleOrDefaultAsync<NotificationRow>(One, new { command.Id }, ct) ?? throw new NotFoundException("notification", command.Id);
        if (row.Status != NotificationStatuses.Failed)
            throw new ConflictException($"Only a failed notification is sent again; this one is {row.Status}.", "Not failed");
        var current = row.CitizenId is { } citizenId && row.StaffUsername is null ? await outbox.CurrentAddressAsync(citizenId, row.Channel, ct) : null;
        await uow.ExecuteAsync(Reset, new { command.Id, Now = clock.GetUtcNow().ToUnixTimeMilliseconds(), Recipient = current }, ct);
        await timeline.AppendAsync(new TimelineEntry
        {
            Kind = "notification.retried", Channel = Channels.System, CaseId = row.CaseId, CitizenId = row.CitizenId,
            Summary = $"{NotificationKinds.Describe(row.Kind)}{(row.CaseNumber is { } n ? $" for {n}" : "")} queued to be sent again (it had failed: {row.LastError})",
            Payload = new { NotificationId = row.Id, row.Kind, row.Channel },
        }, ct);
        return (await uow.QuerySingleAsync<NotificationRow>(One, new { command.Id }, ct)).ToSummary();
    }
}
