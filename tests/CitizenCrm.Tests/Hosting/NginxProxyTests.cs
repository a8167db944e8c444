using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.RegularExpressions;
using CitizenCrm.Server.Cli;
using CitizenCrm.Tests.Dispatch;
using CitizenCrm.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace CitizenCrm.Tests.Hosting;

/// <summary>
/// docs/deploy/nginx.conf, the example docs/DEPLOYMENT.md gives, run by a real nginx in front of real server processes
/// (the built CitizenCrm.Server.dll): TLS ends at nginx, the server answers under /crm, and what it hands out (Location
/// headers, Open311's discovery URL) is the address the client used, https included. The dispatch stream's events pass
/// through as they are written. SQLite is one node; on PostgreSQL two nodes share the database and the data folder.
/// </summary>
[NonParallelizable] // nginx and child server processes: they do not share the machine with other classes (Parallelism.cs)
[Category("Proxy")]
public sealed class NginxProxyTests
{
    public const string NginxVariable = "CITIZENCRM_NGINX";
    private const string AdminPassword = "ops-admin-password-1", ClerkPassword = "ops-clerk-password-1";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Test, Category("SqliteOnly")]
    public Task One_SQLite_node_behind_nginx_answers_over_https_under_the_prefix() => RunAsync(onPostgres: false);

    // Already run against PostgreSQL itself in CI's SQLite stage (category Postgres: .ci/run leaves it out of the PostgreSQL stage).
    [Test, Category("Postgres")]
    public Task Two_nodes_on_one_PostgreSQL_database_behind_nginx_answer_over_https_under_the_prefix() => RunAsync(onPostgres: true);

    private static async Task RunAsync(bool onPostgres)
    {
        var nginx = Environment.GetEnvironmentVariable(NginxVariable);
        if (string.IsNullOrEmpty(nginx))
            Assert.Ignore($"Set {NginxVariable} to the nginx binary to run the proxy tests. On Debian, as root: " +
                          $"apt-get install -y nginx && export {NginxVariable}=/usr/sbin/nginx (nginx need not be running: the test starts its own).");
        var postgres = onPostgres ? TestDatabases.RequirePostgres() : null;

        var work = Path.Combine(Path.GetTempPath(), "citizencrm-tests", "nginx-" + Guid.NewGuid().ToString("N"));
        var data = Path.Combine(work, "data"); // what every node shares: documents, photos, the PIN key
        Directory.CreateDirectory(data);
        var database = "ops_nginx_" + Guid.NewGuid().ToString("N")[..12];
        List<string> settings = ["--Database:DataFolder=" + data, "--Server:PathBase=/crm", "--Network:KnownProxies:0=127.0.0.1"];
        if (postgres is not null)
        {
            TestDatabases.CreatePostgres(database); // from the suite's migrated template
            settings.AddRange(["--Database:Provider=Postgres", "--Database:ConnectionString=" + TestDatabases.PostgresConnectionString(database)]);
        }
        try
        {
            Assert.That(await CommandLine.RunAsync(["create-admin", "--username", "ops-admin", "--password", AdminPassword,
                "--Staff:PasswordIterations=1000", .. settings]), Is.EqualTo(0));
            SqliteConnection.ClearAllPools();

            await using var first = await ServerProcess.StartAsync(settings);
            await using var second = postgres is null ? null : await ServerProcess.StartAsync(settings);
            var nodes = second is null ? new[] { first.Address, first.Address } : new[] { first.Address, second.Address };
            var certificate = SelfSignedCertificate.Write(Path.Combine(work, "tls"));
            await using var proxy = await NginxProcess.StartAsync(nginx, Path.Combine(work, "nginx"), certificate, nodes);

            using var anonymous = proxy.Client(certificate.Thumbprint);
            var ready = await anonymous.GetAsync("/crm/health/ready");
            Assert.That((ready.StatusCode, await ready.Content.ReadAsStringAsync()), Is.EqualTo((HttpStatusCode.OK, "Healthy")));

            // Plain HTTP is sent to HTTPS.
            using (var plain = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }))
            {
                var redirect = await plain.GetAsync($"http://127.0.0.1:{proxy.HttpPort}/crm/health/ready");
                Assert.That(redirect.StatusCode, Is.EqualTo(HttpStatusCode.MovedPermanently));
                Assert.That(redirect.Headers.Location?.OriginalString, Is.EqualTo("https://127.0.0.1/crm/health/ready"));
            }

            using var admin = proxy.Client(certificate.Thumbprint, await SignInAsync(anonymous, "ops-admin", AdminPassword));
            var created = await admin.PostAsJsonAsync("/crm/api/staff-users",
                new { username = "ops-clerk", displayName = "Ana Pop", role = "clerk", password = ClerkPassword });
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
            var clerkId = (await created.ReadJson<JsonElement>()).GetProperty("id").GetString();
            Assert.That(created.Headers.Location?.OriginalString, Is.EqualTo($"/crm/api/staff-users/{clerkId}"));

            // Signed in once, the token works on whichever node nginx picks (round robin: both, with two nodes).
            using var clerk = proxy.Client(certificate.Thumbprint, await SignInAsync(anonymous, "ops-clerk", ClerkPassword));
            for (var i = 0; i < 4; i++)
            {
                var me = await clerk.GetAsync("/crm/api/auth/me");
                Assert.That(me.StatusCode, Is.EqualTo(HttpStatusCode.OK), await me.Content.ReadAsStringAsync());
                Assert.That((await me.ReadJson<JsonElement>()).GetProperty("username").GetString(), Is.EqualTo("ops-clerk"));
            }

            // Open311 apps are told the endpoint's absolute address: https (X-Forwarded-Proto from the known proxy), the
            // client's host and port (Host passed through), and the prefix.
            var discovery = await (await anonymous.GetAsync("/crm/open311/v2/discovery.json")).ReadJson<JsonElement>();
            Assert.That(discovery.GetProperty("endpoints")[0].GetProperty("url").GetString(),
                Is.EqualTo($"https://127.0.0.1:{proxy.HttpsPort}/crm/open311/v2"));

            // The live stream: its first event arrives through nginx without waiting for a buffer to fill, and so does
            // the change a case registered through nginx makes.
            using var streaming = proxy.Client(certificate.Thumbprint, clerk.DefaultRequestHeaders.Authorization!.Parameter!, prefix: "/crm");
            streaming.Timeout = Patience; // the answer's headers: a buffering proxy holds them back too
            using var stream = await StreamReaderClient.OpenAsync(streaming);
            var opening = await stream.NextAsync(Patience);
            Assert.That(opening.Event, Is.EqualTo("ready"));
            var registered = await clerk.PostAsJsonAsync("/crm/api/cases",
                new { kind = "petition", channel = "email", subject = "Trotuar spart", contact = new { name = "Dan Pop", details = "dan@example.ro" } });
            Assert.That(registered.StatusCode, Is.EqualTo(HttpStatusCode.Created), await registered.Content.ReadAsStringAsync());
            var caseId = (await registered.ReadJson<JsonElement>()).GetProperty("id").GetString();
            Assert.That(registered.Headers.Location?.OriginalString, Is.EqualTo($"/crm/api/cases/{caseId}"));
            var (change, _) = await stream.WaitForAsync(e => e.Event == "change", Patience);
            Assert.That(change.Json.GetProperty("caseId").GetString(), Is.EqualTo(caseId));

            if (second is not null)
                Assert.That(proxy.UpstreamsUsed(), Is.EquivalentTo(new[] { first.Address.Authority, second.Address.Authority }),
                    "nginx sent requests to both nodes");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (postgres is not null) TestDatabases.Drop(database);
            try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static async Task<string> SignInAsync(HttpClient client, string username, string password)
    {
        var signIn = await client.PostAsJsonAsync("/crm/api/auth/sign-in", new { username, password });
        Assert.That(signIn.StatusCode, Is.EqualTo(HttpStatusCode.OK), await signIn.Content.ReadAsStringAsync());
        return (await signIn.ReadJson<JsonElement>()).GetProperty("token").GetString()!;
    }

    /// <summary>A self-signed certificate for 127.0.0.1, written as the two PEM files nginx reads.</summary>
    private sealed record SelfSignedCertificate(string CertificateFile, string KeyFile, string Thumbprint)
    {
        public static SelfSignedCertificate Write(string folder)
        {
            Directory.CreateDirectory(folder);
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
            var files = new SelfSignedCertificate(Path.Combine(folder, "fullchain.pem"), Path.Combine(folder, "privkey.pem"), certificate.Thumbprint);
            File.WriteAllText(files.CertificateFile, certificate.ExportCertificatePem());
            File.WriteAllText(files.KeyFile, key.ExportPkcs8PrivateKeyPem());
            return files;
        }
    }

    /// <summary>
    /// nginx run in the foreground on a folder of its own, with docs/deploy/nginx.conf included as the operator would,
    /// its CHANGE values replaced. A minimal main file around it gives the temp, log and pid paths.
    /// </summary>
    private sealed class NginxProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly string _folder;
        public int HttpPort { get; }
        public int HttpsPort { get; }

        private NginxProcess(Process process, string folder, int httpPort, int httpsPort) =>
            (_process, _folder, HttpPort, HttpsPort) = (process, folder, httpPort, httpsPort);

        public static async Task<NginxProcess> StartAsync(string binary, string folder, SelfSignedCertificate certificate, IReadOnlyList<Uri> nodes)
        {
            Directory.CreateDirectory(folder);
            var (httpPort, httpsPort) = (FreePort(), FreePort());
            var site = Render(File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "deploy", "nginx.conf")), new()
            {
                ["server 10.0.0.11:5080;"] = $"server {nodes[0].Authority};",
                ["server 10.0.0.12:5080;"] = $"server {nodes[1].Authority};",
                ["listen 80;"] = $"listen 127.0.0.1:{httpPort};",
                ["listen 443 ssl;"] = $"listen 127.0.0.1:{httpsPort} ssl;",
                ["/etc/ssl/citizencrm/fullchain.pem"] = certificate.CertificateFile,
                ["/etc/ssl/citizencrm/privkey.pem"] = certificate.KeyFile,
            });
            File.WriteAllText(Path.Combine(folder, "citizencrm.conf"), site);
            // As root, nginx's workers would run as nobody, who cannot write into this folder.
            var user = Environment.UserName == "root" ? "user root;" : "";
            File.WriteAllText(Path.Combine(folder, "nginx.conf"), $$"""
                {{user}}
                worker_processes 1;
                pid {{folder}}/nginx.pid;
                error_log {{folder}}/error.log info;
                events { worker_connections 256; }
                http {
                    log_format upstream '$upstream_addr $request_method $uri $status';
                    access_log {{folder}}/access.log upstream;
                    client_body_temp_path {{folder}}/client_body;
                    proxy_temp_path {{folder}}/proxy;
                    fastcgi_temp_path {{folder}}/fastcgi;
                    uwsgi_temp_path {{folder}}/uwsgi;
                    scgi_temp_path {{folder}}/scgi;
                    include {{folder}}/citizencrm.conf;
                }
                """);
            var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "-p", folder, "-c", Path.Combine(folder, "nginx.conf"), "-e", Path.Combine(folder, "error.log"), "-g", "daemon off;" })
                start.ArgumentList.Add(a);
            var output = new ConcurrentQueue<string>();
            var process = new Process { StartInfo = start };
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var nginx = new NginxProcess(process, folder, httpPort, httpsPort);
            var until = DateTime.UtcNow + TimeSpan.FromMinutes(1);
            while (!await Accepts(httpsPort))
            {
                if (process.HasExited || DateTime.UtcNow > until)
                {
                    await nginx.DisposeAsync();
                    var log = Path.Combine(folder, "error.log");
                    Assert.Fail("nginx did not start:\n" + string.Join('\n', output) + "\n" + (File.Exists(log) ? File.ReadAllText(log) : ""));
                }
                await Task.Delay(100);
            }
            return nginx;
        }

        /// <summary>Each value must be in the example: a test that silently replaced nothing would test nothing.</summary>
        private static string Render(string example, Dictionary<string, string> values)
        {
            foreach (var (from, to) in values)
            {
                Assert.That(example, Does.Contain(from), $"docs/deploy/nginx.conf no longer holds '{from}'");
                example = example.Replace(from, to, StringComparison.Ordinal);
            }
            return example;
        }

        /// <summary>An HTTPS client of this nginx that trusts exactly the test's certificate.</summary>
        public HttpClient Client(string thumbprint, string? token = null, string prefix = "")
        {
            var handler = new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == thumbprint },
            };
            var client = new HttpClient(prefix.Length == 0 ? handler : new Prefixed(prefix) { InnerHandler = handler })
                { BaseAddress = new Uri($"https://127.0.0.1:{HttpsPort}") };
            if (token is not null) client.DefaultRequestHeaders.Authorization = new("Bearer", token);
            return client;
        }

        /// <summary>The node addresses nginx sent requests to, from its access log.</summary>
        public IReadOnlyList<string> UpstreamsUsed() => File.ReadAllLines(Path.Combine(_folder, "access.log"))
            .Select(l => l.Split(' ')[0]).Where(a => a != "-").Distinct().Order(StringComparer.Ordinal).ToList();

        private static async Task<bool> Accepts(int port)
        {
            using var socket = new TcpClient();
            try
            {
                await socket.ConnectAsync(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException) { return false; }
        }

        public ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
            _process.Dispose();
            return ValueTask.CompletedTask;
        }

        private sealed class Prefixed(string prefix) : DelegatingHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
            {
                request.RequestUri = new Uri(request.RequestUri!, prefix + request.RequestUri!.PathAndQuery);
                return base.SendAsync(request, ct);
            }
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CitizenCRM.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("The repository root (CitizenCRM.sln) was not found above the test folder.");
    }
}

