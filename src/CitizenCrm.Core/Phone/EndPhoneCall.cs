using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Mediator;

namespace CitizenCrm.Core.Phone;

/// <summary>
/// Twilio's status callback: the call is over. Records duration and outcome, once (Twilio retries callbacks).
/// A call that never got past the greeting still ends with its record.
/// </summary>
public sealed record EndPhoneCall(string CallSid, string CallStatus, int? DurationSeconds, string CallerMasked) : ICommand<bool>;

public sealed class EndPhoneCallHandler(UnitOfWork uow, Timeline.Timeline timeline, TimeProvider clock) : ICommandHandler<EndPhoneCall, bool>
{
    private const string Find = "SELECT citizen_id AS CitizenId, outcome AS Outcome, status AS Status FROM ivr_calls WHERE call_sid = @CallSid";
    private const string End = """
        UPDATE ivr_calls SET status = 'ended', ended_at = @At, duration_seconds = @Duration, updated_at = @At, waiting_since = NULL
        WHERE call_sid = @CallSid
        """;

    private sealed record Row
    {
        public Guid? CitizenId { get; init; }
        public string Outcome { get; init; } = "";
        public string Status { get; init; } = "";
    }

    public async ValueTask<bool> Handle(EndPhoneCall command, CancellationToken ct)
    {
        var row = await uow.QuerySingleOrDefaultAsync<Row>(Find, new { command.CallSid }, ct);
        var at = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (row is not null) await uow.ExecuteAsync(End, new { At = at, Duration = command.DurationSeconds, command.CallSid }, ct);
        var outcome = row?.Outcome ?? "not_answered_by_robot";
        await timeline.AppendAsync(new TimelineEntry
        {
            Kind = "ivr.call_ended", Channel = Channels.Ivr, CitizenId = row?.CitizenId, Correlation = command.CallSid,
            Summary = $"Call from {command.CallerMasked} ended after {command.DurationSeconds ?? 0} s ({outcome.Replace('_', ' ')})",
            Payload = new { command.CallStatus, command.DurationSeconds, Outcome = outcome },
            Facts = new { command.DurationSeconds, Outcome = outcome },
            DedupKey = $"twilio:{command.CallSid}:end:1",
        }, ct);
        return true;
    }
}
