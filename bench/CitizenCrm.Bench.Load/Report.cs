using System.Globalization;

namespace CitizenCrm.Bench.Load;

/// <summary>
/// What every generator prints: a header (date, cores, load average, server settings), the table of figures (figure,
/// baseline, ratio, client cost, cores, date) with the command that reproduces it, and the raw numbers of every level.
/// Markdown, so it pastes into docs/PERFORMANCE.md.
/// </summary>
public sealed class Report(BenchOptions options, string title)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private readonly List<LevelResult> levels = [];
    private readonly List<string[]> figures = [];
    private readonly List<string> notes = [];
    private readonly string started = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", Inv);
    private readonly string loadAtStart = LoadAverage();

    public void Add(LevelResult level)
    {
        levels.Add(level);
        Console.Error.WriteLine(string.Create(Inv, $"  {level.Name} ×{level.Concurrency}: {level.Rate:F0}/s, p50 {level.P50:F2} ms, p99 {level.P99:F2} ms, {level.Errors} errors, client {level.ClientCores:F2} cores, server {level.ServerCores:F2} cores ({level.ServerMicrosPerRequest:F0} µs/request), {level.ServerThreads} threads"));
    }

    /// <summary>A row of the figures table; the client cost is the measured level's own.</summary>
    public void Figure(string figure, string value, string baseline, string ratio, LevelResult? measured, string target = "")
    {
        var cost = measured is null ? "—" : string.Create(Inv, $"{measured.ClientCores:F2} cores, {measured.ClientMicrosPerRequest:F0} µs/req");
        figures.Add([figure, value, baseline, ratio, target, cost]);
    }

    public void Note(string note) => notes.Add(note);

    /// <summary>The server's CPU per request beside the baseline's: the cost of the work, which the machine's other load changes least.</summary>
    public void ServerCost(string figure, LevelResult measured, LevelResult baseline) =>
        Figure(figure, F(measured.ServerMicrosPerRequest, "F0") + " µs", F(baseline.ServerMicrosPerRequest, "F0") + " µs (/health/live)",
            Ratio(measured.ServerMicrosPerRequest, baseline.ServerMicrosPerRequest), null);

    public static string LoadAverage()
    {
        try { return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "?"; }
    }

    public static string F(double value, string format = "F1") => double.IsNaN(value) ? "—" : value.ToString(format, Inv);
    public static string Ratio(double value, double baseline) => baseline > 0 && !double.IsNaN(value) ? (value / baseline).ToString("F2", Inv) + "×" : "—";

    public void Print(ServerUnderTest.Settings settings)
    {
        var cores = Environment.ProcessorCount.ToString(Inv);
        var date = started[..10];
        Console.WriteLine();
        Console.WriteLine($"## {title}");
        Console.WriteLine();
        Console.WriteLine($"{started} · {cores} cores · load average {loadAtStart} at the start, {LoadAverage()} at the end · " +
                          $"Database:GroupCommit={settings.GroupCommit ?? "(server default)"}" +
                          (settings.Extra.Count > 0 ? " · " + string.Join(' ', settings.Extra) : "") +
                          (settings.Environment.Count > 0 ? " · env " + string.Join(' ', settings.Environment.Select(e => $"{e.Key}={e.Value}")) : "") +
                          $" · data: {settings.SourceData ?? "(empty database)"}{(settings.SourceData is not null && !settings.InPlace ? " (a copy)" : "")}");
        Console.WriteLine();
        Console.WriteLine("| figure | measured | baseline | ratio | target | client cost | cores | date |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var f in figures) Console.WriteLine($"| {f[0]} | {f[1]} | {f[2]} | {f[3]} | {f[4]} | {f[5]} | {cores} | {date} |");
        Console.WriteLine();
        Console.WriteLine($"Command: `{options.CommandLine}`");
        Console.WriteLine();
        if (levels.Count > 0) PrintLevels();
        foreach (var n in notes)
        {
            Console.WriteLine();
            Console.WriteLine(n);
        }
        Console.WriteLine();
        Console.WriteLine("Client cost: this generator's own CPU seconds per second of wall time (from its TotalProcessorTime), and per request. " +
                          $"The client is not the bottleneck while that stays well below the {cores} cores the server shares with it.");
    }

    private void PrintLevels()
    {
        Console.WriteLine("Every level, raw (requests counted when they finished inside the measured seconds, after the warm-up):");
        Console.WriteLine();
        Console.WriteLine("| level | concurrency | seconds | requests | per second | p50 ms | p95 ms | p99 ms | max ms | errors | client CPU (cores) | client µs/request | server CPU (cores) | server µs/request | server RSS peak MB | server threads |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var l in levels)
            Console.WriteLine($"| {l.Name} | {l.Concurrency} | {F(l.Seconds)} | {l.Requests} | {F(l.Rate, "F0")} | {F(l.P50, "F2")} | {F(l.P95, "F2")} | {F(l.P99, "F2")} | " +
                              $"{F(l.Max, "F1")} | {l.Errors}{(l.Errors > 0 ? " (" + l.ErrorSummary + ")" : "")} | {F(l.ClientCores, "F2")} | {F(l.ClientMicrosPerRequest, "F0")} | " +
                              $"{F(l.ServerCores, "F2")} | {F(l.ServerMicrosPerRequest, "F0")} | {F(l.ServerPeakMb, "F0")} | {l.ServerThreads} |");
    }
}
