using System.Globalization;

namespace CitizenCrm.Bench.InProcess;

/// <summary>
/// The benchmark's own options (--writers 1,8,64 --seconds 10 ...); anything written --Section:Key=value goes to the
/// server's configuration unchanged, as the server's command line takes it.
/// </summary>
public sealed class Arguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);
    public List<string> Configuration { get; } = [];
    public string CommandLine { get; private init; } = "";

    public static Arguments Parse(string verb, IReadOnlyList<string> args)
    {
        var parsed = new Arguments
        {
            CommandLine = "dotnet run -c Release --project bench/CitizenCrm.Bench.InProcess -- " + string.Join(' ', new[] { verb }.Concat(args)),
        };
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (!a.StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"Unexpected argument '{a}'.");
            var name = a[2..];
            if (name.Contains(':')) { parsed.Configuration.Add(a); continue; }
            var eq = name.IndexOf('=');
            if (eq > 0) parsed._values[name[..eq]] = name[(eq + 1)..];
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) parsed._values[name] = args[++i];
            else parsed._values[name] = "true";
        }
        return parsed;
    }

    public string? Get(string name) => _values.GetValueOrDefault(name);

    public string Get(string name, string fallback) => _values.GetValueOrDefault(name) ?? fallback;

    public int Int(string name, int fallback) =>
        _values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) =>
        _values.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public IReadOnlyList<int> Ints(string name, string fallback) =>
        Get(name, fallback).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();

    /// <summary>true, false, or null when not given (the server's own default then applies).</summary>
    public bool? Bool(string name) => Get(name) switch
    {
        null => null,
        "true" or "on" or "1" => true,
        "false" or "off" or "0" => false,
        var other => throw new ArgumentException($"--{name} takes true or false, not '{other}'."),
    };
}
