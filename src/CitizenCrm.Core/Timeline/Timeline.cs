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
        if (connection is Microsoft.Data.Sqlite.SqliteConnection sqliteConnection) return AppendBatchToSqlite(sqliteConnection, entries, ct);
        await using var exists = connection.CreateCommand();
        exists.Transaction = uow.Transaction;
        exists.CommandText = KeyExists;
        var key = exists.CreateParameter();
        key.ParameterName = "@DedupKey";
        exists.Parameters.Add(key);
        // Not prepared before the first row: Npgsql would fix each parameter's type from DBNull and refuse it.
        await using var command = connection.CreateCommand();
        command.Transaction = uow.Transaction;
        // The portable path, for the other databases (SQLite takes AppendBatchToSqlite above); the last_insert_rowid()
        // branch below is what SQLite used before it, kept so the path stays whole if the early return is removed.
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

    /// <summary>
    /// Events per statement in a bulk load on SQLite. The demo city's profile (docs/PERFORMANCE.md): per event, three
    /// statements through ADO.NET (dedup check, event, details) spent as much in binding by name and in each statement's
    /// set-up (a cursor on the table and each of its eight indexes, opened and closed again) as in the b-tree work itself.
    /// One statement for a hundred events, bound by position, pays that once per hundred.
    /// </summary>
    private const int RowsPerStatement = 100;
    private const string NextSeq = "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'timeline_events'), 0), COALESCE((SELECT MAX(seq) FROM timeline_events), 0))";

    /// <summary>
    /// The SQLite bulk path: the same rows as the portable path, through SQLite's own prepared statements. Seq is given, not
    /// assigned, so that a hundred events and their hundred details rows go in two statements: the caller's transaction
    /// holds SQLite's one write lock from BEGIN IMMEDIATE, so the next seq read here is the next one AUTOINCREMENT would
    /// give (the larger of sqlite_sequence and the highest seq), and no other writer can take it in between.
    /// </summary>
    private int AppendBatchToSqlite(Microsoft.Data.Sqlite.SqliteConnection connection, IEnumerable<TimelineEntry> entries, CancellationToken ct)
    {
        var db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        using var next = Prepare(db, NextSeq);
        Step(db, next, expectRow: true);
        var seq = SQLitePCL.raw.sqlite3_column_int64(next, 0);
        using var known = Prepare(db, "SELECT dedup_key FROM timeline_events WHERE dedup_key IN (" + string.Join(", ", Enumerable.Repeat("?", RowsPerStatement)) + ")");
        using var manyEvents = Prepare(db, EventsInsert(RowsPerStatement));
        using var manyDetails = Prepare(db, DetailsInsert(RowsPerStatement));
        using var oneEvent = Prepare(db, EventsInsert(1));
        using var oneDetails = Prepare(db, DetailsInsert(1));

        var group = new List<(TimelineEntry Entry, string Key)>(RowsPerStatement);
        var rows = new List<TimelineRow>(RowsPerStatement);
        var found = new HashSet<string>(StringComparer.Ordinal);
        var appended = 0;
        foreach (var entry in entries)
        {
            ct.ThrowIfCancellationRequested();
            if (!Channels.All.Contains(entry.Channel))
                throw new ArgumentException($"Unknown channel '{entry.Channel}'.", nameof(entries));
            group.Add((entry, entry.DedupKey ?? scope.NextDedupKey()));
            if (group.Count == RowsPerStatement) Flush();
        }
        if (group.Count > 0) Flush();
        return appended;

        void Flush()
        {
            // Keys already stored, then keys repeated inside the group: both skipped, as one AppendAsync after another would.
            found.Clear();
            for (var i = 0; i < RowsPerStatement; i++)
                if (i < group.Count) Text(known, i + 1, group[i].Key); else SQLitePCL.raw.sqlite3_bind_null(known, i + 1);
            while (Step(db, known, expectRow: false)) found.Add(SQLitePCL.raw.sqlite3_column_text(known, 0).utf8_to_string());
            SQLitePCL.raw.sqlite3_reset(known);
            rows.Clear();
            foreach (var (entry, key) in group)
                if (found.Add(key)) rows.Add(ToRow(entry, key, clock.GetUtcNow()) with { Seq = ++seq });
            group.Clear();
            if (rows.Count == RowsPerStatement) Insert(manyEvents, manyDetails, 0, rows.Count);
            else for (var i = 0; i < rows.Count; i++) Insert(oneEvent, oneDetails, i, 1);
            appended += rows.Count;
        }

        void Insert(SQLitePCL.sqlite3_stmt events, SQLitePCL.sqlite3_stmt details, int from, int count)
        {
            for (var i = 0; i < count; i++)
            {
                var row = rows[from + i];
                var e = i * 12;
                SQLitePCL.raw.sqlite3_bind_int64(events, e + 1, row.Seq);
                // A bulk load appends history in time order: a time-ordered id (UUID version 7, stored as text, sorts by its
                // time) lands at the end of the event_id index instead of on a random page of it, which at ten million events
                // was about 120,000 pages that every chunk of the demo city rewrote in part.
                Text(events, e + 2, SqliteGuid(Guid.CreateVersion7(DateTimeOffset.FromUnixTimeMilliseconds(row.OccurredAt))));
                Text(events, e + 3, row.CitizenId is { } citizen ? SqliteGuid(citizen) : null);
                Text(events, e + 4, row.CaseId is { } caseId ? SqliteGuid(caseId) : null);
                Text(events, e + 5, row.Correlation);
                Text(events, e + 6, row.Channel);
                Text(events, e + 7, row.Kind);
                Text(events, e + 8, row.Actor);
                SQLitePCL.raw.sqlite3_bind_int64(events, e + 9, row.OccurredAt);
                SQLitePCL.raw.sqlite3_bind_int64(events, e + 10, row.RecordedAt);
                Text(events, e + 11, row.Facts);
                Text(events, e + 12, row.DedupKey);
                var d = i * 4;
                SQLitePCL.raw.sqlite3_bind_int64(details, d + 1, row.Seq);
                Text(details, d + 2, row.Summary);
                Text(details, d + 3, row.OnBehalfOf);
                Text(details, d + 4, row.Payload);
            }
            Step(db, events, expectRow: false);
            SQLitePCL.raw.sqlite3_reset(events);
            Step(db, details, expectRow: false);
            SQLitePCL.raw.sqlite3_reset(details);
        }
    }

    private static string EventsInsert(int count) =>
        $"INSERT OR FAIL INTO timeline_events (seq, {InsertColumns}) VALUES " + string.Join(", ", Enumerable.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", count));

    private static string DetailsInsert(int count) =>
        "INSERT INTO timeline_details (seq, summary, on_behalf_of, payload) VALUES " + string.Join(", ", Enumerable.Repeat("(?, ?, ?, ?)", count));

    /// <summary>A Guid as Microsoft.Data.Sqlite stores one (upper-case text), so bulk rows and the others compare equal.</summary>
    private static string SqliteGuid(Guid id) => id.ToString().ToUpperInvariant();

    private static SQLitePCL.sqlite3_stmt Prepare(SQLitePCL.sqlite3 db, string sql)
    {
        var rc = SQLitePCL.raw.sqlite3_prepare_v2(db, sql, out var statement);
        Microsoft.Data.Sqlite.SqliteException.ThrowExceptionForRC(rc, db);
        return statement;
    }

    private static void Text(SQLitePCL.sqlite3_stmt statement, int index, string? value)
    {
        var rc = value is null ? SQLitePCL.raw.sqlite3_bind_null(statement, index) : SQLitePCL.raw.sqlite3_bind_text(statement, index, value);
        if (rc != SQLitePCL.raw.SQLITE_OK) throw new InvalidOperationException($"Binding parameter {index} failed ({rc}).");
    }

    /// <summary>One step: true for a row; false when done; a SqliteException (a constraint, a full disk) as ADO.NET would throw.</summary>
    private static bool Step(SQLitePCL.sqlite3 db, SQLitePCL.sqlite3_stmt statement, bool expectRow)
    {
        var rc = SQLitePCL.raw.sqlite3_step(statement);
        if (rc == SQLitePCL.raw.SQLITE_ROW) return true;
        if (rc == SQLitePCL.raw.SQLITE_DONE && !expectRow) return false;
        SQLitePCL.raw.sqlite3_reset(statement);
        Microsoft.Data.Sqlite.SqliteException.ThrowExceptionForRC(rc == SQLitePCL.raw.SQLITE_DONE ? SQLitePCL.raw.SQLITE_ERROR : rc, db);
        return false;
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
