using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Citizens;
using CitizenCrm.Tests.Infrastructure;
using CitizenCrm.Tests.Phone;
using CitizenCrm.Tests.Storage;
using Dapper;
using Npgsql;

namespace CitizenCrm.Tests.Hosting;

/// <summary>
/// Two real server processes on one PostgreSQL database, as two nodes behind a load balancer, started at the same moment
/// on an empty database (so they also migrate together). Any node answers any request: a phone call whose turns go to
/// the nodes in turn, petitions registered on both at once, a document stored through one and fetched through the other,
/// and each scheduled firing of a job taken by one node only (Quartz clustered on the database).
/// Needs CITIZENCRM_POSTGRES (see PostgresScratch); skipped without it.
/// </summary>
[Category("Postgres")]
[NonParallelizable] // two child server processes: they do not share the machine with other classes (Parallelism.cs)
public sealed class TwoNodeTests
{
    private const string Admin = "test-admin", Clerk = "test-clerk";
    /// <summary>The job both nodes schedule every 10 seconds (the shortest interval Jobs.BuildSchedule takes); the others are off.</summary>
    private const string ScheduledJob = CitizenCrm.Core.Notifications.NotificationSenderJob.Name;
    private static readonly TimeSpan JobInterval = TimeSpan.FromSeconds(10);

    private PostgresScratch _database = null!;
    private string? _folder;
    private ServerNode _a = null!, _b = null!;
    private HttpClient _clerkA = null!, _clerkB = null!;

    [OneTimeSetUp]
    public async Task StartTwoNodes()
    {
        _database = await PostgresScratch.CreateAsync("twonode");
        _folder = Path.Combine(Path.GetTempPath(), "citizencrm-tests", "twonode-" + Guid.NewGuid().ToString("N"));
        // The PIN key every node must share (as an administrator gives it to each node), and the files folder they mount.
        var pinKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var files = Path.Combine(_folder, "shared-files");
        Directory.CreateDirectory(files);
        var nodes = await Task.WhenAll(
            ServerNode.StartAsync("a", _folder, _database.ConnectionString, files, pinKey),
            ServerNode.StartAsync("b", _folder, _database.ConnectionString, files, pinKey));
        (_a, _b) = (nodes[0], nodes[1]);

        // The first admin comes from the command line, as in the README; the admin makes the clerk on one node, and the
        // clerk signs in on one node and uses the same token on the other.
        await ServerNode.RunVerbAsync(_folder, _database.ConnectionString, files, pinKey,
            "create-admin", "--username", Admin, "--password", CrmTestApp.Password);
        using var admin = await _a.SignedInAs(Admin);
        var created = await admin.PostAsJsonAsync("/api/staff-users", new { username = Clerk, displayName = "Test clerk", role = "clerk", password = CrmTestApp.Password });
        Assert.That((int)created.StatusCode, Is.EqualTo(201), await created.Content.ReadAsStringAsync());
        _clerkB = await _b.SignedInAs(Clerk);
        _clerkA = _a.WithToken(_clerkB.DefaultRequestHeaders.Authorization!.Parameter!);
    }

