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
    public const string Usage = "[--seed N] [--citizens 50000] [--events 1000000]\n" +
        "                  fill an EMPTY database with a demo city (same seed, same city) and print a few demo citizens\n" +
        "                  with a fresh phone PIN; use a fresh folder, e.g. --Database:DataFolder=/tmp/demo";

    public static async Task<int> RunAsync(CommandLine.Options options)
    {
        var seed = Number(options, "seed", 2026);
        var citizens = Number(options, "citizens", 50_000);
        var events = Number(options, "events", 1_000_000);

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
        var report = await generator.GenerateAsync(seed, citizens, events, CancellationToken.None);

        foreach (var phase in report.Phases) Console.WriteLine($"  {phase}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Done in {report.Elapsed.TotalSeconds:F1} s: {report.Citizens:N0} citizens, {report.TaxObligations:N0} tax obligations, {report.Fines:N0} fines, " +
            $"{report.Cases:N0} cases, {report.TimelineEvents:N0} timeline events."));
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

    private static int Number(CommandLine.Options options, string name, int fallback)
    {
        var text = options.Get(name);
        if (text is null) return fallback;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            throw ValidationFailedException.For(name, $"--{name} must be a whole number, not '{text}'.");
        return value;
    }
}
