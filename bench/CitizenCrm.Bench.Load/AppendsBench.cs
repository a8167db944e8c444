using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace CitizenCrm.Bench.Load;

/// <summary>
/// appends-http: POST /api/citizens/{id}/interactions (a call note, one timeline event, one command with its own
/// Idempotency-Key) by N concurrent writers, each a dispatcher's session, over the citizens of the data folder.
/// </summary>
public static class AppendsBench
{
    public const string Usage = "appends-http [--writers 1,8,64] [--data FOLDER]   POST interactions; baseline GET /health/live";

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var levels = options.Levels("writers", 1, 8, 64);
        await using var run = await BenchRun.StartAsync(options, 10);
        var report = new Report(options, "Appends over HTTP: POST /api/citizens/{id}/interactions");
        var writer = await AppendWriter.CreateAsync(run);
        foreach (var writers in levels)
        {
            var baseline = await run.BaselineAsync(writers);
            report.Add(baseline);
            var measured = await run.LevelAsync("POST interaction", writers, writer.Worker);
            report.Add(measured);
            report.Figure($"appends/s at {writers} writers", Report.F(measured.Rate, "F0"), Report.F(baseline.Rate, "F0") + " (/health/live)",
                Report.Ratio(measured.Rate, baseline.Rate), measured, writers == 64 ? "≥ 0.5×" : "");
            report.Figure($"p99 append at {writers} writers", Report.F(measured.P99, "F1") + " ms (p50 " + Report.F(measured.P50, "F1") + ")",
                Report.F(baseline.P99, "F1") + " ms", Report.Ratio(measured.P99, baseline.P99), measured);
            report.ServerCost($"server CPU per append at {writers} writers", measured, baseline);
        }
        report.Note("Each append is one command: its own transaction and, with synchronous=FULL, its own fsync unless group commit shares it. " +
                    "Errors are any answer but 201.");
        report.Print(run.Settings);
        return 0;
    }
}

/// <summary>Writers of call notes: the body is built once; each request differs only by its citizen and its Idempotency-Key.</summary>
public sealed class AppendWriter
{
    private readonly HttpClient client;
    private readonly Uri[] targets;
    private readonly AuthenticationHeaderValue[] sessions;
    private readonly string run = Guid.NewGuid().ToString("N")[..8];
    private static readonly byte[] Body = Encoding.UTF8.GetBytes(
        """{"type":"call_note","channel":"phone","summary":"Asked when the heating aid is paid (load benchmark)"}""");
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private AppendWriter(HttpClient client, Uri[] targets, AuthenticationHeaderValue[] sessions)
    {
        this.client = client;
        this.targets = targets;
        this.sessions = sessions;
    }

    public static async Task<AppendWriter> CreateAsync(BenchRun run)
    {
        var citizens = run.Citizens(1000);
        if (citizens.Count == 0) throw new BenchException("The data folder has no citizens to write to: give --data with a demo city.");
        // A few dispatchers' sessions, as a call centre has; every writer uses one of them.
        var sessions = await run.Api.StaffAsync(run.Admin, "bench-dispatcher", "dispatcher", 4);
        var targets = citizens.Select(c => new Uri(run.Client.BaseAddress!, $"/api/citizens/{c.Id}/interactions")).ToArray();
        return new AppendWriter(run.Client, targets, sessions);
    }

    public async Task Worker(int worker, Recorder recorder, Window window)
    {
        var auth = sessions[worker % sessions.Length];
        var sink = new byte[4096];
        var n = 0;
        while (window.Running)
        {
            n++;
            var start = Stopwatch.GetTimestamp();
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, targets[(worker * 7919 + n) % targets.Length]);
                request.Headers.Authorization = auth;
                request.Headers.TryAddWithoutValidation("Idempotency-Key", string.Create(CultureInfo.InvariantCulture, $"bench-{run}-{worker}-{n}"));
                request.Content = new ByteArrayContent(Body);
                request.Content.Headers.ContentType = Json;
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                await LoadLevel.Drain(response, sink);
                var end = Stopwatch.GetTimestamp();
                if (response.StatusCode == HttpStatusCode.Created) recorder.Ok(start, end);
                else recorder.Error(start, end, "HTTP " + (int)response.StatusCode);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                recorder.Error(start, Stopwatch.GetTimestamp(), ex.GetType().Name);
            }
        }
    }
}
