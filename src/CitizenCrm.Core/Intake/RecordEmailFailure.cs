using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Mediator;

namespace CitizenCrm.Core.Intake;

/// <summary>
/// A message that cannot be registered (too large, no sender, refused, or failed <see cref="RecordEmailAttempt.MaxAttempts"/>
/// times): remembered as failed, so it is never tried again, and put on the timeline (channel e-mail, no case) for the
/// dispatchers, who find it in the mailbox's failed folder. The mailbox moves on to the next message.
/// </summary>
public sealed record RecordEmailFailure(string MessageKey, string? FromAddress, string? FromName, string? Subject, string Reason, string FailedFolder)
    : ICommand<bool>;

public sealed class RecordEmailFailureHandler(UnitOfWork uow, Timeline.Timeline timeline, TimeProvider clock) : ICommandHandler<RecordEmailFailure, bool>
{
    // Portable SQL (no ON CONFLICT / MERGE): the command's transaction makes the read and the write one step.
    private const string Outcome = "SELECT outcome FROM mail_messages WHERE message_key = @Key";
    private const string Insert = """
        INSERT INTO mail_messages (message_key, direction, outcome, case_id, attempts, reason, recorded_at, updated_at)
        VALUES (@Key, 'received', 'failed', NULL, 0, @Reason, @Now, @Now)
        """;
    private const string GiveUp = "UPDATE mail_messages SET outcome = 'failed', reason = @Reason, updated_at = @Now WHERE message_key = @Key AND outcome = 'retrying'";

    public async ValueTask<bool> Handle(RecordEmailFailure command, CancellationToken ct)
    {
        var reason = Clean.Cut(Clean.Line(command.Reason), 500);
        var row = new { Key = command.MessageKey, Reason = reason, Now = clock.GetUtcNow().ToUnixTimeMilliseconds() };
        switch (await uow.QuerySingleOrDefaultAsync<string>(Outcome, row, ct))
        {
            case null: await uow.ExecuteAsync(Insert, row, ct); break;
            case "retrying": await uow.ExecuteAsync(GiveUp, row, ct); break;
            default: return false; // already registered or already failed: nothing to add
        }
        var who = string.IsNullOrWhiteSpace(command.FromName) ? command.FromAddress : command.FromName;
        await timeline.AppendAsync(new TimelineEntry
        {
            Kind = "email.failed", Channel = Channels.Email, Correlation = MailKeys.Short(command.MessageKey),
            Summary = Clean.Cut($"An e-mail from {(string.IsNullOrWhiteSpace(who) ? "an unknown sender" : Clean.Line(who))} " +
                                $"(\"{Clean.Line(command.Subject ?? "")}\") was not registered: {reason} " +
                                $"It is in the mailbox folder '{command.FailedFolder}'.", 500),
            Payload = new { messageKey = command.MessageKey, from = command.FromAddress, subject = command.Subject, reason, folder = command.FailedFolder },
            DedupKey = MailKeys.Short(command.MessageKey) + ":failed",
        }, ct);
        return true;
    }
}

/// <summary>
/// Counts an unexpected failure while registering a message (the transaction rolled back, so nothing of it is kept).
/// The message stays in the inbox and is tried again at the next poll; after <see cref="MaxAttempts"/> failures it is
/// given up (<see cref="RecordEmailFailure"/>), so one message that always fails never holds the mailbox up.
/// Returns the number of failures so far.
/// </summary>
public sealed record RecordEmailAttempt(string MessageKey, string Error) : ICommand<int>
{
    public const int MaxAttempts = 3;
}

public sealed class RecordEmailAttemptHandler(UnitOfWork uow, TimeProvider clock) : ICommandHandler<RecordEmailAttempt, int>
{
    private const string Outcome = "SELECT outcome FROM mail_messages WHERE message_key = @Key";
    private const string Insert = """
        INSERT INTO mail_messages (message_key, direction, outcome, case_id, attempts, reason, recorded_at, updated_at)
        VALUES (@Key, 'received', 'retrying', NULL, 1, @Error, @Now, @Now)
        """;
    private const string Count = "UPDATE mail_messages SET attempts = attempts + 1, reason = @Error, updated_at = @Now WHERE message_key = @Key AND outcome = 'retrying'";
    private const string Attempts = "SELECT attempts FROM mail_messages WHERE message_key = @Key AND outcome = 'retrying'";

    public async ValueTask<int> Handle(RecordEmailAttempt command, CancellationToken ct)
    {
        var row = new { Key = command.MessageKey, Error = Clean.Cut(Clean.Line(command.Error), 500), Now = clock.GetUtcNow().ToUnixTimeMilliseconds() };
        switch (await uow.QuerySingleOrDefaultAsync<string>(Outcome, row, ct))
        {
            case null: await uow.ExecuteAsync(Insert, row, ct); break;
            case "retrying": await uow.ExecuteAsync(Count, row, ct); break;
            default: return 0; // it went through meanwhile
        }
        return (int)(await uow.ExecuteScalarAsync<long?>(Attempts, row, ct) ?? 0);
    }
}

/// <summary>What the mailbox already knows of a message: its outcome, or null when it has never been seen.</summary>
public sealed record FindReceivedEmail(string MessageKey) : IQuery<string?>;

public sealed class FindReceivedEmailHandler(UnitOfWork uow) : IQueryHandler<FindReceivedEmail, string?>
{
    private const string Sql = "SELECT outcome FROM mail_messages WHERE message_key = @Key";

    public async ValueTask<string?> Handle(FindReceivedEmail query, CancellationToken ct) =>
        await uow.QuerySingleOrDefaultAsync<string>(Sql, new { Key = query.MessageKey }, ct);
}
