using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace CitizenCrm.Bench.Load;

/// <summary>
/// The measured stretch of one level: requests that end between <see cref="From"/> and <see cref="To"/> count (the
/// completions per second of a closed loop; at 500 concurrent callers a turn may take longer than a short level, so
/// counting only those that also started inside would undercount); workers stop starting new ones at <see cref="To"/>.
/// Before <see cref="From"/> is the warm-up (connections opened, the JIT's second tier, SQLite's page cache, and for
/// calls a steady mix of their steps), done by the same workers and not counted. The stretch is fixed when the warm-up
/// ends, which may be later than planned (see <see cref="LoadLevel.RunAsync"/>).
/// </summary>
public sealed class Window
{
    private long from = long.MaxValue, to = long.MaxValue;
    public long From => Volatile.Read(ref from);
    public long To => Volatile.Read(ref to);
    public bool Running => Stopwatch.GetTimestamp() < To;

    public void Start(long at, double seconds)
    {
        Volatile.Write(ref to, at + (long)(seconds * Stopwatch.Frequency));
        Volatile.Write(ref from, at);
    }
}

/// <summary>One worker's latencies (Stopwatch ticks) and errors; preallocated, so recording allocates nothing in the loop.</summary>
public sealed class Recorder(Window window)
{
    private long[] ticks = new long[16 * 1024];
    public int Count { get; private set; }
    public int Errors { get; private set; }
    public Dictionary<string, int> ErrorKinds { get; } = new(StringComparer.Ordinal);

    public void Ok(long start, long end)
    {
        if (end < window.From || end > window.To) return;
        if (Count == ticks.Length) Array.Resize(ref ticks, ticks.Length * 2);
        ticks[Count++] = end - start;
    }

    public void Error(long start, long end, string kind)
    {
        if (end < window.From || end > window.To) return;
        Errors++;
        ErrorKinds[kind] = ErrorKinds.GetValueOrDefault(kind) + 1;
    }

    public ReadOnlySpan<long> Latencies => ticks.AsSpan(0, Count);
}

/// <summary>What one level measured: rate, latency percentiles, errors, the client's own CPU and the server's memory peak.</summary>
public sealed record LevelResult(
    string Name, int Concurrency, double Seconds, int Requests, int Errors, string ErrorSummary,
    double P50, double P95, double P99, double Max, double ClientCpuSeconds, double CpuWallSeconds, double ServerPeakMb, double ServerRssMb,
    double ServerCpuSeconds, int ServerThreads)
{
    /// <summary>The server's CPU time per request, µs (both cores' worth; what a request costs whatever the wait for the disk).</summary>
    public double ServerMicrosPerRequest => Requests == 0 ? double.NaN : ServerCpuSeconds * 1e6 / Requests;
    public double ServerCores => ServerCpuSeconds / CpuWallSeconds;

    public double Rate => Requests / Seconds;
    /// <summary>The generator's CPU seconds per second of wall time (1.0 = one core busy), over the same stretch it was sampled.</summary>
    public double ClientCores => ClientCpuSeconds / CpuWallSeconds;
    /// <summary>The generator's CPU time per request, µs.</summary>
    public double ClientMicrosPerRequest => Requests == 0 ? double.NaN : ClientCpuSeconds * 1e6 / Requests;
}

