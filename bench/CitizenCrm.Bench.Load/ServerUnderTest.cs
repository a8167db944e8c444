using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace CitizenCrm.Bench.Load;

/// <summary>
/// The server as a separate process: the Release build of src/CitizenCrm.Server run with `dotnet &lt;dll&gt;` on a loopback
/// port, on a copy of the given data folder (a benchmark writes; the demo city stays as it was), with a random Twilio
/// auth token so the phone webhooks check real signatures. Its output goes to a log file, not through this process,
/// so reading it costs the client nothing.
/// </summary>
public sealed class ServerUnderTest : IAsyncDisposable
{
    public string BaseUrl { get; }
    public string AuthToken { get; }
    public PreparedData Data { get; }
    public string LogFile { get; }
    public Process Process { get; }
    public TimeSpan StartToReady { get; }

    private ServerUnderTest(Process process, string baseUrl, string authToken, PreparedData data, string logFile, TimeSpan startToReady)
    {
        Process = process;
        BaseUrl = baseUrl;
        AuthToken = authToken;
        Data = data;
        LogFile = logFile;
        StartToReady = startToReady;
    }

    /// <summary>Settings of one benchmark's server, from the shared options (--data, --host, --group-commit, --server-dll, --in-place).</summary>
    public sealed record Settings(string ServerDll, string? SourceData, bool InPlace, string Host, string? GroupCommit, IReadOnlyList<string> Extra,
        IReadOnlyDictionary<string, string> Environment)
    {
        public static Settings From(BenchOptions options)
        {
            var dll = options.Get("server-dll") ?? Path.Combine(RepositoryRoot(), "src", "CitizenCrm.Server", "bin", "Release", "net10.0", "CitizenCrm.Server.dll");
            if (!File.Exists(dll))
                throw new BenchException($"No server build at {dll}. Build it first: dotnet build src/CitizenCrm.Server -c Release");
            var data = options.Get("data");
            if (data is not null)
            {
                data = Path.GetFullPath(data);
                if (!File.Exists(Path.Combine(data, "citizencrm.db")))
                    throw new BenchException($"--data {data} holds no citizencrm.db. Make a demo city first: dotnet run -c Release --project src/CitizenCrm.Server -- demo-city --Database:DataFolder={data}");
                // demo-city leaves this marker (DemoCityGenerator.UnfinishedMarker) while it builds: a copy now would be half a city.
                if (File.Exists(Path.Combine(data, "demo-city.unfinished")))
                    throw new BenchException($"--data {data} is a demo city still being built (demo-city.unfinished is there): wait for it to finish.");
            }
            var groupCommit = options.Get("group-commit");
            if (groupCommit is not (null or "true" or "false"))
                throw new BenchException($"--group-commit takes true or false (the server's Database:GroupCommit), not '{groupCommit}'.");
            // Extra server settings, e.g. --server-setting Database:Synchronous=NORMAL (one; repeat with a comma between).
            var extra = (options.Get("server-setting") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => "--" + s).ToList();
            // Environment variables for the server, e.g. --server-env DOTNET_gcServer=0 (a lever on its RSS), comma-separated.
            var environment = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in (options.Get("server-env") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var eq = pair.IndexOf('=');
                if (eq <= 0) throw new BenchException($"--server-env takes NAME=VALUE pairs separated by commas, not '{pair}'.");
                environment[pair[..eq]] = pair[(eq + 1)..];
            }
            return new Settings(Path.GetFullPath(dll), data, options.Flag("in-place"), options.Host(), groupCommit, extra, environment);
        }
    }

