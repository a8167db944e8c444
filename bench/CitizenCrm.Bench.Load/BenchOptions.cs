using System.Globalization;
using System.Net;

namespace CitizenCrm.Bench.Load;

/// <summary>
/// The command line: a generator's name, then --name value pairs (or --name=value). Options every generator shares are
/// read here; each generator reads its own with <see cref="Get"/>, <see cref="Int"/> and <see cref="Levels"/>.
/// </summary>
public sealed class BenchOptions
{
    private readonly Dictionary<string, string> values = new(StringComparer.Ordinal);
    private readonly HashSet<string> read = new(StringComparer.Ordinal);

    public string Command { get; }
    public string CommandLine { get; }

    private BenchOptions(string command, string commandLine)
    {
        Command = command;
        CommandLine = commandLine;
    }

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions(args.Length > 0 ? args[0] : "help",
            "dotnet run -c Release --project bench/CitizenCrm.Bench.Load -- " + string.Join(' ', args.Select(Quote)));
        for (var i = 1; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
                throw new BenchException($"'{arg}' is not an option: options read --name value (see help).");
            var name = arg[2..];
            string value;
            var eq = name.IndexOf('=');
            if (eq >= 0) { value = name[(eq + 1)..]; name = name[..eq]; }
            else if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) value = args[++i];
            else value = "true";
            options.values[name] = value;
        }
        return options;
    }

    private static string Quote(string arg) => arg.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '&' or ';') ? $"'{arg}'" : arg;

    public string? Get(string name)
    {
        read.Add(name);
        return values.GetValueOrDefault(name);
    }

    public int Int(string name, int fallback)
    {
        var text = Get(name);
        if (text is null) return fallback;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0
            ? v : throw new BenchException($"--{name} must be a positive whole number, not '{text}'.");
    }

    public double Seconds(string name, double fallback)
    {
        var text = Get(name);
        if (text is null) return fallback;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 && v <= 3600
            ? v : throw new BenchException($"--{name} must be a number of seconds between 0 and 3600, not '{text}'.");
    }

    /// <summary>A comma-separated list of concurrency levels, e.g. --calls 50,200,500.</summary>
    public int[] Levels(string name, params int[] fallback)
    {
        var text = Get(name);
        if (text is null) return fallback;
        var levels = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v is > 0 and <= 5000 ? v
                : throw new BenchException($"--{name} takes whole numbers from 1 to 5000 separated by commas, not '{text}'."))
            .ToArray();
        return levels.Length > 0 ? levels : throw new BenchException($"--{name} is empty.");
    }

    public bool Flag(string name) => Get(name) is { } v && v != "false";

    /// <summary>Options nobody read are most likely typos: say so rather than run a different benchmark than asked for.</summary>
    public void RefuseUnknown()
    {
        var unknown = values.Keys.Where(k => !read.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new BenchException($"Unknown option(s) for '{Command}': {string.Join(", ", unknown.Select(u => "--" + u))} (see help).");
    }

    /// <summary>The address the server listens on and the load goes to: loopback only, so a benchmark never loads another machine.</summary>
    public string Host()
    {
        var host = Get("host") ?? "127.0.0.1";
        var loopback = host == "localhost" || IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
        if (!loopback)
            throw new BenchException($"--host {host} is not a loopback address: these generators load only a server on this machine (127.0.0.1 or ::1).");
        return host.Contains(':') && !host.StartsWith('[') ? $"[{host}]" : host;
    }
}

/// <summary>A mistake in how the benchmark was asked for, or a server that could not be prepared: printed without a stack trace.</summary>
public sealed class BenchException(string message) : Exception(message);
