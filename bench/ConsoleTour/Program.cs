using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using CitizenCrm.Bench;
using Microsoft.Playwright;

// A tour of the staff console on a demo city, in Debian's Chromium (headless): one staff account per role, signed in on
// the console's own page, opens every section sections.json lets that role open (and, as the clerk, the 360° view of the
// citizen with the most events and a case). Each screen is checked (its title shown, nothing left loading, no problem
// box, no page or console error, no answer 5xx), timed and photographed. Prints a Markdown table; exit code 1 if any failed.
var options = Options.Parse(args);
if (options.Help)
{
    Console.WriteLine("""
        Usage: dotnet run --project bench/ConsoleTour -- --data FOLDER [--screenshots DIR] [--docs DIR] [--citizen ID] [--server-dll PATH]
          --data FOLDER       a demo city's data folder; the server runs on a copy of it (deleted afterwards)
          --screenshots DIR   where each screen's picture goes (1280×720 viewport, full page): ROLE-SCREEN.png
          --docs DIR          also the README's pictures, the top 1280×1300 of three screens: console-360.png (the clerk's
                              360° view), console-queue.png (the dispatcher's queue), console-reports.png (the supervisor's reports)
          --server-dll PATH   default: the server's Release build, else its Debug build
          --citizen ID        the citizen whose 360° view is shown (default: the one with the most events)
        Needs CITIZENCRM_CHROMIUM (e.g. /usr/bin/chromium). Prints Markdown on stdout, progress on stderr.
        """);
    return 0;
}
try
{
    return await Tour.RunAsync(options);
}
catch (BenchException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

sealed record Options(string? Data, string? Screenshots, string? Docs, string? ServerDll, string? Citizen, bool Help)
{
    public static Options Parse(string[] args)
    {
        string? data = null, shots = null, docs = null, dll = null, citizen = null;
        var help = false;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new BenchException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--data": data = Path.GetFullPath(Next()); break;
                case "--screenshots": shots = Path.GetFullPath(Next()); break;
                case "--docs": docs = Path.GetFullPath(Next()); break;
                case "--server-dll": dll = Path.GetFullPath(Next()); break;
                case "--citizen": citizen = Next().ToLowerInvariant(); break;
                case "help" or "--help" or "-h": help = true; break;
                default: throw new BenchException($"Unknown option '{args[i]}' (see --help).");
            }
        }
        return new Options(data, shots, docs, dll, citizen, help || data is null);
    }
}

/// <summary>One screen of the tour: where it is (a hash route without "#/"), how it is reached, and what was seen.</summary>
sealed record Visit(string Role, string Screen, string Route, bool ByNavigation);

sealed record Outcome(Visit Visit, IReadOnlyList<string> Problems, TimeSpan Load, bool AfterSignIn)
{
    public bool Ok => Problems.Count == 0;
}

static class Tour
{
    private static readonly (string Role, string? Department)[] Roles =
        [("clerk", "Direcția Fiscală"), ("dispatcher", "Registratură"), ("supervisor", "Direcția Fiscală"), ("admin", null)];

    /// <summary>The README's pictures (docs/screenshots/), the top of the page only, so each stays small.</summary>
    private static readonly Dictionary<(string Role, string Screen), string> DocsPictures = new()
    {
        [("clerk", "citizen-360")] = "console-360.png",
        [("dispatcher", "queue")] = "console-queue.png",
        [("supervisor", "reports")] = "console-reports.png",
    };

    private static readonly TimeSpan LoadLimit = TimeSpan.FromSeconds(30);

    /// <summary>A screen is drawn when the route is the one asked for, a title not seen before is in #main and nothing is loading.</summary>
    private const string Drawn = """
        route => decodeURIComponent(location.hash) === '#/' + route
          && !!document.querySelector('#main h1.screen-title:not([data-tour-seen])')
          && !document.querySelector('.sign-in-page')
          && !document.querySelector('.loading')
        """;

