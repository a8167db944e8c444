using System.Globalization;

namespace CitizenCrm.Bench.InProcess;

/// <summary>
/// The table every benchmark ends with (figure, baseline, ratio, client cost, cores, date, command), the columns of
/// docs/PERFORMANCE.md, so a run's output can be pasted there as it is.
/// </summary>
public sealed class Report(string title, string command)
{
    public sealed record Row(string What, string Figure, string Baseline, string Ratio, string ClientCost, string Latency);

    private readonly List<Row> _rows = [];
    private readonly List<string> _notes = [];

    public void Add(Row row) => _rows.Add(row);
    public void Note(string line) => _notes.Add(line);

    public void Print()
    {
        var when = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        Console.WriteLine();
        Console.WriteLine($"## {title}");
        Console.WriteLine();
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {LoadAverage()}, {when}");
        Console.WriteLine($"command: {command}");
        Console.WriteLine();
        Console.WriteLine("| what | figure | baseline | ratio | client cost | latency | cores | date |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var r in _rows)
            Console.WriteLine($"| {r.What} | {r.Figure} | {r.Baseline} | {r.Ratio} | {r.ClientCost} | {r.Latency} | {Environment.ProcessorCount} | {when[..10]} |");
        if (_notes.Count > 0) Console.WriteLine();
        foreach (var n in _notes) Console.WriteLine("- " + n);
        Console.WriteLine();
    }

    /// <summary>The 1, 5 and 15 minute load averages: above 3 on this 2-core machine, absolute figures are not ones to publish.</summary>
    public static string LoadAverage()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"{parts[0]} {parts[1]} {parts[2]}";
        }
        catch (IOException) { return "unknown"; }
    }

    public static string Rate(double perSecond) => perSecond.ToString("N0", CultureInfo.InvariantCulture) + "/s";
    public static string Ratio(double value) => value.ToString("0.00", CultureInfo.InvariantCulture) + "×";
    public static string Ms(double ms) => ms.ToString(ms < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " ms";
}

/// <summary>Latencies in stopwatch ticks, summarised as percentiles.</summary>
public sealed class Latencies
{
    private readonly List<long> _ticks = [];

    public int Count => _ticks.Count;
    public double TotalSeconds => _ticks.Sum() / (double)System.Diagnostics.Stopwatch.Frequency;
    public void Add(long ticks) => _ticks.Add(ticks);
    public void AddRange(Latencies other) => _ticks.AddRange(other._ticks);

    public double Percentile(double p)
    {
        if (_ticks.Count == 0) return double.NaN;
        _ticks.Sort();
        var index = (int)Math.Ceiling(p / 100.0 * _ticks.Count) - 1;
        return _ticks[Math.Clamp(index, 0, _ticks.Count - 1)] * 1000.0 / System.Diagnostics.Stopwatch.Frequency;
    }

    public string Summary(params double[] percentiles) =>
        string.Join(" ", percentiles.Select(p => $"p{p.ToString(CultureInfo.InvariantCulture)} {Report.Ms(Percentile(p))}"));
}
