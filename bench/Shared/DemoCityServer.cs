using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace CitizenCrm.Bench;

/// <summary>A refusal to go on, told to the person running the bench (no stack trace).</summary>
sealed class BenchException(string message) : Exception(message);

/// <summary>
/// The server started as its own process (the built dll, nothing of src/ referenced) on a copy of a demo city's data folder,
/// with an admin made by the <c>create-admin</c> verb, on a free loopback port. Shared by bench/ConsoleTimeline and
/// bench/ConsoleTour (each csproj compiles this file). Disposing stops the server and deletes the copy.
/// </summary>
sealed class DemoCityServer : IAsyncDisposable
{
    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private readonly Process _server;
    private readonly bool _copy;

    private DemoCityServer(Process server, bool copy, string folder, string baseUrl, string log, HttpClient http, string admin, string password)
    {
        _server = server;
        _copy = copy;
        Folder = folder;
        BaseUrl = baseUrl;
        LogFile = log;
        Http = http;
        AdminUsername = admin;
        Password = password;
    }

    /// <summary>The data folder the server runs on (the copy, unless in place).</summary>
    public string Folder { get; }
    public string BaseUrl { get; }
    /// <summary>The server's standard output and error.</summary>
    public string LogFile { get; }
    public HttpClient Http { get; }
    public string AdminUsername { get; }
    /// <summary>The admin's password, also given to the staff accounts made with <see cref="CreateStaffUserAsync"/>.</summary>
    public string Password { get; }

    /// <summary>The server build to run: <paramref name="given"/>, else the first of these configurations that is built.</summary>
    public static string ServerDll(string? given, params string[] configurations)
    {
        if (given is not null) return File.Exists(given) ? given : throw new BenchException($"No server build at {given}.");
        var candidates = configurations.Select(c => Path.Combine(RepositoryRoot(), "src", "CitizenCrm.Server", "bin", c, "net10.0", "CitizenCrm.Server.dll")).ToArray();
        return candidates.FirstOrDefault(File.Exists)
               ?? throw new BenchException($"No server build at {candidates[0]}. Build it first: dotnet build src/CitizenCrm.Server -c {configurations[0]}");
    }