/// <summary>
/// The built server (CitizenCrm.Server.dll, copied beside the test assembly) run as its own OS process the way an operator
/// runs it (Production environment, settings on the command line), on a loopback port it picks itself; killed, by its
/// process id, when disposed.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;
    public Uri Address { get; }

    private ServerProcess(Process process, ConcurrentQueue<string> output, Uri address) => (_process, _output, Address) = (process, output, address);

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "CitizenCrm.Server.dll");

    public static async Task<ServerProcess> StartAsync(IEnumerable<string> settings)
    {
        var (process, output) = Launch(["--urls", "http://127.0.0.1:0", "--Jobs:RunOnSchedule=false", "--Staff:PasswordIterations=1000", .. settings]);
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null && Regex.Match(e.Data, @"Now listening on: (http://127\.0\.0\.1:\d+)") is { Success: true } m)
                listening.TrySetResult(new Uri(m.Groups[1].Value));
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var done = await Task.WhenAny(listening.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromMinutes(2)));
        if (done != listening.Task)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            Assert.Fail("The server did not start:\n" + string.Join('\n', output));
        }
        return new ServerProcess(process, output, await listening.Task);
    }

    /// <summary>A command-line verb (backup, migrate, ...) run to its end as its own process: its exit code and what it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunVerbAsync(IEnumerable<string> args)
    {
        var (process, output) = Launch(args);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        process.WaitForExit(); // the redirected output is complete only after this overload
        var code = process.ExitCode;
        process.Dispose();
        return (code, string.Join('\n', output));
    }

    private static (Process, ConcurrentQueue<string>) Launch(IEnumerable<string> args)
    {
        Assert.That(File.Exists(Dll), Is.True, $"the built server is expected at {Dll}");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = Path.GetTempPath(), // no appsettings.json there: the server reads the one beside its dll
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add(Dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var v in new[] { "ASPNETCORE_URLS", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT" }) start.Environment.Remove(v);
        var output = new ConcurrentQueue<string>();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        return (process, output);
    }

    public string Output => string.Join('\n', _output);

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
