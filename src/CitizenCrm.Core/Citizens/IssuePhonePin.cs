using CitizenCrm.Core.Common;
using CitizenCrm.Core.DataProtection.Erasure;
using CitizenCrm.Core.Pipeline;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Mediator;

namespace CitizenCrm.Core.Citizens;

/// <summary>The clerk tells the citizen this PIN once; it is never stored or shown again.</summary>
public sealed record IssuedPhonePin(Guid CitizenId, string Pin, DateTimeOffset IssuedAt);

/// <summary>Issue or reset the PIN a citizen types on the phone after their CNP. The previous PIN stops working.</summary>
public sealed record IssuePhonePin(Guid CitizenId) : ICommand<IssuedPhonePin>, INotReplayable;

public sealed class IssuePhonePinHandler(UnitOfWork uow, Timeline.Timeline timeline, PhonePinHasher hasher, TimeProvider clock)
    : ICommandHandler<IssuePhonePin, IssuedPhonePin>
{
    private const string Update = "UPDATE citizens SET pin_hash = @PinHash, pin_issued_at = @Now, updated_at = @Now WHERE id = @Id";
    private const string HadPin = "SELECT pin_hash FROM citizens WHERE id = @Id";

    public async ValueTask<IssuedPhonePin> Handle(IssuePhonePin command, CancellationToken ct)
    {
        var exists = await uow.QueryAsync<string?>(HadPin, new { Id = command.CitizenId }, ct);
        if (exists.Count == 0) throw new NotFoundException("citizen", command.CitizenId);
        await ErasedCitizens.ThrowIfErasedAsync(uow, command.CitizenId, ct);
        var reset = exists[0] is not null;

        var pin = PhonePinHasher.NewPin();
        var now = clock.GetUtcNow();
        await uow.ExecuteAsync(Update, new { PinHash = hasher.Hash(command.CitizenId, pin), Now = now.ToUnixTimeMilliseconds(), Id = command.CitizenId }, ct);
        await timeline.AppendAsync(new TimelineEntry
        {
            Kind = reset ? "citizen.phone_pin_reset" : "citizen.phone_pin_issued",
            Channel = Channels.Desk,
            Summary = reset ? "Phone PIN reset at the desk" : "Phone PIN issued at the desk",
            CitizenId = command.CitizenId,
        }, ct);
        return new IssuedPhonePin(command.CitizenId, pin, now);
    }
}
