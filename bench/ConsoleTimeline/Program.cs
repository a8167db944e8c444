using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;
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

sealed class BenchException(string message) : Exception(message);

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
    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    public static async Task<int> RunAsync(Options o)
    {
        var chromium = Environment.GetEnvironmentVariable("CITIZENCRM_CHROMIUM");
        if (string.IsNullOrWhiteSpace(chromium) || !File.Exists(chromium))
            throw new BenchException("Set CITIZENCRM_CHROMIUM to Debian's Chromium (apt-get install -y chromium; /usr/bin/chromium). Browsers are never downloaded.");
        var dll = o.ServerDll ?? Path.Combine(RepositoryRoot(), "src", "CitizenCrm.Server", "bin", "Release", "net10.0", "CitizenCrm.Server.dll");
        if (!File.Exists(dll)) throw new BenchException($"No server build at {dll}. Build it first: dotnet build src/CitizenCrm.Server -c Release");
        if (!File.Exists(Path.Combine(o.Data!, "citizencrm.db")))
            throw new BenchException($"--data {o.Data} holds no citizencrm.db. Make a demo city first (see --help).");
        if (File.Exists(Path.Combine(o.Data!, "demo-city.unfinished")))
            throw new BenchException($"--data {o.Data} is a demo city still being built (demo-city.unfinished is there).");

        var folder = o.Data!;
        if (!o.InPlace)
        {
            folder = Directory.CreateTempSubdirectory("citizencrm-bench-").FullName;
            await Run("cp", TimeSpan.FromMinutes(15), "-a", "--reflink=auto", "--", o.Data + "/.", folder);
            Console.Error.WriteLine($"  copied {o.Data} to {folder}");
        }
        Process? server = null;
        try
        {
            var (citizen, events) = PickCitizen(folder, o.Citizen);
            Console.Error.WriteLine($"  citizen {citizen}: {events} events");
            var admin = "bench-admin-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant();
            var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
            await Run("dotnet", TimeSpan.FromMinutes(5), new Dictionary<string, string> { ["CITIZENCRM_ADMIN_PASSWORD"] = password },
                dll, "create-admin", "--username", admin, $"--Database:DataFolder={folder}", "--Staff:PasswordIterations=1000");

            var port = FreePort();
            var baseUrl = $"http://127.0.0.1:{port}";
            var log = Path.Combine(Path.GetTempPath(), $"citizencrm-bench-console-{port}.log");
            // The console's files are built into the project's wwwroot (a publish copies them beside the dll): the server
            // runs with its content root where they are.
            var contentRoot = new[] { Path.GetDirectoryName(dll)!, Path.Combine(RepositoryRoot(), "src", "CitizenCrm.Server") }
                .FirstOrDefault(d => File.Exists(Path.Combine(d, "wwwroot", "console", "index.html")))
                ?? throw new BenchException("No console built into wwwroot: build the server first (dotnet build src/CitizenCrm.Server -c Release).");
            var psi = new ProcessStartInfo("/bin/sh") { WorkingDirectory = contentRoot, UseShellExecute = false };
            foreach (var a in new[] { "-c", "exec dotnet \"$@\" >\"$LOGFILE\" 2>&1", "sh", dll, "--urls", baseUrl, $"--Database:DataFolder={folder}", "--Staff:PasswordIterations=1000" })
                psi.ArgumentList.Add(a);
            psi.Environment["LOGFILE"] = log;
            psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            server = Process.Start(psi) ?? throw new BenchException("The server did not start.");
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
            await WaitReady(http, server, log);

            // A clerk made by the admin, who signs in through the console's own page.
            var token = (await Json(await http.PostAsJsonAsync("/api/auth/sign-in", new { username = admin, password }), "sign in the admin")).GetProperty("token").GetString();
            var clerk = "bench-clerk-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant();
            using (var create = new HttpRequestMessage(HttpMethod.Post, "/api/staff-users")
                   { Content = JsonContent.Create(new { username = clerk, displayName = "Bench Clerk", role = "clerk", password }) })
            {
                create.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
                await Json(await http.SendAsync(create), "create the clerk");
            }

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Headless = true, Args = ChromiumArgs });
            var context = await browser.NewContextAsync(new BrowserNewContextOptions
                { ViewportSize = new ViewportSize { Width = 1280, Height = 720 }, Locale = "ro-RO", TimezoneId = "Europe/Bucharest" });
            var page = await context.NewPageAsync();
            var errors = new List<string>();
            page.PageError += (_, e) => errors.Add(e);
            await page.GotoAsync(baseUrl + "/console/");
            await page.Locator("input[name='username']").FillAsync(clerk);
            await page.Locator("input[name='password']").FillAsync(password);
            await page.Locator("#sign-in").ClickAsync();
            await page.Locator("#sign-out").WaitForAsync();

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
        finally
        {
            if (server is { HasExited: false })
            {
                server.Kill(entireProcessTree: true);
                await server.WaitForExitAsync();
            }
            if (!o.InPlace && folder.Contains("citizencrm-bench-", StringComparison.Ordinal))
                try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
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

    private static (string Id, int Events) PickCitizen(string folder, string? wanted)
    {
        using var db = new SqliteConnection($"Data Source={Path.Combine(folder, "citizencrm.db")};Mode=ReadOnly");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = wanted is null
            ? "SELECT citizen_id, COUNT(*) FROM timeline WHERE citizen_id IS NOT NULL GROUP BY citizen_id ORDER BY COUNT(*) DESC LIMIT 1"
            : "SELECT citizen_id, COUNT(*) FROM timeline WHERE lower(citizen_id) = $id GROUP BY citizen_id";
        if (wanted is not null) cmd.Parameters.AddWithValue("$id", wanted);
        using var reader = cmd.ExecuteReader();
        if (!reader.Read()) throw new BenchException(wanted is null ? "The data folder has no timeline events." : $"No events for citizen {wanted}.");
        return (reader.GetString(0).ToLowerInvariant(), reader.GetInt32(1));
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response, string what)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new BenchException($"Could not {what}: HTTP {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task WaitReady(HttpClient http, Process server, string log)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(120))
        {
            if (server.HasExited) throw new BenchException($"The server stopped (exit code {server.ExitCode}); its log: {log}");
            try
            {
                if ((await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(50);
        }
        throw new BenchException($"The server was not ready within 120 s; its log: {log}");
    }

    private static async Task Run(string file, TimeSpan limit, params string[] args) => await Run(file, limit, new Dictionary<string, string>(), args);

    private static async Task Run(string file, TimeSpan limit, Dictionary<string, string> environment, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        using var p = Process.Start(psi) ?? throw new BenchException($"{file} did not start.");
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(limit);
        await p.WaitForExitAsync(cts.Token);
        if (p.ExitCode != 0) throw new BenchException($"{file} {args.FirstOrDefault()} failed ({p.ExitCode}): {await error}{await output}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "CitizenCRM.sln"))) return dir.FullName;
        throw new BenchException("Run from inside the CitizenCRM repository, or give --server-dll.");
    }
}