    public static string RepositoryRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "CitizenCRM.sln"))) return dir.FullName;
        throw new BenchException("Run from inside the CitizenCRM repository (no CitizenCRM.sln above this folder), or give --server-dll.");
    }

    /// <summary>A copy of the data folder (or a fresh one) with a benchmark admin in it, ready to start servers on.</summary>
    public static async Task<PreparedData> PrepareDataAsync(Settings settings)
    {
        string folder;
        var owns = true;
        if (settings.SourceData is null)
            folder = Directory.CreateTempSubdirectory("citizencrm-bench-").FullName;
        else if (settings.InPlace)
        {
            folder = settings.SourceData;
            owns = false;
        }
        else
        {
            folder = Directory.CreateTempSubdirectory("citizencrm-bench-").FullName;
            var watch = Stopwatch.StartNew();
            // cp keeps sparse files and uses reflinks where the file system has them (a copy of ten million events is 5 GB).
            await RunAsync("cp", ["-a", "--reflink=auto", "--", settings.SourceData + "/.", folder], TimeSpan.FromMinutes(15));
            Console.Error.WriteLine($"  copied {settings.SourceData} to {folder} in {watch.Elapsed.TotalSeconds:F1} s");
        }
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        // A fresh name each run, so an --in-place folder benchmarked before takes another admin rather than failing.
        var admin = "bench-admin-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant();
        var psi = new ProcessStartInfo("dotnet")
            { WorkingDirectory = Path.GetDirectoryName(settings.ServerDll)!, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { settings.ServerDll, "create-admin", "--username", admin, $"--Database:DataFolder={folder}", "--Staff:PasswordIterations=1000" })
            psi.ArgumentList.Add(a);
        psi.Environment["CITIZENCRM_ADMIN_PASSWORD"] = password;
        await RunAsync(psi, TimeSpan.FromMinutes(5));
        return new PreparedData(folder, admin, password, owns);
    }

    public sealed record PreparedData(string Folder, string AdminUsername, string AdminPassword, bool Owned) : IDisposable
    {
        public void Dispose()
        {
            if (Owned && Folder.Contains("citizencrm-bench-", StringComparison.Ordinal))
                try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
        }
    }

    public static async Task<ServerUnderTest> StartAsync(Settings settings, PreparedData data, CancellationToken ct = default)
    {
        var port = FreePort(settings.Host);
        var baseUrl = $"http://{settings.Host}:{port}";
        var authToken = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        var log = Path.Combine(Path.GetTempPath(), $"citizencrm-bench-server-{port}.log");
        var args = new List<string>
        {
            settings.ServerDll, "--urls", baseUrl, $"--Database:DataFolder={data.Folder}",
            $"--Phone:AuthToken={authToken}", $"--Phone:PublicBaseUrl={baseUrl}",
            // Only the benchmark's own staff accounts are hashed with this: sign-ins are set-up, not what is measured.
            "--Staff:PasswordIterations=1000",
        };
        if (settings.GroupCommit is { } gc) args.Add($"--Database:GroupCommit={gc}");
        args.AddRange(settings.Extra);
        // exec: the shell becomes the server, so the pid is the server's (for VmHWM) and its output goes straight to the file.
        var psi = new ProcessStartInfo("/bin/sh") { WorkingDirectory = Path.GetDirectoryName(settings.ServerDll)!, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("exec dotnet \"$@\" >\"$LOGFILE\" 2>&1");
        psi.ArgumentList.Add("sh");
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["LOGFILE"] = log;
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in settings.Environment) psi.Environment[name] = value;
        var started = Stopwatch.GetTimestamp();
        var process = Process.Start(psi) ?? throw new BenchException("The server process did not start.");
        var ready = await WaitReadyAsync(process, baseUrl, log, TimeSpan.FromSeconds(120), ct);
        var startToReady = Stopwatch.GetElapsedTime(started, ready);
        return new ServerUnderTest(process, baseUrl, authToken, data, log, startToReady);
    }

    /// <summary>Polls /health/ready every 2 ms; returns the timestamp of the first 200.</summary>
    private static async Task<long> WaitReadyAsync(Process process, string baseUrl, string log, TimeSpan limit, CancellationToken ct)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(2) })
            { Timeout = TimeSpan.FromSeconds(10) };
        var uri = new Uri(baseUrl + "/health/ready");
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (process.HasExited)
                throw new BenchException($"The server stopped with exit code {process.ExitCode} before it was ready; its log: {log}\n{Tail(log)}");
            try
            {
                using var response = await client.GetAsync(uri, ct);
                if (response.StatusCode == HttpStatusCode.OK) return Stopwatch.GetTimestamp();
            }
            catch (HttpRequestException) { }
            await Task.Delay(2, ct);
        }
        throw new BenchException($"The server was not ready within {limit.TotalSeconds} s; its log: {log}\n{Tail(log)}");
    }

    private static string Tail(string file)
    {
        try { return string.Join('\n', File.ReadLines(file).TakeLast(15)); } catch (IOException) { return ""; }
    }

    private static int FreePort(string host)
    {
        using var listener = new TcpListener(host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(host.Trim('[', ']')), 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The server's resident set now (VmRSS) and at its peak (VmHWM), in MB, from /proc.</summary>
    public (double Rss, double Peak) Memory()
    {
        var (rss, peak, _) = Status();
        return (rss, peak);
    }

    /// <summary>VmRSS and VmHWM in MB, and the number of threads (a starved thread pool keeps adding them).</summary>
    public (double Rss, double Peak, int Threads) Status()
    {
        try
        {
            double rss = 0, hwm = 0;
            var threads = 0;
            foreach (var line in File.ReadLines($"/proc/{Process.Id}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Kilobytes(line) / 1024.0;
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) hwm = Kilobytes(line) / 1024.0;
                else if (line.StartsWith("Threads:", StringComparison.Ordinal)) threads = int.Parse(line.AsSpan(8).Trim(), CultureInfo.InvariantCulture);
            }
            return (rss, hwm, threads);
        }
        catch (IOException) { return (double.NaN, double.NaN, 0); }
    }

    /// <summary>
    /// The server's CPU time so far (user + system, /proc/&lt;pid&gt;/stat, in clock ticks of 10 ms): CPU per request is a
    /// figure the neighbours' load changes much less than throughput.
    /// </summary>
    public double CpuSeconds()
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{Process.Id}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // After the command name: state is field 3, so utime (14) and stime (15) are at 11 and 12 here.
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (IOException) { return double.NaN; }
    }

    /// <summary>
    /// Resets the peak (VmHWM) to the current RSS (Linux: writing 5 to clear_refs), so each level's peak is its own.
    /// False where the kernel does not allow it; the peak then counts from the server's start.
    /// </summary>
    public bool ResetPeakMemory()
    {
        try
        {
            File.WriteAllText($"/proc/{Process.Id}/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return false; }
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), NumberStyles.None, CultureInfo.InvariantCulture);

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    /// <summary>SIGTERM (a graceful stop, as systemd does), then SIGKILL after 15 s.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            _ = kill(Process.Id, 15);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try { await Process.WaitForExitAsync(timeout.Token); }
            catch (OperationCanceledException) { Process.Kill(entireProcessTree: true); }
        }
        var clean = Process.ExitCode == 0;
        Process.Dispose();
        // The log stays when the server did not stop cleanly: it is where the reason is.
        if (clean) try { File.Delete(LogFile); } catch (IOException) { }
    }

    private static Task<string> RunAsync(string file, string[] args, TimeSpan limit)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        return RunAsync(psi, limit);
    }

    private static async Task<string> RunAsync(ProcessStartInfo psi, TimeSpan limit)
    {
        using var process = Process.Start(psi) ?? throw new BenchException($"{psi.FileName} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new BenchException($"{psi.FileName} {string.Join(' ', psi.ArgumentList.Take(3))} failed ({process.ExitCode}): {await error}");
        return await output;
    }

    public static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
