using System.Diagnostics;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace CitizenCrm.Bench.InProcess;

/// <summary>
/// A citizen's 50-event timeline page on a demo city, first page and deep page (the citizen's oldest 50 events), two
/// ways: the bare SQL in-process (the two statements GetCitizenTimeline runs: the count and the page, through Dapper on
/// one open connection), and GetCitizenTimeline through the mediator in a fresh scope per request, with the audit row it
/// writes (synchronous=FULL), as an HTTP request would. One request at a time.
/// </summary>
public static class Pages
{
    public const string Usage = "pages --data /tmp/demo1m [--requests 2000] [--citizens 50] [--sample 5000] [--seconds 30] [--Section:Key=value ...]";

    private const string Endpoint = "GET /api/citizens/{id:guid}/timeline";
    private const int PageSize = BarePage.PageSize;
    private const string Count = BarePage.Count;

    private sealed record Target(Guid Citizen, long Events, long? DeepBefore);

    public static async Task<int> RunAsync(Arguments a)
    {
        var data = a.Get("data") ?? throw new ArgumentException("Give --data, the demo city's data folder (e.g. /tmp/demo1m).");
        if (!File.Exists(Path.Combine(data, "citizencrm.db")))
            throw new ArgumentException($"No citizencrm.db in {data}. Build a demo city first: dotnet run -c Release --project src/CitizenCrm.Server -- demo-city --Database:DataFolder={data}");
        // The chunked demo city leaves this marker while it is still being built: its pages would be a moving target.
        if (File.Exists(Path.Combine(data, "demo-city.unfinished")))
            throw new ArgumentException($"The demo city in {data} is still being built (demo-city.unfinished is there); wait for it to finish.");
        var requests = a.Int("requests", 2000);
        var citizenCount = a.Int("citizens", 50);
        var maxSeconds = a.Double("seconds", 30);
        DapperTypeHandlers.Register();

        var database = new SqliteDatabase(Options.Create(new DatabaseOptions { DataFolder = data }));
        var sampleSize = a.Int("sample", 5000);
        var targets = await PickCitizensAsync(database, citizenCount, sampleSize);
        long events;
        await using (var c = await database.OpenAsync(CancellationToken.None))
            events = await c.ExecuteScalarAsync<long>("SELECT MAX(seq) FROM timeline_events");
        Console.WriteLine($"pages: {events:N0} events in {data}; {targets.Count} citizens with {targets.Min(t => t.Events)}–{targets.Max(t => t.Events)} events each; " +
            $"{requests} requests per row (at most {maxSeconds} s each)");

        var deepTargets = targets.Where(t => t.DeepBefore is not null).ToList();
        var report = new Report("Timeline pages in-process: bare SQL vs GetCitizenTimeline through the mediator", a.CommandLine);
        var results = new Dictionary<string, Latencies>();
        await using (var bare = await database.OpenAsync(CancellationToken.None))
        {
            results["bare-first"] = await MeasureAsync(requests, maxSeconds, targets, (t, ct) => BarePage.ReadAsync(bare, t.Citizen, null, ct));
            if (deepTargets.Count > 0)
                results["bare-deep"] = await MeasureAsync(requests, maxSeconds, deepTargets, (t, ct) => BarePage.ReadAsync(bare, t.Citizen, t.DeepBefore, ct));
        }
        await using (var server = await InProcessServer.StartAsync(data, null, a.Configuration))
        {
            results["mediator-first"] = await MeasureAsync(requests, maxSeconds, targets, async (t, ct) =>
                (await server.SendAsync(new GetCitizenTimeline(t.Citizen, new TimelineFilter(), null, PageSize), Endpoint, ct)).Events.Count);
            if (deepTargets.Count > 0)
                results["mediator-deep"] = await MeasureAsync(requests, maxSeconds, deepTargets, async (t, ct) =>
                    (await server.SendAsync(new GetCitizenTimeline(t.Citizen, new TimelineFilter(), t.DeepBefore, PageSize), Endpoint, ct)).Events.Count);
        }
        SqliteConnection.ClearAllPools();

        foreach (var depth in new[] { "first", "deep" })
        {
            if (!results.TryGetValue("bare-" + depth, out var bare)) continue;
            var mediated = results["mediator-" + depth];
            report.Add(new($"{depth} page, bare SQL (count + 50 rows, Dapper, open connection)", Report.Ms(bare.Percentile(50)) + " median",
                "—", "—", "n/a", Latency(bare)));
            report.Add(new($"**{depth} page, GetCitizenTimeline via mediator (scope, audit row)**", Report.Ms(mediated.Percentile(50)) + " median",
                Report.Ms(bare.Percentile(50)) + " bare", Report.Ratio(mediated.Percentile(50) / bare.Percentile(50)), "n/a", Latency(mediated)));
        }
        if (results.ContainsKey("mediator-deep"))
            report.Add(new("deep page vs first page, via mediator (p99)", Report.Ms(results["mediator-deep"].Percentile(99)),
                Report.Ms(results["mediator-first"].Percentile(99)) + " first", Report.Ratio(results["mediator-deep"].Percentile(99) / results["mediator-first"].Percentile(99)), "n/a", "—"));
        report.Note($"{events:N0} events; first pages: the {targets.Count} citizens with the most events in a sample of {sampleSize:N0} ({targets.Min(t => t.Events)}–{targets.Max(t => t.Events)} events each), read in turn.");
        report.Note(deepTargets.Count > 0
            ? $"deep page = the oldest {PageSize} events (before=<seq>) of the {deepTargets.Count} of them with more than {PageSize} events ({deepTargets.Min(t => t.Events)}–{deepTargets.Max(t => t.Events)})."
            : $"no deep page: no citizen in the sample has more than {PageSize} events (a 1-million-event demo city has at most about 40 each; a 10-million one about 200).");
        report.Note("client cost: n/a, one request at a time (the timer around each costs well under a microsecond).");
        report.Note("every mediator read writes its audit row in its own transaction (synchronous=FULL): those rows are added to the data folder, as HTTP reads add them.");
        report.Note("target (issue 15): p99 ≤ 2 ms over HTTP at 10 million events, a deep page as fast as the first; these in-process figures are its floor.");
        report.Print();
        return 0;
    }

