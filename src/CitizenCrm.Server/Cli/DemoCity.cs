using System.Globalization;
using CitizenCrm.Core.Citizens;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.DemoCity;
using CitizenCrm.Core.Staff;
using CitizenCrm.Core.Storage;
using CitizenCrm.Server.Hosting;

namespace CitizenCrm.Server.Cli;

/// <summary>demo-city: a realistic city, the same for the same seed, in an empty database.</summary>
internal static class DemoCity
{
    public const string Usage = "[--seed N] [--citizens 50000] [--events 1M] [--chunk 100000]\n" +
        "                  fill an EMPTY database with a demo city (same seed, same city) and print a few demo citizens\n" +
        "                  with a fresh phone PIN; use a fresh folder, e.g. --Database:DataFolder=/tmp/demo. Counts take\n" +
        "                  k and M (--events 10M); it commits every --chunk rows and prints its progress";

    public static async Task<int> RunAsync(CommandLine.Options options)
    {
        var seed = Number(options, "seed", 2026);
        var citizens = Number(options, "citizens", 50_000);
        var events = Number(options, "events", 1_000_000);
        var chunk = Number(options, "chunk", DemoCityGenerator.DefaultChunkSize);

        // The registry's commands make the demo's cases; the demo clock lets them happen on their past dates.
        var builder = ServerApp.CreateBuilder(options.ConfigurationArgs);
        builder.Services.AddSingleton<TimeProvider>(new DemoClock(TimeProvider.System));
        await using var app = builder.Build();
        await app.Services.GetRequiredService<Migrator>().MigrateAsync(CancellationToken.None);
        await using var scope = app.Services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<RequestContext>();
        context.SystemActor = "demo-city";
        context.Endpoint = "cli demo-city";
        var generator = ActivatorUtilities.CreateInstance<DemoCityGenerator>(scope.ServiceProvider);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Building the demo city (seed {seed}, {citizens:N0} citizens, {events:N0} events)..."));
        // Ctrl+C stops at the next row and leaves a half city, which the next run refuses (see DemoCityGenerator).
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
        var lastShown = TimeSpan.FromSeconds(-1);
        var report = await generator.GenerateAsync(seed, citizens, events, stop.Token, chunkSize: chunk, progress: p =>
        {
            // One line a second at most (a chunk of a small city takes milliseconds), and always the phase's last one.
            if (p.Elapsed - lastShown < TimeSpan.FromSeconds(1) && p.Done < p.Total) return;
            lastShown = p.Elapsed;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {p.Elapsed.TotalSeconds,6:F1} s  {p.Phase}: {p.Done:N0} of {p.Total:N0} ({100.0 * p.Done / Math.Max(1, p.Total):F0} %), " +
                $"{p.PerSecond:N0}/s, about {(p.Remaining ?? TimeSpan.Zero).TotalSeconds:F0} s to go; write-ahead log at most {p.WriteAheadLogBytes / 1048576.0:F0} MB"));
        });

        foreach (var phase in report.Phases) Console.WriteLine($"  {phase}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Done in {report.Elapsed.TotalSeconds:F1} s: {report.Citizens:N0} citizens, {report.TaxObligations:N0} tax obligations, {report.Fines:N0} fines, " +
            $"{report.Cases:N0} cases, {report.TimelineEvents:N0} timeline events; {report.Chunks:N0} chunks of up to {chunk:N0} rows, " +
            $"write-ahead log at most {report.WriteAheadLogMaxBytes / 1048576.0:F0} MB."));
        Console.WriteLine("Demo citizens (invented people; the PINs are shown only now):");
        foreach (var d in report.DemoCitizens)
            Console.WriteLine($"  CNP {d.Cnp}  phone {d.Phone}  PIN {d.Pin}  {d.Name} ({d.Language})  id {d.Id}");
        if (report.StaffPassword is { } password)
        {
            Console.WriteLine($"Demo staff (invented; they all share the password {password}, shown only now):");
            foreach (var role in report.Staff.GroupBy(s => s.Role))
                Console.WriteLine($"  {role.Key.ToText()}: {string.Join(", ", role.Select(s => s.Username))}");
        }
        return 0;
    }

    /// <summary>A whole number, with k (thousands) or M (millions) if wanted: --events 10M, --citizens 50k, 10_000_000.</summary>
    private static int Number(CommandLine.Options options, string name, int fallback)
    {
        var text = options.Get(name);
        if (text is null) return fallback;
        var digits = text.Replace("_", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal);
        var scale = 1L;
        if (digits.EndsWith('k') || digits.EndsWith('K')) (scale, digits) = (1_000, digits[..^1]);
        else if (digits.EndsWith('M') || digits.EndsWith('m')) (scale, digits) = (1_000_000, digits[..^1]);
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > int.MaxValue || value * scale > int.MaxValue)
            throw ValidationFailedException.For(name, $"--{name} must be a whole number (k and M allowed, e.g. 10M), not '{text}'.");
        return (int)(value * scale);
    }
}