    public static async Task<int> RunAsync(Options o)
    {
        var root = DemoCityServer.RepositoryRoot();
        var sections = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(root, "src", "CitizenCrm.Server", "ClientApp", "src", "console", "sections.json")))
            .RootElement.GetProperty("sections").EnumerateArray()
            .Select(s => (Id: s.GetProperty("id").GetString()!, Roles: s.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!).ToArray()))
            .ToArray();
        if (o.Screenshots is not null) Directory.CreateDirectory(o.Screenshots);
        if (o.Docs is not null) Directory.CreateDirectory(o.Docs);

        var dll = DemoCityServer.ServerDll(o.ServerDll, "Release", "Debug");
        await using var server = await DemoCityServer.StartAsync(o.Data!, inPlace: false, dll, "tour");
        var (citizen, events) = server.CitizenWithMostEvents(o.Citizen);
        Console.Error.WriteLine($"  citizen {citizen}: {events} events");

        // One staff account per role, made by the admin through the API.
        var admin = await server.SignInApiAsync();
        var suffix = Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant();
        var users = new Dictionary<string, string>();
        foreach (var (role, department) in Roles)
        {
            users[role] = $"tour-{role}-{suffix}";
            await server.CreateStaffUserAsync(admin, users[role], $"Tur {role}", role, department);
        }
        var queue = await server.GetAsync(await server.SignInApiAsync(users["clerk"]), "/api/cases?limit=1");
        var caseId = queue.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("caseId").GetString()).FirstOrDefault()
                     ?? throw new BenchException("GET /api/cases as the clerk listed no case.");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DemoCityServer.LaunchChromiumAsync(playwright);
        var outcomes = new List<Outcome>();
        foreach (var (role, _) in Roles)
        {
            var visits = sections.Where(s => s.Roles.Contains(role)).Select(s => new Visit(role, s.Id, s.Id, true)).ToList();
            if (role == "clerk")
            {
                visits.Add(new Visit(role, "citizen-360", $"citizen/{citizen}", false));
                visits.Add(new Visit(role, "case", $"case/{caseId}", false));
            }
            outcomes.AddRange(await VisitAll(server, browser, users[role], visits, o.Screenshots, o.Docs));
        }

        var load = File.ReadAllText("/proc/loadavg").Split(' ')[..3];
        Console.WriteLine($"## Console tour on a demo city ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)");
        Console.WriteLine();
        Console.WriteLine($"Demo city {o.Data} (on a copy); citizen {citizen[..8]}… with {events} events; Chromium {browser.Version} headless, 1280×720; " +
                          $"{Environment.ProcessorCount} cores, load average {string.Join(" ", load)}; server {Path.GetRelativePath(root, dll)}.");
        Console.WriteLine();
        Console.WriteLine("| role | screen | result | time to load |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var r in outcomes)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Visit.Role} | {r.Visit.Screen} | {(r.Ok ? "ok" : "**failed**: " + string.Join("; ", r.Problems).Replace("|", "\\|").ReplaceLineEndings(" "))} | {r.Load.TotalMilliseconds:F0} ms{(r.AfterSignIn ? " (from sign-in)" : "")} |"));
        Console.WriteLine();
        var failed = outcomes.Count(r => !r.Ok);
        Console.WriteLine($"{outcomes.Count} screens, {failed} failed.");
        Console.WriteLine();
        Console.WriteLine($"    CITIZENCRM_CHROMIUM=/usr/bin/chromium dotnet run --project bench/ConsoleTour -- --data {o.Data}" +
                          (o.Screenshots is null ? "" : $" --screenshots {o.Screenshots}") + (o.Docs is null ? "" : $" --docs {o.Docs}"));
        if (failed > 0) Console.Error.WriteLine($"  the server's log: {server.LogFile}");
        return failed > 0 ? 1 : 0;
    }

    private static async Task<List<Outcome>> VisitAll(DemoCityServer server, IBrowser browser, string username, List<Visit> visits, string? screenshots, string? docs)
    {
        await using var context = await DemoCityServer.NewContextAsync(browser);
        // The map's tiles come from tile.openstreetmap.org, out of reach here: refused at once instead of waited for.
        await context.RouteAsync("**/tile.openstreetmap.org/**", route => route.AbortAsync());
        var page = await context.NewPageAsync();
        var seen = new List<string>();
        page.PageError += (_, e) => seen.Add("page error: " + e);
        page.Console += (_, m) =>
        {
            if (m.Type != "error") return;
            if (m.Text.StartsWith("Failed to load resource", StringComparison.Ordinal) && (m.Location ?? "").Contains("tile.openstreetmap.org", StringComparison.Ordinal)) return;
            seen.Add($"console error: {m.Text}" + (string.IsNullOrEmpty(m.Location) ? "" : $" ({m.Location})"));
        };
        page.Response += (_, r) =>
        {
            if (r.Status >= 500) seen.Add($"HTTP {r.Status} {r.Request.Method} {new Uri(r.Url).PathAndQuery}");
        };

        var watch = Stopwatch.StartNew();
        await server.SignInConsoleAsync(page, username);
        // Opened before anyone signed in, the console asks whether a session exists: GET /api/auth/console/me answers 401,
        // which Chromium logs as a failed resource. That is the sign-in page's normal start, not a screen's error.
        seen.RemoveAll(s => s.Contains("status of 401", StringComparison.Ordinal) && s.Contains("/api/auth/console/me", StringComparison.Ordinal));
        var outcomes = new List<Outcome>();
        foreach (var visit in visits)
        {
            var problems = new List<string>();
            // The screen shown after signing in is the role's first section: timed from the sign-in.
            var landing = await page.EvaluateAsync<string>("() => decodeURIComponent(location.hash)") == "#/" + visit.Route
                          && outcomes.Count == 0;
            if (!landing)
            {
                seen.Clear();
                await page.EvaluateAsync("() => document.querySelectorAll('h1.screen-title').forEach(h => h.setAttribute('data-tour-seen', ''))");
                watch.Restart();
                if (visit.ByNavigation) await page.Locator($"nav.sections a[data-section='{visit.Route}']").ClickAsync();
                else await page.EvaluateAsync("route => { location.hash = '#/' + route; }", visit.Route);
            }
            try
            {
                await page.WaitForFunctionAsync(Drawn, visit.Route, new PageWaitForFunctionOptions { Timeout = (float)LoadLimit.TotalMilliseconds, PollingInterval = 20 });
            }
            catch (TimeoutException)
            {
                problems.Add($"not drawn within {LoadLimit.TotalSeconds:F0} s (no new title, or still loading)");
            }
            var elapsed = watch.Elapsed;
            await page.WaitForTimeoutAsync(300); // what a screen does just after drawing (a live stream, a second request) shows up too
            foreach (var text in await page.Locator(".problem:not([hidden])").AllInnerTextsAsync())
                problems.Add("problem shown: " + text.ReplaceLineEndings(" ").Trim());
            problems.AddRange(seen);
            seen.Clear();
            if (screenshots is not null)
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, $"{visit.Role}-{visit.Screen}.png"), FullPage = true });
            if (docs is not null && DocsPictures.TryGetValue((visit.Role, visit.Screen), out var picture))
            {
                var height = await page.EvaluateAsync<int>("() => document.documentElement.scrollHeight");
                await page.ScreenshotAsync(new PageScreenshotOptions
                    { Path = Path.Combine(docs, picture), FullPage = true, Clip = new Clip { X = 0, Y = 0, Width = 1280, Height = Math.Min(height, 1300) } });
            }
            outcomes.Add(new Outcome(visit, problems, elapsed, landing));
            Console.Error.WriteLine($"  {visit.Role} {visit.Screen}: {(problems.Count == 0 ? "ok" : string.Join("; ", problems))} ({elapsed.TotalMilliseconds:F0} ms)");
        }
        return outcomes;
    }
}
