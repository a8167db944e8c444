using System.Globalization;
using System.Security.Cryptography;
using CitizenCrm.Bench;
using Microsoft.Playwright;

// How long the console's 360° view takes to show a page of 50 timeline events once its data has arrived, in Debian's
// Chromium (headless), on a demo city. The screen marks "timeline-data" when a page's JSON has been read and
// "timeline-rendered" when its events are in the DOM (renderTimelineEvents), then "timeline-painted" in the task after
// the next animation frame (style, layout and paint done). Each run opens the view afresh; the first runs are warm-up.
var options = Options.Parse(args);
if (options.Help)
{
    Console.WriteLine("""
        Usage: dotnet run -c Release --project bench/ConsoleTimeline -- --data FOLDER [options]
        First: dotnet build src/CitizenCrm.Server -c Release, and a demo city:
               dotnet src/CitizenCrm.Server/bin/Release/net10.0/CitizenCrm.Server.dll demo-city --Database:DataFolder=/tmp/demo
          --data FOLDER       a demo city's data folder; the server runs on a copy of it (deleted afterwards)
          --in-place          run on FOLDER itself (the audit log and sessions are written to it)
          --runs N            measured runs (default 30), after --warmup N unmeasured ones (default 5)
          --citizen ID        the citizen whose 360° view is opened (default: the one with the most events)
          --server-dll PATH   default: src/CitizenCrm.Server/bin/Release/net10.0/CitizenCrm.Server.dll
        Needs CITIZENCRM_CHROMIUM (e.g. /usr/bin/chromium). Prints Markdown on stdout, progress on stderr.
        """);
    return 0;
}
try
{
    return await Bench.RunAsync(options);
}
catch (BenchException e)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}

sealed record Options(string? Data, bool InPlace, int Runs, int Warmup, string? Citizen, string? ServerDll, bool Help)
{
    public static Options Parse(string[] args)
    {
        string? data = null, citizen = null, dll = null;
        bool inPlace = false, help = false;
        int runs = 30, warmup = 5;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new BenchException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--data": data = Path.GetFullPath(Next()); break;
                case "--in-place": inPlace = true; break;
                case "--runs": runs = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--warmup": warmup = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--citizen": citizen = Next().ToLowerInvariant(); break;
                case "--server-dll": dll = Path.GetFullPath(Next()); break;
                case "help" or "--help" or "-h": help = true; break;
                default: throw new BenchException($"Unknown option '{args[i]}' (see --help).");
            }
        }
        return new Options(data, inPlace, runs, warmup, citizen, dll, help || data is null);
    }
}

static class Bench
{
    public static async Task<int> RunAsync(Options o)
    {
        var dll = DemoCityServer.ServerDll(o.ServerDll, "Release");
        await using var server = await DemoCityServer.StartAsync(o.Data!, o.InPlace, dll, "console");
        var (citizen, events) = server.CitizenWithMostEvents(o.Citizen);
        Console.Error.WriteLine($"  citizen {citizen}: {events} events");

        // A clerk made by the admin, who signs in through the console's own page.
        var clerk = "bench-clerk-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant();
        await server.CreateStaffUserAsync(await server.SignInApiAsync(), clerk, "Bench Clerk", "clerk");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DemoCityServer.LaunchChromiumAsync(playwright);
        var context = await DemoCityServer.NewContextAsync(browser);
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await server.SignInConsoleAsync(page, clerk);

        var expected = Math.Min(50, events);
        var first = new List<(double Dom, double Paint)>();
        var older = new List<(double Dom, double Paint)>();
        for (var run = 0; run < o.Warmup + o.Runs; run++)
        {
            // Away to the search, then the 360° view afresh: its first page of the timeline is fetched and drawn.
            await page.EvaluateAsync("() => { location.hash = '#/citizens'; }");
            await page.Locator("#citizen-query").WaitForAsync();
            await page.EvaluateAsync("() => { performance.clearMarks(); performance.clearMeasures(); }");
            await page.EvaluateAsync($"() => {{ location.hash = '#/citizen/{citizen}'; }}");
            var a = await Measured(page, 1);
            var count = await page.Locator("#timeline-list li.event").CountAsync();
            if (count != expected) throw new BenchException($"The view showed {count} events, not {expected}.");
            // An older page, appended below the first when the list's end scrolls into view (the endless scroll's sentinel).
            (double, double)? b = null;
            if (events >= 100)
            {
                await page.Locator(".timeline-sentinel").ScrollIntoViewIfNeededAsync();
                b = await Measured(page, 2);
            }
            if (run < o.Warmup) continue;
            first.Add(a);
            if (b is { } older1) older.Add(older1);
            Console.Error.Write($"\r  run {run + 1 - o.Warmup} of {o.Runs}");
        }
        Console.Error.WriteLine();
        if (errors.Count > 0) throw new BenchException("Errors in the page: " + string.Join("; ", errors));

        var load = File.ReadAllText("/proc/loadavg").Split(' ')[..3];
        Console.WriteLine($"## Console timeline: a page of 50 events, data arrived → in the DOM / painted ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)");
        Console.WriteLine();
        Console.WriteLine($"Demo city {o.Data}; citizen {citizen[..8]}… with {events} events; Chromium {browser.Version} headless, 1280×720; " +
                          $"{Environment.ProcessorCount} cores, load average {string.Join(" ", load)}; {o.Runs} runs after {o.Warmup} warm-up.");
        Console.WriteLine();
        Console.WriteLine("| page | events | in the DOM: median | p95 | max | painted (next frame): median | p95 | max |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        Row("first (opening the view)", expected, first);
        if (older.Count > 0) Row("older (scrolled to the end)", 50, older);
        Console.WriteLine();
        Console.WriteLine($"    dotnet run -c Release --project bench/ConsoleTimeline -- --data {o.Data} --runs {o.Runs} --warmup {o.Warmup}");
        return 0;
    }

    /// <summary>Waits for the n-th "timeline-paint" measure of this view and returns that page's two durations in ms.</summary>
    private static async Task<(double Dom, double Paint)> Measured(IPage page, int n)
    {
        await page.WaitForFunctionAsync($"() => performance.getEntriesByName('timeline-paint').length >= {n}", null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        var r = await page.EvaluateAsync<double[]>($"() => [performance.getEntriesByName('timeline-render')[{n - 1}].duration, performance.getEntriesByName('timeline-paint')[{n - 1}].duration]");
        return (r[0], r[1]);
    }

    private static void Row(string name, int events, List<(double Dom, double Paint)> runs)
    {
        var dom = runs.Select(r => r.Dom).Order().ToArray();
        var paint = runs.Select(r => r.Paint).Order().ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {events} | {Median(dom):F1} ms | {Rank(dom, 0.95):F1} ms | {dom[^1]:F1} ms | {Median(paint):F1} ms | {Rank(paint, 0.95):F1} ms | {paint[^1]:F1} ms |"));
    }

    private static double Median(double[] sorted) => sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;

    /// <summary>Nearest rank.</summary>
    private static double Rank(double[] sorted, double p) => sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
