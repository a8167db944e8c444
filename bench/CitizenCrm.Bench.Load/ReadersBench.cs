using System.Globalization;
using System.Net.Http.Headers;

namespace CitizenCrm.Bench.Load;

/// <summary>
/// dispatch and reports: the pages people keep open, read by a few at once. The dispatchers' queue (first page, the
/// overdue filter, unassigned petitions; each read audited) as a dispatcher; the supervisors' reports over the last 90
/// days (counts only, no audit) as a supervisor. Each URL is a level of its own, beside /health/live at the same concurrency.
/// </summary>
public static class ReadersBench
{
    public const string DispatchUsage = "dispatch [--readers 1,4] [--data FOLDER]   the dispatch queue's pages under concurrent readers";
    public const string ReportsUsage = "reports [--readers 1,4] [--data FOLDER]   the supervisors' reports under concurrent readers";

    public static Task<int> DispatchAsync(BenchOptions options) => RunAsync(options, "Dispatch queue under concurrent readers", "dispatcher",
        ["/api/dispatch/queue?limit=50", "/api/dispatch/queue?overdue=true&limit=50", "/api/dispatch/queue?assignee=unassigned&kind=petition&limit=20"]);

    public static Task<int> ReportsAsync(BenchOptions options)
    {
        var to = DateOnly.FromDateTime(DateTime.UtcNow);
        var from = to.AddDays(-89);
        string Range(string report) => string.Create(CultureInfo.InvariantCulture, $"/api/reports/{report}?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}");
        return RunAsync(options, "Supervisors' reports under concurrent readers (the last 90 days)", "supervisor",
        [
            Range("interactions"), Range("cases"), Range("answer-times"), Range("phone-robot"), Range("notifications"), Range("petitions"),
            string.Create(CultureInfo.InvariantCulture, $"/api/reports/law-544?year={to.Year}"),
        ]);
    }

    private static async Task<int> RunAsync(BenchOptions options, string title, string role, string[] urls)
    {
        var levels = options.Levels("readers", 1, 4);
        await using var run = await BenchRun.StartAsync(options, 3);
        var report = new Report(options, title);
        var reader = await run.Api.StaffAsync(run.Admin, $"bench-{role}-{Guid.NewGuid().ToString("N")[..6]}", role);
        // Each URL once before measuring: a 4xx here is a mistake in the benchmark, not a figure.
        foreach (var url in urls) await run.Api.GetAsync(reader, url);
        foreach (var readers in levels)
        {
            var baseline = await run.BaselineAsync(readers);
            report.Add(baseline);
            foreach (var url in urls)
            {
                var uri = new Uri(run.Client.BaseAddress!, url);
                var measured = await run.LevelAsync("GET " + url, readers, (w, r, win) => LoadLevel.GetLoopAsync(run.Client, [uri], 0, reader, r, win));
                report.Add(measured);
                report.Figure($"GET {Short(url)}, {readers} reader(s): median / p99; per second",
                    $"{Report.F(measured.P50, "F1")} / {Report.F(measured.P99, "F1")} ms; {Report.F(measured.Rate, "F0")}/s",
                    $"{Report.F(baseline.P50, "F2")} / {Report.F(baseline.P99, "F2")} ms; {Report.F(baseline.Rate, "F0")}/s (/health/live)",
                    Report.Ratio(measured.Rate, baseline.Rate) + " (rate)", measured);
            }
        }
        report.Note("Errors are any answer but 200.");
        report.Print(run.Settings);
        return 0;
    }

    private static string Short(string url) => url.Replace("/api/", "", StringComparison.Ordinal);
}
