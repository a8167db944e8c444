using BenchmarkDotNet.Attributes;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace CitizenCrm.Bench.InProcess.Micro;

/// <summary>
/// A citizen's first 50-event page on a small database (200 synthetic citizens, 20,000 events, one citizen with 500):
/// the bare statements (the baseline) and GetCitizenTimeline through the mediator, with its scope, its connection's
/// pragmas, the JSON payloads parsed, and its audit row committed with synchronous=FULL.
/// </summary>
[MemoryDiagnoser]
public class TimelinePageBenchmarks
{
    private string _folder = null!;
    private InProcessServer _server = null!;
    private System.Data.Common.DbConnection _connection = null!;
    private Guid _citizen;

    [GlobalSetup]
    public async Task Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), $"citizencrm-bench-micro-{Environment.ProcessId}");
        Directory.CreateDirectory(_folder);
        _server = await InProcessServer.StartAsync(_folder, null, []);
        var database = new SqliteDatabase(Options.Create(new DatabaseOptions { DataFolder = _folder }));
        _connection = await database.OpenAsync(CancellationToken.None);
        var citizens = Enumerable.Range(0, 200).Select(_ => Guid.NewGuid()).ToList();
        _citizen = citizens[0];
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using var tx = await _connection.BeginTransactionAsync();
        await _connection.ExecuteAsync("""
            INSERT INTO citizens (id, id_type, national_id, first_name, last_name, created_at, updated_at)
            VALUES (@Id, 'passport', @NationalId, 'Bench', 'Citizen', @Now, @Now)
            """, citizens.Select((id, i) => new { Id = id, NationalId = $"MICRO{i:D6}", Now = now }), tx);
        var events = Enumerable.Range(0, 20_000).Select(i => i < 500 ? citizens[0] : citizens[i % citizens.Count]).ToList();
        foreach (var citizen in events)
        {
            var seq = await _connection.ExecuteScalarAsync<long>("""
                INSERT INTO timeline_events (event_id, citizen_id, channel, kind, actor, occurred_at, recorded_at, facts, dedup_key)
                VALUES (@EventId, @CitizenId, 'desk', 'interaction.desk_visit', 'bench-clerk', @Now, @Now, '{}', @DedupKey) RETURNING seq
                """, new { EventId = Guid.NewGuid(), CitizenId = citizen, Now = now, DedupKey = $"micro:{Guid.NewGuid():N}" }, tx);
            await _connection.ExecuteAsync("INSERT INTO timeline_details (seq, summary, payload) VALUES (@Seq, 'Came to the desk about a permit', '{\"notes\":null}')",
                new { Seq = seq }, tx);
        }
        await tx.CommitAsync();
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _connection.DisposeAsync();
        await _server.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    [Benchmark(Baseline = true, Description = "first page, bare SQL (count + 51 rows)")]
    public Task<int> BarePageRead() => BarePage.ReadAsync(_connection, _citizen, null, CancellationToken.None);

    [Benchmark(Description = "first page, GetCitizenTimeline via mediator (audit row, FULL)")]
    public async Task<int> MediatorPage() =>
        (await _server.SendAsync(new GetCitizenTimeline(_citizen, new TimelineFilter(), null, 50), "GET /api/citizens/{id:guid}/timeline", CancellationToken.None)).Events.Count;
}
