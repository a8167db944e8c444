using System.Data.Common;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace CitizenCrm.Bench.InProcess;

/// <summary>
/// Appends to the timeline at 1, 8 and 64 concurrent writers, three ways, each on a fresh copy of the same seeded
/// database, with the application's own connection settings (synchronous=FULL, WAL, busy timeout):
/// <list type="bullet">
/// <item>LogInteraction through the mediator (what POST /api/citizens/{id}/interactions sends), a fresh DI scope and an
/// Idempotency-Key per command, as a request has;</item>
/// <item>raw Dapper INSERTs of the same two rows (timeline_events + timeline_details), one event per transaction, one
/// connection per writer: the baseline;</item>
/// <item>the same rows batched, many per transaction, prepared commands re-bound: what the database can take at most.</item>
/// </list>
/// </summary>
public static class Appends
{
    public const string Usage = "appends [--writers 1,8,64] [--seconds 10] [--group-commit true|false] [--citizens 1000] [--batch 1000]\n" +
        "                    [--idempotency-key true|false] [--only mediator] [--folder /tmp/...] [--keep] [--Section:Key=value ...]";

    private const string Endpoint = "POST /api/citizens/{id:guid}/interactions";
    private const string InsertCitizen = """
        INSERT INTO citizens (id, id_type, national_id, first_name, last_name, created_at, updated_at)
        VALUES (@Id, 'passport', @NationalId, 'Bench', @LastName, @Now, @Now)
        """;
    // The rows Timeline.AppendAsync writes for one event (sql/sqlite/0017_data_protection.sql), same columns, same values.
    private const string InsertEvent = """
        INSERT INTO timeline_events (event_id, citizen_id, case_id, correlation, channel, kind, actor, occurred_at, recorded_at, facts, dedup_key)
        VALUES (@EventId, @CitizenId, NULL, NULL, 'phone', 'interaction.call_note', @Actor, @Now, @Now, '{}', @DedupKey) RETURNING seq
        """;
    private const string InsertDetails = "INSERT INTO timeline_details (seq, summary, on_behalf_of, payload) VALUES (@Seq, @Summary, NULL, @Payload)";
    private const string Summary = "Called about the garbage collection schedule";

