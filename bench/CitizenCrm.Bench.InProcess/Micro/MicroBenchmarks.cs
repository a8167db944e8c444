using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace CitizenCrm.Bench.InProcess.Micro;

/// <summary>
/// BenchmarkDotNet on the phone's and the timeline's hot paths. A short job run in this process (no child project to
/// build: that would build the server and its web page again per benchmark), so the whole set takes a few minutes;
/// its means are good to a few per cent, enough to see a change of the size a profile points at.
/// </summary>
public static class MicroBenchmarks
{
    public const string Usage = "micro [--filter *Cnp*] [any BenchmarkDotNet option]";

    private static readonly Type[] All =
        [typeof(PhoneTurnBenchmarks), typeof(TwilioSignatureBenchmarks), typeof(CnpBenchmarks), typeof(TimelinePageBenchmarks)];

    public static int Run(IReadOnlyList<string> args, string commandLine)
    {
        var job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(8)
            .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(250))
            .WithId("short-in-process");
        var config = ManualConfig.Create(DefaultConfig.Instance).AddJob(job)
            .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "citizencrm-bench-micro-artifacts"));
        var switcherArgs = args.Any(a => a.StartsWith("--filter", StringComparison.Ordinal) || a == "-f") ? args.ToArray() : [.. args, "--filter", "*"];
        var summaries = BenchmarkSwitcher.FromTypes(All).Run(switcherArgs, config).ToList();

        var report = new Report("Micro-benchmarks (BenchmarkDotNet 0.15.8, short in-process job)", commandLine);
        foreach (var summary in summaries) AddRows(report, summary);
        report.Note("client cost: n/a (BenchmarkDotNet measures its own overhead and subtracts it).");
        report.Note("job: 1 launch, 3 warm-up and 8 measured iterations of 250 ms, in this process (InProcessEmitToolchain); server GC as the server.");
        report.Print();
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }

    private static void AddRows(Report report, Summary summary)
    {
        var baseline = summary.Reports.FirstOrDefault(r => r.BenchmarkCase.Descriptor.Baseline);
        var baselineMean = baseline?.ResultStatistics?.Mean;
        foreach (var r in summary.Reports)
        {
            var stats = r.ResultStatistics;
            if (stats is null) continue;
            var isBaseline = ReferenceEquals(r, baseline);
            var allocated = r.GcStats.GetBytesAllocatedPerOperation(r.BenchmarkCase);
            report.Add(new(
                r.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo.Trim('\''),
                Time(stats.Mean) + " mean",
                isBaseline || baselineMean is null ? "—" : Time(baselineMean.Value),
                isBaseline || baselineMean is null ? "—" : Report.Ratio(stats.Mean / baselineMean.Value),
                "n/a",
                $"median {Time(stats.Median)}, ±{Time(stats.StandardError)} s.e., {(allocated is { } b ? $"{b:N0} B" : "?")} allocated/op"));
        }
    }

    private static string Time(double nanoseconds) => nanoseconds switch
    {
        < 1_000 => $"{nanoseconds:0.0} ns",
        < 1_000_000 => $"{nanoseconds / 1_000:0.00} µs",
        _ => $"{nanoseconds / 1_000_000:0.00} ms",
    };
}