public static class LoadLevel
{
    /// <summary>
    /// Runs <paramref name="concurrency"/> workers in a closed loop (each sends its next request when the last answered)
    /// for warm-up plus <paramref name="seconds"/>, and measures the stretch after the warm-up.
    /// </summary>
    /// <param name="steady">When given, the warm-up lasts until it says the load is steady (at most 90 s more): whole calls
    /// take many turns, and a level measured before most callers are past their first turns would measure only greetings.</param>
    public static async Task<LevelResult> RunAsync(string name, int concurrency, double warmup, double seconds, ServerUnderTest? server,
        Func<int, Recorder, Window, Task> worker, Func<bool>? steady = null)
    {
        var window = new Window();
        var recorders = Enumerable.Range(0, concurrency).Select(_ => new Recorder(window)).ToArray();
        var tasks = new Task[concurrency];
        for (var i = 0; i < concurrency; i++)
        {
            var index = i;
            tasks[i] = Task.Run(() => worker(index, recorders[index], window));
        }

        await Task.Delay(TimeSpan.FromSeconds(warmup));
        if (steady is not null)
        {
            var waited = Stopwatch.StartNew();
            while (!steady() && waited.Elapsed < TimeSpan.FromSeconds(90)) await Task.Delay(100);
            if (waited.Elapsed > TimeSpan.FromSeconds(1))
                Console.Error.WriteLine($"  {name} ×{concurrency}: steady after {warmup + waited.Elapsed.TotalSeconds:F0} s of warm-up");
        }
        window.Start(Stopwatch.GetTimestamp(), seconds);
        server?.ResetPeakMemory();
        var cpuFrom = Process.GetCurrentProcess().TotalProcessorTime;
        var serverFrom = server?.CpuSeconds() ?? double.NaN;
        var wallFrom = Stopwatch.GetTimestamp();
        await Task.Delay(Remaining(window.To));
        var cpuTo = Process.GetCurrentProcess().TotalProcessorTime;
        var serverTo = server?.CpuSeconds() ?? double.NaN;
        var wallTo = Stopwatch.GetTimestamp();
        var status = server?.Status() ?? (double.NaN, double.NaN, 0);
        await Task.WhenAll(tasks);

        var total = recorders.Sum(r => r.Count);
        var all = new long[total];
        var at = 0;
        foreach (var r in recorders) { r.Latencies.CopyTo(all.AsSpan(at)); at += r.Count; }
        Array.Sort(all);
        var kinds = recorders.SelectMany(r => r.ErrorKinds).GroupBy(k => k.Key).Select(g => $"{g.Key}×{g.Sum(k => k.Value)}");
        return new LevelResult(name, concurrency, (window.To - window.From) / (double)Stopwatch.Frequency, total, recorders.Sum(r => r.Errors),
            string.Join(", ", kinds), Percentile(all, 0.50), Percentile(all, 0.95), Percentile(all, 0.99), all.Length == 0 ? double.NaN : Ms(all[^1]),
            (cpuTo - cpuFrom).TotalSeconds, (wallTo - wallFrom) / (double)Stopwatch.Frequency, status.Item2, status.Item1,
            serverTo - serverFrom, status.Item3);
    }

    private static TimeSpan Remaining(long until)
    {
        var ticks = until - Stopwatch.GetTimestamp();
        return ticks <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(ticks / (double)Stopwatch.Frequency);
    }

    /// <summary>Nearest rank: the value at rank ceil(p × n) of the sorted latencies, in ms.</summary>
    public static double Percentile(long[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : Ms(sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1)]);

    public static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    /// <summary>
    /// One client for every generator and its baseline: pooled connections, as many as there are workers (so no worker
    /// waits for another's connection), no proxy, no cookies, no decompression.
    /// </summary>
    public static HttpClient Client(string baseUrl) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = 10_000,
        UseProxy = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(10),
    })
    {
        BaseAddress = new Uri(baseUrl),
        Timeout = TimeSpan.FromSeconds(30),
        DefaultRequestVersion = HttpVersion.Version11,
    };

    /// <summary>
    /// The baseline every ratio divides by: GET /health/live (answered by the process, no database) through the same client,
    /// at the same concurrency, in the same run.
    /// </summary>
    public static Func<int, Recorder, Window, Task> HealthLive(HttpClient client)
    {
        var uri = new Uri(client.BaseAddress!, "/health/live");
        return (_, recorder, window) => GetLoopAsync(client, [uri], 0, null, recorder, window);
    }

    /// <summary>A worker that GETs its URLs in turn (starting at <paramref name="first"/>), reading each answer to its end.</summary>
    public static async Task GetLoopAsync(HttpClient client, Uri[] uris, int first, AuthenticationHeaderValue? auth, Recorder recorder, Window window)
    {
        var sink = new byte[16 * 1024];
        var next = first;
        while (window.Running)
        {
            var start = Stopwatch.GetTimestamp();
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, uris[next++ % uris.Length]);
                if (auth is not null) request.Headers.Authorization = auth;
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                await Drain(response, sink);
                var end = Stopwatch.GetTimestamp();
                if (response.StatusCode == HttpStatusCode.OK) recorder.Ok(start, end);
                else recorder.Error(start, end, "HTTP " + (int)response.StatusCode);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                recorder.Error(start, Stopwatch.GetTimestamp(), ex.GetType().Name);
            }
        }
    }

    public static async Task Drain(HttpResponseMessage response, byte[] sink)
    {
        await using var body = await response.Content.ReadAsStreamAsync();
        while (await body.ReadAsync(sink) > 0) { }
    }
}