    public static async Task<int> RunAsync(Arguments a)
    {
        var writerCounts = a.Ints("writers", "1,8,64");
        var seconds = a.Double("seconds", 10);
        var groupCommit = a.Bool("group-commit");
        var citizens = a.Int("citizens", 1000);
        var batch = a.Int("batch", 1000);
        var sendKey = a.Bool("idempotency-key") ?? true;
        // --only mediator: no baselines (for a profile of the pipeline alone).
        var baselines = a.Get("only") switch
        {
            null => true,
            "mediator" => false,
            var other => throw new ArgumentException($"--only takes 'mediator', not '{other}'."),
        };
        var root = a.Get("folder") ?? Path.Combine(Path.GetTempPath(), $"citizencrm-bench-appends-{Environment.ProcessId}");
        if (seconds is <= 0 or > 600) throw new ArgumentException("--seconds must be between 0 and 600.");
        var warmUp = TimeSpan.FromSeconds(Math.Clamp(seconds / 5, 0.5, 2));
        var duration = TimeSpan.FromSeconds(seconds);
        // Blocked writers (the busy handler sleeps inside SQLite) hold pool threads; without a floor the pool adds one
        // thread at a time and its growth, not the database, would decide the first seconds of the 64-writer runs.
        ThreadPool.GetMinThreads(out var minWorkers, out var minIo);
        ThreadPool.SetMinThreads(Math.Max(minWorkers, writerCounts.Max() + Environment.ProcessorCount), minIo);

        var estimate = (warmUp + duration).TotalSeconds * (baselines ? 1 + 2 * writerCounts.Count : writerCounts.Count) + 3 * writerCounts.Count + 5;
        Console.WriteLine($"appends: writers {string.Join(",", writerCounts)}, {seconds} s each (+ at least {warmUp.TotalSeconds} s warm-up, until the JIT is idle), " +
            $"group commit {(groupCommit is { } g ? g ? "on" : "off" : "as configured")}, at least {estimate:0} s in all; folder {root}");
        var report = new Report("Appends in-process: LogInteraction through the mediator vs raw INSERTs", a.CommandLine);
        try
        {
            var template = await SeedAsync(Path.Combine(root, "template"), citizens, a.Configuration);
            var ids = template.Citizens;

            // The ceiling: one writer (SQLite has one), many events per transaction, fsync once per batch.
            Writers.Outcome? batched = null;
            if (baselines)
            {
                batched = await RunBatchedAsync(FreshCopy(template.File, root, "batched"), ids, batch, warmUp, duration);
                Console.WriteLine($"  batched, {batch} per transaction: {Report.Rate(batched.PerSecond)} (p50 {Report.Ms(batched.Latencies.Percentile(50))} per transaction)");
                report.Add(new("raw INSERTs batched, " + batch + " events per transaction, 1 writer (the limit)", Report.Rate(batched.PerSecond), "—", "—",
                    "—", $"per transaction {batched.Latencies.Summary(50, 99)}"));
            }

            var groupCommitBound = "";
            foreach (var writers in writerCounts)
            {
                var empty = await Writers.EmptyLoopRateAsync(writers);
                Writers.Outcome? raw = null;
                if (baselines)
                {
                    raw = await RunRawAsync(FreshCopy(template.File, root, $"raw-{writers}"), ids, writers, warmUp, duration);
                    Console.WriteLine($"  raw one per transaction, {Plural(writers)}: {Report.Rate(raw.PerSecond)} {raw.Latencies.Summary(50, 99)}{Failures(raw)}, {raw.CpuPerOperation}");
                    report.Add(new($"raw INSERTs, one event per transaction, {Plural(writers)}", Report.Rate(raw.PerSecond),
                        $"batched {Report.Rate(batched!.PerSecond)}", Report.Ratio(raw.PerSecond / batched.PerSecond),
                        Writers.ClientCost(raw.PerSecond, empty), raw.Latencies.Summary(50, 99) + Failures(raw) + ", " + raw.CpuPerOperation));
                }
                var mediated = await RunMediatorAsync(FreshCopy(template.File, root, $"mediator-{writers}"), ids, writers, warmUp, duration,
                    groupCommit, sendKey, a.Configuration);
                Console.WriteLine($"  mediator, {Plural(writers)}: {Report.Rate(mediated.Outcome.PerSecond)} {mediated.Outcome.Latencies.Summary(50, 99)}{Failures(mediated.Outcome)}" +
                    $" (stored {mediated.Stored:N0} of {mediated.Acknowledged:N0} acknowledged{mediated.Batches}), {mediated.Outcome.CpuPerOperation}");
                groupCommitBound = mediated.GroupCommit;
                report.Add(new($"**LogInteraction via mediator, {Plural(writers)}**", Report.Rate(mediated.Outcome.PerSecond),
                    raw is null ? "not measured" : $"raw 1/tx {Report.Rate(raw.PerSecond)}",
                    raw is null ? "—" : "**" + Report.Ratio(mediated.Outcome.PerSecond / raw.PerSecond) + "**",
                    Writers.ClientCost(mediated.Outcome.PerSecond, empty), mediated.Outcome.Latencies.Summary(50, 99) + Failures(mediated.Outcome) + mediated.Batches + ", " + mediated.Outcome.CpuPerOperation));
                if (batched is not null)
                    report.Add(new($"LogInteraction via mediator, {Plural(writers)}, against the batched limit", Report.Rate(mediated.Outcome.PerSecond),
                        $"batched {Report.Rate(batched.PerSecond)}", Report.Ratio(mediated.Outcome.PerSecond / batched.PerSecond), "—", "—"));
            }
            report.Note($"group commit: {(groupCommit is { } on ? $"--Database:GroupCommit={(on ? "true" : "false")}" : "not given (the server's default)")} ({groupCommitBound}); " +
                $"{(sendKey ? "an Idempotency-Key per command" : "no Idempotency-Key")}; a fresh DI scope per command; {citizens:N0} citizens; " +
                $"each row set on a fresh copy of the same seeded database; not counted: a warm-up of at least {warmUp.TotalSeconds} s and until the JIT had compiled nothing for 2 s (steady state; at most 60 s).");
            report.Note($"durability: {template.Pragmas} (the application's own connection settings, SqliteDatabase), for every row.");
            report.Note("target (issue 15): the mediator at 64 writers ≥ 1.5× raw one-per-transaction; only group commit can reach it.");
            report.Note("client cost: the share of the machine this benchmark's own loop takes at that rate, from the same loop run empty.");
            report.Print();
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (a.Get("keep") is null) try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    private static string Plural(int writers) => writers == 1 ? "1 writer" : $"{writers} writers";

    private static string Failures(Writers.Outcome o) => o.Failed == 0 ? "" : $" ({o.Failed:N0} failed: {o.FirstError})";

    private sealed record Template(string File, IReadOnlyList<Guid> Citizens, string Pragmas);

    /// <summary>A migrated database with synthetic citizens (no real names or numbers), checkpointed so one file copy is the whole database.</summary>
    private static async Task<Template> SeedAsync(string folder, int count, IEnumerable<string> configuration)
    {
        Directory.CreateDirectory(folder);
        await using (await InProcessServer.StartAsync(folder, null, configuration)) { } // start-up migrates
        var database = Database(folder);
        var ids = Enumerable.Range(0, count).Select(_ => Guid.NewGuid()).ToList();
        await using (var connection = await database.OpenAsync(CancellationToken.None))
        {
            await using var tx = await connection.BeginTransactionAsync();
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await connection.ExecuteAsync(InsertCitizen,
                ids.Select((id, i) => new { Id = id, NationalId = $"BENCH{i:D6}", LastName = $"Citizen {i}", Now = now }), tx);
            await tx.CommitAsync();
        }
        var pragmas = await PragmasAsync(database);
        SqliteConnection.ClearAllPools();
        var file = Path.Combine(folder, "citizencrm.db");
        if (new FileInfo(file + "-wal") is { Exists: true, Length: > 0 })
            throw new InvalidOperationException("The seeded database's write-ahead log was not checkpointed; a copy of the file alone would miss it.");
        return new Template(file, ids, pragmas);
    }

    private static string FreshCopy(string templateFile, string root, string name)
    {
        var folder = Path.Combine(root, name);
        Directory.CreateDirectory(folder);
        File.Copy(templateFile, Path.Combine(folder, "citizencrm.db"), overwrite: true);
        return folder;
    }

    private static SqliteDatabase Database(string folder) => new(Options.Create(new DatabaseOptions { DataFolder = folder }));

    private static async Task<string> PragmasAsync(IDatabase database)
    {
        await using var c = await database.OpenAsync(CancellationToken.None);
        var sync = await c.ExecuteScalarAsync<long>("PRAGMA synchronous");
        var journal = await c.ExecuteScalarAsync<string>("PRAGMA journal_mode");
        return $"synchronous={(sync switch { 0 => "OFF", 1 => "NORMAL", 2 => "FULL", 3 => "EXTRA", _ => sync.ToString(System.Globalization.CultureInfo.InvariantCulture) })}, journal_mode={journal}";
    }

    private static object EventRow(Guid citizen) => new
    {
        EventId = Guid.NewGuid(),
        CitizenId = citizen,
        Actor = InProcessServer.Clerk.Username,
        Now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        DedupKey = $"cmd:{Guid.NewGuid():N}:1",
    };

    // What LogInteraction stores as the payload: the notes (none here) and who typed it.
    private static readonly string Payload = Json.Serialize(new { Notes = (string?)null, RecordedBy = InProcessServer.Clerk.Username });

    private static async Task<Writers.Outcome> RunRawAsync(string folder, IReadOnlyList<Guid> citizens, int writers, TimeSpan warmUp, TimeSpan duration)
    {
        var database = Database(folder);
        var connections = new DbConnection[writers];
        for (var w = 0; w < writers; w++) connections[w] = await database.OpenAsync(CancellationToken.None);
        try
        {
            async Task Append(int w, CancellationToken ct)
            {
                var connection = connections[w];
                await using var tx = await connection.BeginTransactionAsync(ct); // BEGIN IMMEDIATE, as the unit of work
                var seq = await connection.ExecuteScalarAsync<long>(new CommandDefinition(InsertEvent,
                    EventRow(citizens[Random.Shared.Next(citizens.Count)]), tx, cancellationToken: ct));
                await connection.ExecuteAsync(new CommandDefinition(InsertDetails, new { Seq = seq, Summary, Payload }, tx, cancellationToken: ct));
                await tx.CommitAsync(ct);
            }
            var warmed = await Writers.WarmUpAsync(writers, warmUp, Append);
            Console.Error.WriteLine($"  (raw, {Plural(writers)}: warm after {warmed.TotalSeconds:0} s)");
            return await Writers.RunAsync(writers, duration, Append);
        }
        finally
        {
            foreach (var c in connections) await c.DisposeAsync();
        }
    }

    private static async Task<Writers.Outcome> RunBatchedAsync(string folder, IReadOnlyList<Guid> citizens, int batch, TimeSpan warmUp, TimeSpan duration)
    {
        await using var connection = await Database(folder).OpenAsync(CancellationToken.None);
        await using var insertEvent = connection.CreateCommand();
        insertEvent.CommandText = InsertEvent;
        var names = new[] { "EventId", "CitizenId", "Actor", "Now", "DedupKey" };
        var p = names.Select(n => { var x = insertEvent.CreateParameter(); x.ParameterName = "@" + n; x.Value = DBNull.Value; insertEvent.Parameters.Add(x); return x; }).ToArray();
        await using var insertDetails = connection.CreateCommand();
        insertDetails.CommandText = InsertDetails;
        var d = new[] { "Seq", "Summary", "Payload" }.Select(n => { var x = insertDetails.CreateParameter(); x.ParameterName = "@" + n; x.Value = DBNull.Value; insertDetails.Parameters.Add(x); return x; }).ToArray();

        await insertEvent.PrepareAsync();
        await insertDetails.PrepareAsync();

        async Task Batch(int _, CancellationToken ct)
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            insertEvent.Transaction = tx;
            insertDetails.Transaction = tx;
            for (var i = 0; i < batch; i++)
            {
                var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                p[0].Value = Guid.NewGuid();
                p[1].Value = citizens[Random.Shared.Next(citizens.Count)];
                p[2].Value = InProcessServer.Clerk.Username;
                p[3].Value = now;
                p[4].Value = $"cmd:{Guid.NewGuid():N}:1";
                d[0].Value = (long)(await insertEvent.ExecuteScalarAsync(ct))!;
                d[1].Value = Summary;
                d[2].Value = Payload;
                await insertDetails.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
        }
        var warmed = await Writers.WarmUpAsync(1, warmUp, Batch);
        Console.Error.WriteLine($"  (batched: warm after {warmed.TotalSeconds:0} s)");
        var outcome = await Writers.RunAsync(1, duration, Batch);
        // A batch takes a good part of a second: the rate is over the time the completed batches took (one writer, so
        // that is the elapsed time less the unfinished last batch), not over the window, or it would move in steps.
        return outcome with { Completed = outcome.Completed * batch, Seconds = outcome.Latencies.TotalSeconds };
    }

    private sealed record MediatedOutcome(Writers.Outcome Outcome, long Acknowledged, long Stored, string GroupCommit, string Batches);

    private static async Task<MediatedOutcome> RunMediatorAsync(string folder, IReadOnlyList<Guid> citizens, int writers, TimeSpan warmUp,
        TimeSpan duration, bool? groupCommit, bool sendKey, IEnumerable<string> configuration)
    {
        long acknowledged = 0;
        Writers.Outcome outcome;
        string bound, batches;
        await using (var server = await InProcessServer.StartAsync(folder, groupCommit, configuration))
        {
            bound = server.GroupCommitAsBound();
            async Task Append(int _, CancellationToken ct)
            {
                var command = new LogInteraction(citizens[Random.Shared.Next(citizens.Count)], "call_note", Channels.Phone, Summary);
                await server.SendAsync(command, Endpoint, sendKey ? Guid.NewGuid().ToString() : null, ct);
                Interlocked.Increment(ref acknowledged);
            }
            var warmed = await Writers.WarmUpAsync(writers, warmUp, Append);
            Console.Error.WriteLine($"  (mediator, {Plural(writers)}: warm after {warmed.TotalSeconds:0} s)");
            var before = server.GroupCommitBatches();
            outcome = await Writers.RunAsync(writers, duration, Append);
            batches = server.GroupCommitBatches() is { } after && before is { } b && after.Batches > b.Batches
                ? $", {(after.Members - b.Members) / (double)(after.Batches - b.Batches):0.0} commands per committed batch"
                : "";
        }
        // Every command answered must be in the file: a check that group commit answers only what it made durable.
        await using var connection = await Database(folder).OpenAsync(CancellationToken.None);
        var stored = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM timeline_events WHERE kind = 'interaction.call_note'");
        if (stored < acknowledged)
            throw new InvalidOperationException($"{acknowledged} appends were acknowledged but only {stored} are in the database.");
        return new MediatedOutcome(outcome, acknowledged, stored, bound, batches);
    }
}
