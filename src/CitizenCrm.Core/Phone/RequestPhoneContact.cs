using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Mediator;

namespace CitizenCrm.Core.Phone;

public static class PhoneRequestKinds
{
    public const string Callback = "callback", Message = "message";
}

/// <summary>
/// A caller who could not reach an operator (out of hours, or waited too long) asks to be called back or leaves
/// a recorded message: it lands in the dispatchers' list with the caller's verified identity, if any.
/// One per call and kind: a retried webhook does not make a second request.
/// </summary>
public sealed record RequestPhoneContact(
    string CallSid, int Turn, string Kind, string Reason, Guid? CitizenId, string? CallerNumber, string CallerMasked,
    string Language, string? RecordingUrl = null, int? RecordingSeconds = null) : ICommand<Guid>;

public sealed class RequestPhoneContactHandler(UnitOfWork uow, Timeline.Timeline timeline, TimeProvider clock)
    : ICommandHandler<RequestPhoneContact, Guid>
{
    private const string Existing = "SELECT id FROM phone_requests WHERE call_sid = @CallSid AND kind = @Kind";
    private const string Insert = """
        INSERT INTO phone_requests (id, call_sid, kind, reason, citizen_id, caller_number, caller_masked, language, recording_url, recording_seconds, created_at)
        VALUES (@Id, @CallSid, @Kind, @Reason, @CitizenId, @CallerNumber, @CallerMasked, @Language, @RecordingUrl, @RecordingSeconds, @CreatedAt)
        """;

    public async ValueTask<Guid> Handle(RequestPhoneContact command, CancellationToken ct)
    {
        var existing = await uow.QueryAsync<Guid>(Existing, new { command.CallSid, command.Kind }, ct);
        if (existing.Count > 0) return existing[0];
        var id = Guid.NewGuid();
        await uow.ExecuteAsync(Insert, new
        {
            Id = id, command.CallSid, command.Kind, command.Reason, command.CitizenId, command.CallerNumber, command.CallerMasked,
            command.Language, command.RecordingUrl, command.RecordingSeconds, CreatedAt = clock.GetUtcNow().ToUnixTimeMilliseconds(),
        }, ct);
        var message = command.Kind == PhoneRequestKinds.Message;
        await timeline.AppendAsync(new TimelineEntry
        {
            Kind = message ? "ivr.message_left" : "ivr.callback_requested", Channel = Channels.Ivr,
            CitizenId = command.CitizenId, Correlation = command.CallSid,
            Summary = message
                ? $"Voice message left for the dispatchers ({command.RecordingSeconds ?? 0} s) from {command.CallerMasked}"
                : $"Callback requested from {command.CallerMasked}",
            Payload = new { RequestId = id, command.Reason, command.Language },
            DedupKey = $"twilio:{command.CallSid}:{command.Turn}:{(message ? 8 : 7)}",
        }, ct);
        return id;
    }
}