    [OneTimeTearDown]
    public async Task StopTwoNodes()
    {
        _clerkA?.Dispose();
        _clerkB?.Dispose();
        if (_a is not null) await _a.DisposeAsync();
        if (_b is not null) await _b.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
        // Skipped without PostgreSQL, the set-up never made a folder: nothing to delete (a failing tear-down would fail the run).
        if (_folder is not null)
            try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Test]
    public async Task A_sign_in_token_made_on_one_node_works_on_the_other()
    {
        var response = await _clerkA.GetAsync("/api/auth/me");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task A_phone_call_whose_turns_alternate_between_the_nodes_goes_on_as_one_call()
    {
        var cnp = TestData.NewCnp(sex: 2);
        var citizen = await _clerkA.RegisterCitizen(cnp, "Ioana", "Pop");
        var pin = await (await _clerkB.PostAsync($"/api/citizens/{citizen.Id}/phone-pin", null)).ReadJson<IssuedPhonePin>();
        using var toA = _a.Anonymous();
        using var toB = _b.Anonymous();
        var call = new TwilioPhone(toA, "CA" + Guid.NewGuid().ToString("N"));

        await call.Dial();                                  // node a
        call.Client = toB;
        var askCnp = await call.Press("1");                 // node b: the language chosen on a
        Assert.That(askCnp.Text, Does.Contain("codul numeric personal"));
        call.Client = toA;
        var askPin = await call.Press(cnp + "#");           // node a
        Assert.That(askPin.Text, Does.Contain("PIN"));
        call.Client = toB;
        var menu = await call.Press(pin.Pin);               // node b: the CNP taken on a, the PIN checked with the shared key
        Assert.That(menu.Text, Does.StartWith("Vă mulțumim, Ioana."));
        call.Client = toA;
        Assert.That((await call.Hangup()).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        await using var db = new NpgsqlConnection(_database.ConnectionString);
        var events = (await db.QueryAsync<(string Kind, string DedupKey)>(
            "SELECT kind, dedup_key FROM timeline WHERE correlation = @Sid ORDER BY seq", new { Sid = call.CallSid })).ToList();
        Assert.That(events.Select(e => e.Kind).Take(2), Is.EqualTo(new[] { "ivr.call_started", "ivr.identity_verified" }));
        Assert.That(events.Take(2).Select(e => e.DedupKey), Is.EqualTo(new[] { $"twilio:{call.CallSid}:0:0", $"twilio:{call.CallSid}:3:1" }));
    }

    [Test]
    public async Task Petitions_registered_on_both_nodes_at_once_take_the_next_fifty_numbers_without_a_gap()
    {
        var citizen = await _clerkA.RegisterCitizen();
        await using var db = new NpgsqlConnection(_database.ConnectionString);
        // Other tests of this class may have registered a petition in the same register and year before this one.
        var before = await db.ExecuteScalarAsync<long?>("SELECT MAX(number) FROM cases") ?? 0;
        var answers = new ConcurrentBag<CaseDetails>();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var senders = Enumerable.Range(0, 50).Select(i => Task.Run(async () =>
        {
            await start.Task;
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/cases")
            {
                Content = JsonContent.Create(new { kind = "petition", channel = "desk", subject = $"Petiția {i:D2}", citizenId = citizen.Id }),
            };
            request.Headers.Add("Idempotency-Key", $"two-nodes-{i:D2}");
            var response = await (i % 2 == 0 ? _clerkA : _clerkB).SendAsync(request);
            Assert.That((int)response.StatusCode, Is.EqualTo(201), await response.Content.ReadAsStringAsync());
            answers.Add(await response.ReadJson<CaseDetails>());
        })).ToList();
        start.SetResult();
        await Task.WhenAll(senders);

        var year = answers.First().RegistrationNumber.Split('/')[1];
        Assert.That(answers.Select(a => a.RegistrationNumber.Split('/')[1]).Distinct(), Is.EqualTo(new[] { year }));
        Assert.That(answers.Select(a => (long)a.Number).Order(), Is.EqualTo(Enumerable.Range(1, 50).Select(n => before + n)));
        var all = (await db.QueryAsync<long>("SELECT number FROM cases ORDER BY number")).AsList();
        Assert.That(all, Is.EqualTo(Enumerable.Range(1, all.Count).Select(n => (long)n)), "gapless from 1 in the register and year");
        Assert.That(await db.ExecuteScalarAsync<long>("SELECT MAX(value) FROM registration_counters"), Is.EqualTo(all.Count));
    }

    [Test]
    public async Task A_document_stored_through_one_node_is_served_by_the_other()
    {
        var citizen = await _clerkA.RegisterCitizen();
        var created = await _clerkA.PostAsJsonAsync("/api/cases", new { kind = "petition", channel = "desk", subject = "Cu act atașat", citizenId = citizen.Id });
        Assert.That((int)created.StatusCode, Is.EqualTo(201), await created.Content.ReadAsStringAsync());
        var petition = await created.ReadJson<CaseDetails>();
        var pdf = "%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"u8.ToArray();
        var content = new ByteArrayContent(pdf);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");

        var stored = await _clerkA.PostAsync($"/api/cases/{petition.Id}/documents?fileName=cerere.pdf", content);
        Assert.That((int)stored.StatusCode, Is.EqualTo(201), await stored.Content.ReadAsStringAsync());
        var fetched = await _clerkB.GetAsync(stored.Headers.Location!.OriginalString);

        Assert.That(fetched.StatusCode, Is.EqualTo(HttpStatusCode.OK), await fetched.Content.ReadAsStringAsync());
        Assert.That(await fetched.Content.ReadAsByteArrayAsync(), Is.EqualTo(pdf));
    }

    [Test]
    public async Task Each_scheduled_firing_of_a_job_runs_on_one_node_only()
    {
        const int firings = 4;
        await using var db = new NpgsqlConnection(_database.ConnectionString);
        const string Runs = "SELECT started_at FROM job_runs WHERE job_name = @Job AND triggered = 'schedule' ORDER BY started_at";
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        List<long> started;
        while ((started = (await db.QueryAsync<long>(Runs, new { Job = ScheduledJob })).AsList()).Count < firings && DateTime.UtcNow < deadline)
            await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.That(started, Has.Count.GreaterThanOrEqualTo(firings), $"{ScheduledJob} runs recorded in job_runs\n{_a.Output()}\n{_b.Output()}");

        // Both nodes are in Quartz's cluster, each under its own instance id; a firing taken by both would show as two runs
        // within milliseconds of each other, where one firing follows the previous one by the whole interval.
        Assert.That(await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM qrtz_scheduler_state"), Is.EqualTo(2));
        var gaps = started.Zip(started.Skip(1), (earlier, later) => later - earlier).ToList();
        Assert.That(gaps, Has.All.GreaterThan((long)(JobInterval.TotalMilliseconds / 2)), $"run starts (UTC ms): {string.Join(", ", started)}\n--- node a ---\n{_a.Output()}\n--- node b ---\n{_b.Output()}");
    }

    /// <summary>`dotnet CitizenCrm.Server.dll` as one node: its own data folder, the shared database, files folder and PIN key.</summary>
    private sealed class ServerNode : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly ConcurrentQueue<string> _output;
        private readonly Uri _address;

        private ServerNode(Process process, ConcurrentQueue<string> output, Uri address) => (_process, _output, _address) = (process, output, address);

        private static readonly string[] OtherJobs = ["PhoneHousekeeping", "DeadlineSweep", "MailboxPoll", "RevenueDropFolder", "StatisticsSnapshot", "DataRetention"];

        private static ProcessStartInfo StartInfo(string folder, string connectionString, string files, string pinKey, IEnumerable<string> args)
        {
            Directory.CreateDirectory(folder);
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
            {
                WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CitizenCrm.Server.dll"));
            foreach (var a in args) start.ArgumentList.Add(a);
            foreach (var a in new[]
                     {
                         "--Database:Provider=Postgres", "--Database:ConnectionString=" + connectionString, "--Database:DataFolder=" + folder,
                         "--Database:FilesFolder=" + files, "--Staff:PasswordIterations=1000",
                         "--Phone:AuthToken=" + TwilioPhone.AuthToken, "--Phone:PublicBaseUrl=" + TwilioPhone.PublicBaseUrl,
                     })
                start.ArgumentList.Add(a);
            foreach (var v in new[] { "ASPNETCORE_URLS", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT" }) start.Environment.Remove(v);
            start.Environment["CITIZENCRM_PIN_KEY"] = pinKey;
            return start;
        }

        public static async Task<ServerNode> StartAsync(string name, string root, string connectionString, string files, string pinKey)
        {
            var args = new List<string> { "--urls", "http://127.0.0.1:0", "--Jobs:RunOnSchedule=true", $"--Jobs:NotificationSender:Schedule={JobInterval:hh\\:mm\\:ss}" };
            args.AddRange(OtherJobs.Select(j => $"--Jobs:{j}:Enabled=false"));
            var start = StartInfo(Path.Combine(root, "node-" + name), connectionString, files, pinKey, args);
            var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            var output = new ConcurrentQueue<string>();
            var process = new Process { StartInfo = start, EnableRaisingEvents = true };
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                output.Enqueue(e.Data);
                if (Regex.Match(e.Data, @"Now listening on: (http://127\.0\.0\.1:\d+)") is { Success: true } m) listening.TrySetResult(m.Groups[1].Value);
            };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
            process.Exited += (_, _) => listening.TrySetException(new AssertionException($"Node {name} exited while starting:\n" + string.Join('\n', output)));
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                return new ServerNode(process, output, new Uri(await listening.Task.WaitAsync(TimeSpan.FromMinutes(2))));
            }
            catch (TimeoutException)
            {
                process.Kill(entireProcessTree: true);
                throw new AssertionException($"Node {name} did not start:\n" + string.Join('\n', output));
            }
        }

        /// <summary>A command-line verb on the same database, to its end.</summary>
        public static async Task RunVerbAsync(string root, string connectionString, string files, string pinKey, params string[] verb)
        {
            using var process = Process.Start(StartInfo(Path.Combine(root, "cli"), connectionString, files, pinKey, verb))!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            Assert.That(process.ExitCode, Is.EqualTo(0), $"{string.Join(' ', verb.Take(1))}:\n{await stdout}\n{await stderr}");
        }

        public string Output() => string.Join('\n', _output);

        public HttpClient Anonymous() => new() { BaseAddress = _address };

        public HttpClient WithToken(string token)
        {
            var client = Anonymous();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return client;
        }

        public async Task<HttpClient> SignedInAs(string username)
        {
            using var client = Anonymous();
            var signIn = await client.PostAsJsonAsync("/api/auth/sign-in", new { username, password = CrmTestApp.Password });
            Assert.That(signIn.StatusCode, Is.EqualTo(HttpStatusCode.OK), await signIn.Content.ReadAsStringAsync() + "\n" + Output());
            return WithToken((await signIn.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("token").GetString()!);
        }

        public ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
            _process.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
