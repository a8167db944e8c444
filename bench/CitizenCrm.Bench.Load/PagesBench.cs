using System.Diagnostics;
using System.Globalization;

namespace CitizenCrm.Bench.Load;

/// <summary>
/// pages-http: a citizen's timeline page of 50 events as a supervisor reads it (each read writes its audit row), the
/// first page of many citizens, and a deep page: the page reached by following nextBefore --depth times on one citizen
/// (given that many events first, through the API, when the demo city has no citizen that deep).
/// </summary>
public static class PagesBench
{
    public const string Usage = "pages-http [--readers 1] [--depth 20] [--data FOLDER]   timeline pages of 50, first and deep; baseline GET /health/live";
    private const int PageSize = 50;

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var levels = options.Levels("readers", 1);
        var depth = options.Int("depth", 20);
        await using var run = await BenchRun.StartAsync(options, 10);
        var report = new Report(options, "Timeline pages over HTTP (50 events, a supervisor's read with its audit row)");

        var citizens = run.Citizens(2000);
        if (citizens.Count < 2) throw new BenchException("The data folder has too few citizens: give --data with a demo city.");
        var supervisor = await run.Api.StaffAsync(run.Admin, "bench-supervisor-" + Guid.NewGuid().ToString("N")[..6], "supervisor");
        var firstPages = citizens.Skip(1).Select(c => new Uri(run.Client.BaseAddress!, $"/api/citizens/{c.Id}/timeline?limit={PageSize}")).ToArray();

        var deep = citizens[0].Id;
        var deepFirst = $"/api/citizens/{deep}/timeline?limit={PageSize}";
        var total = (await run.Api.GetAsync(supervisor, deepFirst))["total"]?.GetValue<long>() ?? 0;
        var needed = (depth + 1) * PageSize - total;
        if (needed > 0) await GiveEventsAsync(run, deep, (int)needed);
        // Follow the cursors as a reader scrolling down would.
        var url = deepFirst;
        for (var page = 1; page <= depth; page++)
        {
            var next = (await run.Api.GetAsync(supervisor, url))["nextBefore"]?.GetValue<long>()
                       ?? throw new BenchException($"The deep citizen's timeline ended at page {page}.");
            url = string.Create(CultureInfo.InvariantCulture, $"/api/citizens/{deep}/timeline?limit={PageSize}&before={next}");
        }
        var deepEvents = (await run.Api.GetAsync(supervisor, url))["events"]?.AsArray().Count ?? 0;
        if (deepEvents != PageSize) throw new BenchException($"Page {depth + 1} of the deep citizen has {deepEvents} events, not {PageSize}.");
        var deepTotal = (await run.Api.GetAsync(supervisor, deepFirst))["total"]?.GetValue<long>() ?? 0;

        foreach (var readers in levels)
        {
            var baseline = await run.BaselineAsync(readers);
            report.Add(baseline);
            var first = await run.LevelAsync($"first page, {firstPages.Length} citizens", readers,
                (w, r, win) => LoadLevel.GetLoopAsync(run.Client, firstPages, w * 131, supervisor, r, win));
            report.Add(first);
            var deepFirstLevel = await run.LevelAsync($"first page, the deep citizen ({deepTotal} events)", readers,
                (w, r, win) => LoadLevel.GetLoopAsync(run.Client, [new Uri(run.Client.BaseAddress!, deepFirst)], 0, supervisor, r, win));
            report.Add(deepFirstLevel);
            var deepLevel = await run.LevelAsync($"page {depth + 1} (after {depth} cursors), the deep citizen", readers,
                (w, r, win) => LoadLevel.GetLoopAsync(run.Client, [new Uri(run.Client.BaseAddress!, url)], 0, supervisor, r, win));
            report.Add(deepLevel);
            foreach (var (name, level) in new[] { ("first page", first), ($"first page of a {deepTotal}-event citizen", deepFirstLevel), ($"page {depth + 1} (deep)", deepLevel) })
            {
                report.Figure($"{name}, {readers} reader(s): median / p95 / p99",
                    $"{Report.F(level.P50, "F2")} / {Report.F(level.P95, "F2")} / {Report.F(level.P99, "F2")} ms",
                    $"{Report.F(baseline.P50, "F2")} / {Report.F(baseline.P95, "F2")} / {Report.F(baseline.P99, "F2")} ms (/health/live); in-process bare query: see bench-inproc",
                    Report.Ratio(level.P99, baseline.P99) + " (p99)", level, "p99 ≤ 2 ms at 10M events");
            }
            report.Figure($"deep page vs first page (same citizen), {readers} reader(s)", Report.F(deepLevel.P50, "F2") + " ms (median)",
                Report.F(deepFirstLevel.P50, "F2") + " ms (median)", Report.Ratio(deepLevel.P50, deepFirstLevel.P50), deepLevel, "≈ 1×");
        }
        report.Note($"Pages of {PageSize} with their total, read by a supervisor: each read writes one audit row (in its own transaction). " +
                    (needed > 0 ? $"The deep citizen was given {needed} call notes through the API before the run, to be {depth + 1} pages deep." : ""));
        report.Print(run.Settings);
        return 0;
    }

    private static async Task GiveEventsAsync(BenchRun run, Guid citizen, int count)
    {
        var watch = Stopwatch.StartNew();
        var clerk = await run.Api.StaffAsync(run.Admin, "bench-clerk-" + Guid.NewGuid().ToString("N")[..6], "clerk");
        var prefix = Guid.NewGuid().ToString("N")[..8];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            await run.Api.PostAsync(clerk, $"/api/citizens/{citizen}/interactions",
                new { type = "call_note", channel = "phone", summary = "Asked about the heating aid (a deep timeline for the page benchmark)" },
                $"bench-deep-{prefix}-{i}"));
        Console.Error.WriteLine($"  gave one citizen {count} more events in {watch.Elapsed.TotalSeconds:F1} s");
    }
}
