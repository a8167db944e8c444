using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Mediator;

namespace CitizenCrm.Core.Phone;

/// <summary>
/// A turn failed inside: the caller hears an apology and goes to the operators, and the dispatchers see them waiting
/// with the reason "error". Returns the call's language for the apology ("ro" for a call this database never saw).
/// </summary>
public sealed record MarkCallFailed(string CallSid, int Turn) : ICommand<string>;

public sealed class MarkCallFailedHandler(UnitOfWork uow, Timeline.Timeline timeline, TimeProvider clock) : ICommandHandler<MarkCallFailed, string>
{
    private const string Language = "SELECT language FROM ivr_calls WHERE call_sid = @CallSid";
    private const string MarkWaiting = """
        UPDATE ivr_calls SET status = 'waiting', wait_reason = 'error', waiting_since = @Now, updated_at = @Now
        WHERE call_sid = @CallSid AND status <> 'ended'
        """;

    public async ValueTask<string> Handle(MarkCallFailed command, CancellationToken ct)
    {
        var language = (await uow.QueryAsync<string>(Language, new { command.CallSid }, ct)).FirstOrDefault();
        if (language is null) return "ro";
        await uow.ExecuteAsync(MarkWaiting, new { command.CallSid, Now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, ct);
        await timeline.AppendAsync(new TimelineEntry
        {
            Kind = "ivr.transferred", Channel = Channels.Ivr, Correlation = command.CallSid,
            Summary = "Caller put through to the operators' queue after an error in the robot",
            Payload = new { Reason = "error" },
            Facts = new { Reason = "error" },
            DedupKey = $"twilio:{command.CallSid}:{command.Turn}:9",
        }, ct);
        return language;
    }
}

/// <summary>Twilio asks the operator's Queue url just before bridging a waiting caller: the caller leaves the waiting list.</summary>
public sealed record MarkCallBridged(string CallSid) : ICommand<bool>;

public sealed class MarkCallBridgedHandler(UnitOfWork uow, Timeline.Timeline timeline, TimeProvider clock) : ICommandHandler<MarkCallBridged, bool>
{
    private const string Bridge = """
        UPDATE ivr_calls SET status = 'with_operator', waiting_since = NULL, updated_at = @Now
        WHERE call_sid = @CallSid AND status = 'waiting'
        """;
    private const string Citizen = "SELECT citizen_id FROM ivr_calls WHERE call_sid = @CallSid";

    public async ValueTask<bool> Handle(MarkCallBridged command, CancellationToken ct)
    {
        if (await uow.ExecuteAsync(Bridge, new { command.CallSid, Now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, ct) == 0) return false;
        await timeline.AppendAsync(new TimelineEntry
        {
            Kind = "ivr.operator_answered", Channel = Channels.Phone, Correlation = command.CallSid,
            CitizenId = await uow.QuerySingleOrDefaultAsync<Guid?>(Citizen, new { command.CallSid }, ct),
            Summary = "An operator took the call from the queue",
            DedupKey = $"twilio:{command.CallSid}:bridged",
        }, ct);
        return true;
    }
}
