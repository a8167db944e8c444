using System.Diagnostics;

namespace CitizenCrm.Bench.InProcess;

/// <summary>
/// N writers, each sending its next operation as soon as the last one answered (a closed loop, as N clerks' screens
/// do), for a fixed time. Counts only operations that finished inside the window.
/// </summary>
public static class Writers
{
    public sealed record Outcome(long Completed, long Failed, double Seconds, Latencies Latencies, string? FirstError, TimeSpan Cpu)
    {
        public double PerSecond => Completed / Seconds;

        /// <summary>
        /// The whole process's CPU (user + system, every thread) over the run divided by the operations completed: what one
        /// costs the machine. Less sensitive to other load than a rate, so before/after comparisons on a busy machine use it.
        /// </summary>
        public string CpuPerOperation => Completed == 0 ? "—" : $"{Cpu.TotalMilliseconds / Completed:0.000} ms CPU each";
    }

    public static async Task<Outcome> RunAsync(int writers, TimeSpan duration, Func<int, CancellationToken, Task> operation)
    {
        using var stop = new CancellationTokenSource();
        var perWriter = new Latencies[writers];
        var completed = new long[writers];
        var failed = new long[writers];
        string? firstError = null;
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var latencies = perWriter[w] = new Latencies();
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var t0 = Stopwatch.GetTimestamp();
                try
                {
                    await operation(w, stop.Token);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    failed[w]++;
                    Interlocked.CompareExchange(ref firstError, ex.GetType().Name + ": " + ex.Message, null);
                    continue;
                }
                var t1 = Stopwatch.GetTimestamp();
                if (t1 > deadline) break; // answered after the window closed: not counted
                latencies.Add(t1 - t0);
                completed[w]++;
            }
        })).ToArray();
        // Bounded: an operation stuck past the window (a lock wait) gets the busy timeout's 10 s and then is abandoned.
        var all = Task.WhenAll(tasks);
        if (await Task.WhenAny(all, Task.Delay(duration + TimeSpan.FromSeconds(30))) != all)
        {
            stop.Cancel();
            throw new TimeoutException("Writers did not finish within 30 s of the end of the run.");
        }
        await all;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var seconds = Math.Min(Stopwatch.GetElapsedTime(started).TotalSeconds, duration.TotalSeconds);
        var merged = new Latencies();
        foreach (var l in perWriter) merged.AddRange(l);
        return new Outcome(completed.Sum(), failed.Sum(), seconds, merged, firstError, cpu);
    }

    /// <summary>
    /// Runs the operation unmeasured until the process is in its steady state: at least <paramref name="minimum"/>, and
    /// then until the JIT has compiled no method for two seconds (at most a minute). .NET compiles a hot method twice
    /// (quickly first, then optimised in the background, tiered compilation): under 64 writers on 2 cores the second tier
    /// of the pipeline's code took about 20 s and 6 s of CPU (perf, 2 December), so a short fixed warm-up measured the
    /// compiler as much as the code. A server runs for days; its steady state is what is measured.
    /// </summary>
    public static async Task<TimeSpan> WarmUpAsync(int writers, TimeSpan minimum, Func<int, CancellationToken, Task> operation)
    {
        var started = Stopwatch.GetTimestamp();
        await RunAsync(writers, minimum, operation);
        var quietSeconds = 0;
        while (quietSeconds < 2 && Stopwatch.GetElapsedTime(started) < TimeSpan.FromMinutes(1))
        {
            var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
            await RunAsync(writers, TimeSpan.FromSeconds(1), operation);
            quietSeconds = System.Runtime.JitInfo.GetCompiledMethodCount() == compiled ? quietSeconds + 1 : 0;
        }
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>
    /// The harness's own cost: the same loop with nothing inside, at the same concurrency. Its rate divided into a
    /// measured rate is the share of the machine the harness took (the "client cost" of an in-process benchmark).
    /// </summary>
    public static async Task<double> EmptyLoopRateAsync(int writers)
    {
        var outcome = await RunAsync(writers, TimeSpan.FromMilliseconds(500), static (_, _) => Task.CompletedTask);
        return outcome.PerSecond;
    }

    public static string ClientCost(double measuredPerSecond, double emptyLoopPerSecond) =>
        $"{measuredPerSecond / emptyLoopPerSecond * 100:0.00}% (empty loop {Report.Rate(emptyLoopPerSecond)})";
}
