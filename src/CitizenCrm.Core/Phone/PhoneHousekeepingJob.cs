using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Mediator;
using Microsoft.Extensions.Options;
using Quartz;

namespace CitizenCrm.Core.Phone;

/// <summary>Bound from "Jobs:PhoneHousekeeping" (beside the job's Enabled and Schedule).</summary>
public sealed class PhoneHousekeepingOptions
{
    /// <summary>
    /// Days an ended call's state row is kept. The row holds the caller's number (personal data kept only as long as
    /// needed, GDPR art. 5(1)(e)); 90 days covers a petition's term with its extension (30 + 15 days, OG 27/2002 arts. 8-9),
    /// a complaint about how the call went, and the monthly reconciliation of the telephony bill. The timeline keeps the
    /// call's story (masked number only) after the row is gone.
    /// </summary>
    public int RetentionDays { get; set; } = 90;
}

/// <summary>
/// Closes calls silent for more than two hours as abandoned (Twilio's status callback never came: a dropped webhook,
/// a server down at the time), so no caller waits forever in the operators' queue, and removes the state of calls that
/// ended longer ago than the retention. Safe to run any number of times: a closed call is no longer open, a pruned row is gone.
/// </summary>
public sealed record TidyPhoneCalls(int RetentionDays) : ICommand<PhoneHousekeepingResult>;

public sealed record PhoneHousekeepingResult(int Abandoned, int Pruned)
{
    public string Summary => $"{Abandoned} silent call(s) closed as abandoned, {Pruned} ended call(s) past retention pruned";
}

public sealed class TidyPhoneCallsHandler(UnitOfWork uow, Timeline.Timeline timeline, TimeProvider clock)
    : ICommandHandler<TidyPhoneCalls, PhoneHousekeepingResult>
{
    /// <summary>A call with no turn, callback or bridge for this long is over, whatever Twilio said or did not say.</summary>
    public static readonly TimeSpan SilentAfter = TimeSpan.FromHours(2);

    private const string Silent = """
        SELECT call_sid AS CallSid, caller_masked AS CallerMasked, citizen_id AS CitizenId, status AS Status,
               outcome AS Outcome, started_at AS StartedAt, updated_at AS UpdatedAt
        FROM ivr_calls WHERE status <> 'ended' AND updated_at < @Before ORDER BY updated_at
        """;
    // "status <> 'ended'" again: a status callback that lands between the read and this write wins.
    private const string Close = """
        UPDATE ivr_calls SET status = 'ended', outcome = 'abandoned', ended_at = @Now, updated_at = @Now, waiting_since = NULL,
               duration_seconds = @Duration
        WHERE call_sid = @CallSid AND status <> 'ended'
        """;
    private const string Prune = "DELETE FROM ivr_calls WHERE status = 'ended' AND ended_at < @Before";

    private sealed record SilentCall
    {
        public string CallSid { get; init; } = "";
        public string CallerMasked { get; init; } = "";
        public Guid? CitizenId { get; init; }
        public string Status { get; init; } = "";
        public string Outcome { get; init; } = "";
        public long StartedAt { get; init; }
        public long UpdatedAt { get; init; }
    }

    public async ValueTask<PhoneHousekeepingResult> Handle(TidyPhoneCalls command, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var abandoned = 0;
        foreach (var call in await uow.QueryAsync<SilentCall>(Silent, new { Before = (now - SilentAfter).ToUnixTimeMilliseconds() }, ct))
        {
            // Its length is what we saw of it: from the first webhook to the last sign of life.
            var duration = (int)Math.Max(0, (call.UpdatedAt - call.StartedAt) / 1000);
            if (await uow.ExecuteAsync(Close, new { call.CallSid, Now = now.ToUnixTimeMilliseconds(), Duration = duration }, ct) == 0) continue;
            await timeline.AppendAsync(new TimelineEntry
            {
                Kind = "ivr.call_abandoned", Channel = Channels.Ivr, CitizenId = call.CitizenId, Correlation = call.CallSid,
                Actor = "system",
                OccurredAt = Calendar.FromMs(call.UpdatedAt),
                Summary = $"Call from {call.CallerMasked} closed as abandoned: silent for more than 2 hours ({call.Status.Replace('_', ' ')})",
                Payload = new { LastStatus = call.Status, LastOutcome = call.Outcome, SilentSince = Calendar.FromMs(call.UpdatedAt) },
                DedupKey = $"job:phone-housekeeping:{call.CallSid}:abandoned",
            }, ct);
            abandoned++;
        }
        var pruned = await uow.ExecuteAsync(Prune, new { Before = (now - TimeSpan.FromDays(command.RetentionDays)).ToUnixTimeMilliseconds() }, ct);
        return new PhoneHousekeepingResult(abandoned, pruned);
    }
}

/// <summary>
/// The scheduled run of <see cref="TidyPhoneCalls"/>. Quartz resolves it in a scope of its own, so the mediator, the unit
/// of work and the request context (actor "system") belong to this run alone.
/// </summary>
[DisallowConcurrentExecution]
public sealed class PhoneHousekeepingJob(IMediator mediator, RequestContext context, IOptions<PhoneHousekeepingOptions> options) : IJob
{
    public const string Name = "phone-housekeeping";

    public async ValueTask Execute(IJobExecutionContext job, CancellationToken ct)
    {
        context.ActAsJob(Name);
        var result = await mediator.Send(new TidyPhoneCalls(Math.Max(1, options.Value.RetentionDays)), ct);
        job.Result = result.Summary;
    }
}
