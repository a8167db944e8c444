using CitizenCrm.Core.Common;
using CitizenCrm.Core.Pipeline;
using CitizenCrm.Core.Storage;

namespace CitizenCrm.Core.Timeline;

/// <summary>
/// The one way anything is appended to the timeline, inside the calling command's transaction.
/// An append whose dedup key is already there returns the event stored the first time.
/// </summary>
public sealed class Timeline(UnitOfWork uow, RequestContext context, CommandScope scope, TimeProvider clock, IEnumerable<ITimelineListener> listeners)
{
    private const string FindByKey = "SELECT " + TimelineRow.Columns + " FROM timeline WHERE dedup_key = @DedupKey";
    // An event is two rows (sql/sqlite/0017_data_protection.sql): what happened, kept for ever, and its personal details,
    // which an erasure or a retention rule may delete. Both are written here, in the caller's transaction.
    private const string InsertColumns = "event_id, citizen_id, case_id, correlation, channel, kind, actor, occurred_at, recorded_at, facts, dedup_key";
    private const string InsertValues = "@EventId, @CitizenId, @CaseId, @Correlation, @Channel, @Kind, @Actor, @OccurredAt, @RecordedAt, @Facts, @DedupKey";
    private const string InsertDetails = "INSERT INTO timeline_details (seq, summary, on_behalf_of, payload) VALUES (@Seq, @Summary, @OnBehalfOf, @Payload)";

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
            uow.Dialect.InsertReturning("timeline_events", InsertColumns, InsertValues, "seq"), row, ct);
        await uow.ExecuteAsync(InsertDetails, new { Seq = seq, row.Summary, row.OnBehalfOf, row.Payload }, ct);
        var appended = (row with { Seq = seq }).ToEvent();
        foreach (var listener in listeners) await listener.AppendedAsync(appended, ct);
        return appended;
    }

    // Two single-row statements rather than one INSERT ... SELECT ... WHERE NOT EXISTS: portable (no ON CONFLICT / MERGE), and
    // SQLite keeps no statement journal for a single-row insert, which for a million rows is a third of the time.
    private const string KeyExists = "SELECT COUNT(*) FROM timeline WHERE dedup_key = @DedupKey";


    /// <summary>
    /// Appends many events inside the calling transaction (bulk loads: the demo city, imports of history). SQLite has one
    /// writer, so speed comes from one large transaction and one prepared command re-bound for each event rather than
    /// parsed again. An event whose dedup key is already there is skipped, as <see cref="AppendAsync"/> would return it.
    /// Entries are read lazily, so a million need not be held in memory. Returns how many were appended.
    /// </summary>
    public async Task<int> AppendBatchAsync(IEnumerable<TimelineEntry> entries, CancellationToken ct)
    {
        if (!uow.InTransaction)
            throw new InvalidOperationException("Timeline events are appended inside a command's transaction.");
        var connection = await uow.ConnectionAsync(ct);
        await using var exists = connection.CreateCommand();
        exists.Transaction = uow.Transaction;
        exists.CommandText = KeyExists;
        var key = exists.CreateParameter();
        key.ParameterName = "@DedupKey";
        exists.Parameters.Add(key);
        await exists.PrepareAsync(ct);
        await using var command = connection.CreateCommand();
        command.Transaction = uow.Transaction;
        // On SQLite the details take the event's seq from last_insert_rowid() in the same statement: no RETURNING (a
        // result row to build and read back for each event) and one round trip fewer per event (the demo city's profile).
        var sqlite = uow.Dialect is SqliteDialect;
        command.CommandText = sqlite
            ? $"INSERT INTO timeline_events ({InsertColumns}) VALUES ({InsertValues})"
            : uow.Dialect.InsertReturning("timeline_events", InsertColumns, InsertValues, "seq");
        var names = new[] { "EventId", "CitizenId", "CaseId", "Correlation", "Channel", "Kind", "Actor", "OccurredAt", "RecordedAt", "Facts", "DedupKey" };
        var p = new System.Data.Common.DbParameter[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            p[i] = command.CreateParameter();
            p[i].ParameterName = "@" + names[i];
            p[i].Value = DBNull.Value;
            command.Parameters.Add(p[i]);
        }
        await command.PrepareAsync(ct);
        await using var details = connection.CreateCommand();
        details.Transaction = uow.Transaction;
        details.CommandText = sqlite ? InsertDetails.Replace("@Seq", "last_insert_rowid()", StringComparison.Ordinal) : InsertDetails;
        var d = new System.Data.Common.DbParameter[4];
        foreach (var (name, i) in new[] { "Seq", "Summary", "OnBehalfOf", "Payload" }.Select((n, i) => (n, i)))
        {
            if (sqlite && i == 0) continue;
            d[i] = details.CreateParameter();
            d[i].ParameterName = "@" + name;
            d[i].Value = DBNull.Value;
            details.Parameters.Add(d[i]);
        }
        await details.PrepareAsync(ct);

        var appended = 0;
        foreach (var entry in entries)
        {
            ct.ThrowIfCancellationRequested();
            if (!Channels.All.Contains(entry.Channel))
                throw new ArgumentException($"Unknown channel '{entry.Channel}'.", nameof(entries));
            var dedupKey = entry.DedupKey ?? scope.NextDedupKey();
            key.Value = dedupKey;
            if (Convert.ToInt64(await exists.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) > 0) continue;
            var row = ToRow(entry, dedupKey, clock.GetUtcNow());
            // A bulk load appends history in time order: a time-ordered id (UUID version 7, stored as text, sorts by its
            // time) lands at the end of the event_id index instead of on a random page of it, which at ten million events
            // was about 120,000 pages that every chunk of the demo city rewrote in part.
            p[0].Value = Guid.CreateVersion7(DateTimeOffset.FromUnixTimeMilliseconds(row.OccurredAt));
            p[1].Value = row.CitizenId is { } citizen ? citizen : DBNull.Value;
            p[2].Value = row.CaseId is { } caseId ? caseId : DBNull.Value;
            p[3].Value = (object?)row.Correlation ?? DBNull.Value;
            p[4].Value = row.Channel;
            p[5].Value = row.Kind;
            p[6].Value = row.Actor;
            p[7].Value = row.OccurredAt;
            p[8].Value = row.RecordedAt;
            p[9].Value = row.Facts;
            p[10].Value = row.DedupKey;
            if (sqlite) await command.ExecuteNonQueryAsync(ct);
            else d[0].Value = Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
            d[1].Value = row.Summary;
            d[2].Value = (object?)row.OnBehalfOf ?? DBNull.Value;
            d[3].Value = row.Payload;
            await details.ExecuteNonQueryAsync(ct);
            appended++;
        }
        return appended;
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
        Facts = entry.Facts is null ? "{}" : Json.Serialize(entry.Facts),
        DedupKey = dedupKey,
    };
}

/// <summary>
/// Told of each event <see cref="Timeline.AppendAsync"/> appends, inside the same transaction, so whatever it writes
/// (an outbox row) commits or rolls back with the change. Not told of a retried append (the event was there already)
/// nor of bulk loads (<see cref="Timeline.AppendBatchAsync"/>: the demo city and imports of history announce nothing).
/// </summary>
public interface ITimelineListener
{
    Task AppendedAsync(TimelineEvent appended, CancellationToken ct);
}
