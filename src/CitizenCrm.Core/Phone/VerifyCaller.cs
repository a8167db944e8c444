using CitizenCrm.Core.Citizens;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Mediator;

namespace CitizenCrm.Core.Phone;

public sealed record CallerVerification(bool Verified, Guid? CitizenId, string? FirstName, string? PreferredLanguage, bool LockedNow);

/// <summary>
/// The phone PIN check. A locked CNP, an unknown CNP and a wrong PIN all fail the same way, with the same work
/// done (a PIN hash is always computed), so nothing the caller hears or waits tells whether a CNP exists.
/// Five failures for one CNP within 24 hours lock phone access for it until a clerk unlocks it at the desk.
/// </summary>
public sealed record VerifyCaller(string CallSid, int Turn, string CnpKey, Guid? CitizenId, string Pin) : ICommand<CallerVerification>;

public sealed class VerifyCallerHandler(UnitOfWork uow, Timeline.Timeline timeline, PhonePinHasher hasher, TimeProvider clock)
    : ICommandHandler<VerifyCaller, CallerVerification>
{
    public const int FailuresBeforeLock = 5;
    public static readonly TimeSpan FailureWindow = TimeSpan.FromHours(24);

    private const string Citizen = "SELECT pin_hash AS PinHash, first_name AS FirstName, preferred_language AS PreferredLanguage FROM citizens WHERE id = @Id";
    private const string Lock = "SELECT locked_at AS LockedAt, unlocked_at AS UnlockedAt FROM phone_access_locks WHERE cnp_key = @CnpKey";
    private const string InsertFailure = "INSERT INTO phone_pin_failures (cnp_key, at, call_sid) VALUES (@CnpKey, @At, @CallSid)";
    private const string CountFailures = "SELECT COUNT(*) FROM phone_pin_failures WHERE cnp_key = @CnpKey AND at > @Since";
    private const string UpsertLock = """
        INSERT INTO phone_access_locks (cnp_key, citizen_id, locked_at) VALUES (@CnpKey, @CitizenId, @At)
        ON CONFLICT (cnp_key) DO UPDATE SET locked_at = @At, citizen_id = @CitizenId
        """;

    private sealed record CitizenRow
    {
        public string? PinHash { get; init; }
        public string FirstName { get; init; } = "";
        public string PreferredLanguage { get; init; } = "ro";
    }

    private sealed record LockRow
    {
        public long? LockedAt { get; init; }
        public long? UnlockedAt { get; init; }
    }

    public async ValueTask<CallerVerification> Handle(VerifyCaller command, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        // The same query for an unknown CNP (an id that matches nothing): the same work, so the same time.
        var citizen = await uow.QuerySingleOrDefaultAsync<CitizenRow>(Citizen, new { Id = command.CitizenId ?? Guid.Empty }, ct);
        if (command.CitizenId is null) citizen = null;
        var lockRow = await uow.QuerySingleOrDefaultAsync<LockRow>(Lock, new { command.CnpKey }, ct);
        var locked = lockRow?.LockedAt is not null;

        // Always hash, even when the answer is already known to be "no": the same work for every caller.
        var pinOk = hasher.Verify(command.CitizenId ?? Guid.Empty, command.Pin, citizen?.PinHash ?? new string('0', 64));
        if (citizen is not null && !locked && pinOk)
        {
            await timeline.AppendAsync(new TimelineEntry
            {
                Kind = "ivr.identity_verified", Channel = Channels.Ivr, CitizenId = command.CitizenId, Correlation = command.CallSid,
                Summary = "Caller identified on the phone with CNP and PIN",
                DedupKey = $"twilio:{command.CallSid}:{command.Turn}:1",
            }, ct);
            return new CallerVerification(true, command.CitizenId, citizen.FirstName, citizen.PreferredLanguage, false);
        }

        await uow.ExecuteAsync(InsertFailure, new { command.CnpKey, At = now, command.CallSid }, ct);
        var since = Math.Max(now - (long)FailureWindow.TotalMilliseconds, lockRow?.UnlockedAt ?? 0);
        var failures = await uow.ExecuteScalarAsync<long>(CountFailures, new { command.CnpKey, Since = since }, ct);
        var lockNow = !locked && failures >= FailuresBeforeLock;
        if (lockNow) await uow.ExecuteAsync(UpsertLock, new { command.CnpKey, CitizenId = citizen is null ? null : command.CitizenId, At = now }, ct);

        await timeline.AppendAsync(new TimelineEntry
        {
            Kind = "ivr.identity_failed", Channel = Channels.Ivr, Correlation = command.CallSid,
            // On the citizen's own timeline when the CNP is theirs: staff see attempts on an account; the caller hears nothing of it.
            CitizenId = citizen is null ? null : command.CitizenId,
            Summary = locked ? "Phone identity check refused: phone access is locked for this CNP"
                : citizen is null ? "Phone identity check failed (CNP not on file)" : "Phone identity check failed (wrong PIN)",
            Payload = new { FailuresIn24h = failures },
            DedupKey = $"twilio:{command.CallSid}:{command.Turn}:1",
        }, ct);
        if (lockNow)
            await timeline.AppendAsync(new TimelineEntry
            {
                Kind = "ivr.phone_access_locked", Channel = Channels.Ivr, Correlation = command.CallSid,
                CitizenId = citizen is null ? null : command.CitizenId,
                Summary = $"Phone access locked after {FailuresBeforeLock} wrong PINs within 24 hours; a clerk can unlock it at the desk",
                DedupKey = $"twilio:{command.CallSid}:{command.Turn}:2",
            }, ct);
        return new CallerVerification(false, null, null, null, lockNow);
    }
}
