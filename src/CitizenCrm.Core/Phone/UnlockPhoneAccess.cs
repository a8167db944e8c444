using CitizenCrm.Core.Citizens;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Mediator;

namespace CitizenCrm.Core.Phone;

public sealed record PhoneAccessUnlocked(Guid CitizenId, bool WasLocked, DateTimeOffset UnlockedAt);

/// <summary>
/// A clerk, having seen the citizen's ID at the desk, lifts the phone lock set after 5 wrong PINs
/// (and clears the failures counted so far). Unlocking an account that was not locked is harmless.
/// </summary>
public sealed record UnlockPhoneAccess(Guid CitizenId) : ICommand<PhoneAccessUnlocked>;

public sealed class UnlockPhoneAccessHandler(UnitOfWork uow, Timeline.Timeline timeline, PhonePinHasher hasher, RequestContext context, TimeProvider clock)
    : ICommandHandler<UnlockPhoneAccess, PhoneAccessUnlocked>
{
    private const string NationalId = "SELECT national_id FROM citizens WHERE id = @Id AND id_type = 'cnp'";
    private const string WasLocked = "SELECT locked_at FROM phone_access_locks WHERE cnp_key = @CnpKey";
    private const string Unlock = """
        INSERT INTO phone_access_locks (cnp_key, citizen_id, locked_at, unlocked_at, unlocked_by) VALUES (@CnpKey, @CitizenId, NULL, @At, @By)
        ON CONFLICT (cnp_key) DO UPDATE SET locked_at = NULL, unlocked_at = @At, unlocked_by = @By, citizen_id = @CitizenId
        """;

    public async ValueTask<PhoneAccessUnlocked> Handle(UnlockPhoneAccess command, CancellationToken ct)
    {
        var cnps = await uow.QueryAsync<string>(NationalId, new { Id = command.CitizenId }, ct);
        if (cnps.Count == 0) throw new NotFoundException("citizen with a CNP", command.CitizenId);
        var key = LookUpCallerCnpHandler.CnpKey(hasher, cnps[0]);
        var lockedAt = (await uow.QueryAsync<long?>(WasLocked, new { CnpKey = key }, ct)).FirstOrDefault();
        var now = clock.GetUtcNow();
        await uow.ExecuteAsync(Unlock, new { CnpKey = key, command.CitizenId, At = now.ToUnixTimeMilliseconds(), By = context.Actor }, ct);
        await timeline.AppendAsync(new TimelineEntry
        {
            Kind = "phone.access_unlocked", Channel = Channels.Desk, CitizenId = command.CitizenId,
            Summary = lockedAt is null ? "Phone access checked at the desk (it was not locked); PIN failures cleared"
                : "Phone access unlocked at the desk after the citizen's identity was checked",
        }, ct);
        return new PhoneAccessUnlocked(command.CitizenId, lockedAt is not null, now);
    }
}
