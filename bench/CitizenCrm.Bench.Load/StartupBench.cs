using System.Diagnostics;

namespace CitizenCrm.Bench.Load;

/// <summary>
/// startup: from starting `dotnet CitizenCrm.Server.dll` to its first 200 from /health/ready (polled every 2 ms), on
/// the same data folder copy, --runs times; the median is the figure. The first start of a copy is run and not counted
/// (it may apply migrations and warms the file cache, as a restart after a deployment would not). Without --server-dll
/// it publishes the server first (Release, linux-x64, ReadyToRun), as it is deployed, and starts that.
/// </summary>
public static class StartupBench
{
    public const string Usage = "startup [--runs 7] [--data FOLDER] [--server-dll DLL]   process start to the first 200 from /health/ready, median of the runs (the ReadyToRun publish unless --server-dll)";

    private static async Task<double> HelpAsync(string dll)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(dll)!, RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add(dll);
        psi.ArgumentList.Add("help");
        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(psi)!;
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static async Task<string> PublishAsync()
    {
        var output = Path.Combine(Path.GetTempPath(), "citizencrm-bench-startup-publish");
        var project = Path.Combine(ServerUnderTest.RepositoryRoot(), "src", "CitizenCrm.Server");
        Console.Error.WriteLine($"  publishing {project} (Release, linux-x64, ReadyToRun) to {output}");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "publish", project, "-c", "Release", "-r", "linux-x64", "--self-contained", "false", "-o", output, "-v", "quiet", "-nologo" })
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new BenchException($"dotnet publish of the server failed (exit code {process.ExitCode}):\n{await stdout}{await stderr}");
        return Path.Combine(output, "CitizenCrm.Server.dll");
    }

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var runs = options.Int("runs", 7);
        var givenDll = options.Get("server-dll") is not null;
        var settings = ServerUnderTest.Settings.From(options);
        // A deployment runs the Release publish for the machine's runtime, compiled ahead of time (ReadyToRun, see the
        // server's csproj); the plain build the other verbs start JIT-compiles everything and took 1.6× the CPU to ready.
        if (!givenDll) settings = settings with { ServerDll = await PublishAsync() };
        options.Seconds("seconds", 1); // shared option, meaningless here
        options.Seconds("warmup", 1);
        options.RefuseUnknown();
        using var data = await ServerUnderTest.PrepareDataAsync(settings);
        var report = new Report(options, "Start-up: process start to the first 200 from /health/ready");

        var times = new List<double>();
        var rss = new List<double>();
        var cpu = new List<double>();
        for (var i = 0; i <= runs; i++)
        {
            await using var server = await ServerUnderTest.StartAsync(settings, data);
            var ms = server.StartToReady.TotalMilliseconds;
            rss.Add(server.Memory().Rss);
            // The server's CPU (user + system, all threads) from its start to ready: unlike the wall time, it barely moves
            // when other work shares the two cores, so a change's effect shows under load too.
            var cpuMs = server.Process.TotalProcessorTime.TotalMilliseconds;
            if (i == 0) Console.Error.WriteLine($"  first start (not counted): {ms:F0} ms");
            else
            {
                times.Add(ms);
                cpu.Add(cpuMs);
                Console.Error.WriteLine($"  start {i}: {ms:F0} ms, server CPU {cpuMs:F0} ms");
            }
        }
        // The baseline, in the same run: the same runtime and DLL doing nothing but print its help and exit, so the part of
        // start-up that is .NET's own (the host, the runtime, loading the assembly) shows apart from the server's.
        var bare = new List<double>();
        for (var i = 0; i < runs; i++) bare.Add(await HelpAsync(settings.ServerDll));
        bare.Sort();
        times.Sort();
        var median = times[(times.Count - 1) / 2];
        var bareMedian = bare[(bare.Count - 1) / 2];
        report.Figure($"start to ready, median of {runs}", Report.F(median / 1000, "F2") + $" s (min {Report.F(times[0] / 1000, "F2")}, max {Report.F(times[^1] / 1000, "F2")})",
            Report.F(bareMedian / 1000, "F2") + " s (`dotnet CitizenCrm.Server.dll help`, start to exit)", Report.Ratio(median, bareMedian), null, "≤ 0.6 s");
        cpu.Sort();
        report.Figure($"server CPU (user + system) start to ready, median of {runs}", Report.F(cpu[(cpu.Count - 1) / 2] / 1000, "F2") + " s", "—", "—", null);
        report.Figure("server RSS when ready (median)", Report.F(rss.Order().ElementAt(rss.Count / 2), "F0") + " MB", "—", "—", null);
        report.Note("Server: " + (givenDll ? settings.ServerDll : "the Release publish for linux-x64 (ReadyToRun)") + ". Each start: `dotnet CitizenCrm.Server.dll --urls … --Database:DataFolder=<copy>`; the clock starts just before the process is " +
                    "spawned and stops at the first 200 from /health/ready (the database answers and its schema is current). " +
                    "Times of each start: " + string.Join(", ", times.Select(t => Report.F(t, "F0") + " ms")) + ".");
        report.Print(settings);
        return 0;
    }
}