    /// <summary>Copies <paramref name="data"/> (unless <paramref name="inPlace"/>), makes an admin, starts the server and waits until it is ready.</summary>
    public static async Task<DemoCityServer> StartAsync(string data, bool inPlace, string dll, string logName)
    {
        if (!File.Exists(Path.Combine(data, "citizencrm.db")))
            throw new BenchException($"--data {data} holds no citizencrm.db. Make a demo city first (see --help).");
        if (File.Exists(Path.Combine(data, "demo-city.unfinished")))
            throw new BenchException($"--data {data} is a demo city still being built (demo-city.unfinished is there).");
        // The console's files are built into the project's wwwroot (a publish copies them beside the dll): the server
        // runs with its content root where they are.
        var contentRoot = new[] { Path.GetDirectoryName(dll)!, Path.Combine(RepositoryRoot(), "src", "CitizenCrm.Server") }
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "wwwroot", "console", "index.html")))
            ?? throw new BenchException("No console built into wwwroot: build the server first (dotnet build src/CitizenCrm.Server -c Release).");

        var folder = data;
        if (!inPlace)
        {
            folder = Directory.CreateTempSubdirectory("citizencrm-bench-").FullName;
            await Run("cp", TimeSpan.FromMinutes(15), "-a", "--reflink=auto", "--", data + "/.", folder);
            Console.Error.WriteLine($"  copied {data} to {folder}");
        }
        Process? server = null;
        try
        {
            var admin = "bench-admin-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant();
            var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
            await Run("dotnet", TimeSpan.FromMinutes(5), new Dictionary<string, string> { ["CITIZENCRM_ADMIN_PASSWORD"] = password },
                dll, "create-admin", "--username", admin, $"--Database:DataFolder={folder}", "--Staff:PasswordIterations=1000");

            var port = FreePort();
            var baseUrl = $"http://127.0.0.1:{port}";
            var log = Path.Combine(Path.GetTempPath(), $"citizencrm-bench-{logName}-{port}.log");
            var psi = new ProcessStartInfo("/bin/sh") { WorkingDirectory = contentRoot, UseShellExecute = false };
            foreach (var a in new[] { "-c", "exec dotnet \"$@\" >\"$LOGFILE\" 2>&1", "sh", dll, "--urls", baseUrl, $"--Database:DataFolder={folder}", "--Staff:PasswordIterations=1000" })
                psi.ArgumentList.Add(a);
            psi.Environment["LOGFILE"] = log;
            psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            server = Process.Start(psi) ?? throw new BenchException("The server did not start.");
            var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
            await WaitReady(http, server, log);
            return new DemoCityServer(server, !inPlace, folder, baseUrl, log, http, admin, password);
        }
        catch
        {
            await Stop(server);
            if (!inPlace) DeleteCopy(folder);
            throw;
        }
    }

    /// <summary>Signs in through the API (a bearer token), as the admin unless told otherwise.</summary>
    public async Task<string> SignInApiAsync(string? username = null)
    {
        var user = username ?? AdminUsername;
        var answer = await Json(await Http.PostAsJsonAsync("/api/auth/sign-in", new { username = user, password = Password }), $"sign in {user}");
        return answer.GetProperty("token").GetString()!;
    }

    /// <summary>A staff account made by the admin through the API, with <see cref="Password"/>.</summary>
    public async Task CreateStaffUserAsync(string adminToken, string username, string displayName, string role, string? department = null)
    {
        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/staff-users")
            { Content = JsonContent.Create(new { username, displayName, role, password = Password, department }) };
        create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        await Json(await Http.SendAsync(create), $"create the {role} {username}");
    }

    /// <summary>GET with a bearer token, the answer as JSON.</summary>
    public async Task<JsonElement> GetAsync(string token, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await Json(await Http.SendAsync(request), $"GET {path}");
    }

    /// <summary>Signs in on the console's own page (its labels are Romanian, the console's default) and waits for the sign-out button.</summary>
    public async Task SignInConsoleAsync(IPage page, string username)
    {
        await page.GotoAsync(BaseUrl + "/console/");
        await page.GetByLabel("Utilizator", new PageGetByLabelOptions { Exact = true }).FillAsync(username);
        await page.GetByLabel("Parolă", new PageGetByLabelOptions { Exact = true }).FillAsync(Password);
        await page.Locator("#sign-in").ClickAsync();
        await page.Locator("#sign-out").WaitForAsync();
    }

    /// <summary>Debian's Chromium (CITIZENCRM_CHROMIUM), headless; browsers are never downloaded.</summary>
    public static async Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright)
    {
        var chromium = Environment.GetEnvironmentVariable("CITIZENCRM_CHROMIUM");
        if (string.IsNullOrWhiteSpace(chromium) || !File.Exists(chromium))
            throw new BenchException("Set CITIZENCRM_CHROMIUM to Debian's Chromium (apt-get install -y chromium; /usr/bin/chromium). Browsers are never downloaded.");
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Headless = true, Args = ChromiumArgs });
    }

    /// <summary>A fresh browser context (no cookies) as a desk in Cluj would have: 1280×720, Romanian, Bucharest time.</summary>
    public static Task<IBrowserContext> NewContextAsync(IBrowser browser) => browser.NewContextAsync(new BrowserNewContextOptions
        { ViewportSize = new ViewportSize { Width = 1280, Height = 720 }, Locale = "ro-RO", TimezoneId = "Europe/Bucharest" });

    /// <summary>The citizen with the most timeline events (or the one asked for), read from the data folder's database, read-only.</summary>
    public (string Id, int Events) CitizenWithMostEvents(string? wanted = null)
    {
        using var db = new SqliteConnection($"Data Source={Path.Combine(Folder, "citizencrm.db")};Mode=ReadOnly");
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

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Stop(_server);
        if (_copy) DeleteCopy(Folder);
    }

    private static async Task Stop(Process? server)
    {
        if (server is { HasExited: false })
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
        server?.Dispose();
    }

    private static void DeleteCopy(string folder)
    {
        if (folder.Contains("citizencrm-bench-", StringComparison.Ordinal))
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }

    public static async Task<JsonElement> Json(HttpResponseMessage response, string what)
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

    public static async Task Run(string file, TimeSpan limit, params string[] args) => await Run(file, limit, new Dictionary<string, string>(), args);

    public static async Task Run(string file, TimeSpan limit, Dictionary<string, string> environment, params string[] args)
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

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string RepositoryRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "CitizenCRM.sln"))) return dir.FullName;
        throw new BenchException("Run from inside the CitizenCRM repository, or give --server-dll.");
    }
}
