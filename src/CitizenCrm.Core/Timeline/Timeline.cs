using CitizenCrm.Core.Common;
using CitizenCrm.Core.Pipeline;
using CitizenCrm.Core.Storage;

namespace CitizenCrm.Core.Timeline;

/// <summary>
/// The one way anything is appended to the timeline, inside the calling command's transaction.
/// An append whose dedup key is already there returns the event stored the first time.
/// </summary>
public sealed class Timeline(UnitOfWork uow, RequestContext context, CommandScope scope, TimeProvider clock)
{
    private const string FindByKey = "SELECT " + TimelineRow.Columns + " FROM timeline WHERE dedup_key = @DedupKey";
    private const string InsertColumns = "event_id, citizen_id, case_id, correlation, channel, kind, actor, on_behalf_of, occurred_at, recorded_at, summary, payload, dedup_key";
    private const string InsertValues = "@EventId, @CitizenId, @CaseId, @Correlation, @Channel, @Kind, @Actor, @OnBehalfOf, @OccurredAt, @RecordedAt, @Summary, @Payload, @DedupKey";

    public async Task<TimelineEvent> AppendAsync(TimelineEntry entry, CancellationToken ct)
    {
        if (!uow.InTransaction)
            throw new InvalidOperationException("Timeline events are appended inside a command's transaction.");
        if (!Channels.All.Contains(entry.Channel))
            throw new ArgumentException($"Unknown channel '{entry.Channel}'.", nameof(entry));

        var dedupKey = entry.DedupKey ?? scope.NextDedupKey();
        var existing = await uow.QuerySingleOrDefaultAsync<TimelineRow>(FindByKey, new { DedupKey = dedupKey }, ct);
        if (existing is not null) return existing.ToEvent();

        var row = ToRow(entry, dedupKey, clock.GetUtcNow());
        var seq = await uow.ExecuteScalarAsync<long>(
            uow.Dialect.InsertReturning("timeline", InsertColumns, InsertValues, "seq"), row, ct);
        return (row with { Seq = seq }).ToEvent();
    }

    internal TimelineRow ToRow(TimelineEntry entry, string dedupKey, DateTimeOffset now) => new()
    {
        EventId = Guid.NewGuid(),
        CitizenId = entry.CitizenId,
        CaseId = entry.CaseId,
        Correlation = entry.Correlation,
        Channel = entry.Channel,
        Kind = entry.Kind,
        Actor = entry.Actor ?? context.Actor,
        OnBehalfOf = entry.OnBehalfOf,
        OccurredAt = (entry.OccurredAt ?? now).ToUnixTimeMilliseconds(),
        RecordedAt = now.ToUnixTimeMilliseconds(),
        Summary = entry.Summary,
        Payload = entry.Payload is null ? "{}" : Json.Serialize(entry.Payload),
        DedupKey = dedupKey,
    };
}