    private static string Latency(Latencies l) => $"p50 {Report.Ms(l.Percentile(50))} p95 {Report.Ms(l.Percentile(95))} p99 {Report.Ms(l.Percentile(99))} (n={l.Count})";

    /// <summary>Warm-up (a tenth of the requests, not counted), then the requests in turn over the citizens.</summary>
    private static async Task<Latencies> MeasureAsync(int requests, double maxSeconds, IReadOnlyList<Target> targets, Func<Target, CancellationToken, Task<int>> read)
    {
        for (var i = 0; i < Math.Max(20, requests / 10); i++) await read(targets[i % targets.Count], CancellationToken.None);
        var latencies = new Latencies();
        var deadline = Stopwatch.GetTimestamp() + (long)(maxSeconds * Stopwatch.Frequency);
        for (var i = 0; i < requests && Stopwatch.GetTimestamp() < deadline; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            var n = await read(targets[i % targets.Count], CancellationToken.None);
            latencies.Add(Stopwatch.GetTimestamp() - t0);
            if (n == 0) throw new InvalidOperationException("A page came back empty: the citizens picked have no events.");
        }
        return latencies;
    }

    /// <summary>
    /// The citizens with the most events among a sample of the register (counting each on the (citizen_id, seq) index is
    /// cheap; grouping the whole timeline at ten million events is not), and for each the sequence before which its
    /// oldest page starts.
    /// </summary>
    private static async Task<IReadOnlyList<Target>> PickCitizensAsync(IDatabase database, int count, int sampleSize)
    {
        await using var c = await database.OpenAsync(CancellationToken.None);
        var sample = (await c.QueryAsync<Guid>("SELECT id FROM citizens WHERE erased_at IS NULL LIMIT @SampleSize", new { SampleSize = sampleSize })).ToList();
        var counted = new List<(Guid Id, long Events)>();
        foreach (var id in sample) counted.Add((id, await c.ExecuteScalarAsync<long>(Count, new { Prefix = id })));
        var chosen = counted.Where(x => x.Events > 0).OrderByDescending(x => x.Events).Take(count).ToList();
        if (chosen.Count == 0) throw new InvalidOperationException("No citizen in the sample has any timeline event.");
        var targets = new List<Target>();
        foreach (var (id, events) in chosen)
        {
            // The page before this sequence holds the citizen's oldest events; with 50 or fewer events, it is the first page.
            var before = await c.ExecuteScalarAsync<long?>(
                "SELECT seq FROM timeline_events WHERE citizen_id = @Prefix ORDER BY seq ASC LIMIT 1 OFFSET " + PageSize, new { Prefix = id });
            targets.Add(new Target(id, events, before));
        }
        return targets;
    }
}
