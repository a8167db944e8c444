using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Infrastructure;
using Dapper;

namespace CitizenCrm.Tests.Storage;

/// <summary>
/// The real server, as a separate process, killed with SIGKILL while 32 writers keep group commit's batches full, then
/// started again on the same files. Whatever was answered must be there exactly once; whatever was not answered is
/// either wholly there or wholly absent (a retry with its Idempotency-Key then settles it); registration numbers stay
/// gapless and each writer's events stay in the order it sent them.
/// </summary>
[NonParallelizable] // a child server process under 32 writers: it does not share the machine with other classes (Parallelism.cs)
[Category("SqliteOnly")] // SQLite's own machinery; the PostgreSQL run leaves it out (.ci/run)
public sealed class GroupCommitKillTests
{
    private const int Writers = 32;

    private sealed record Sent(int Writer, int N, bool Petition)
    {
        public string Key => $"kill-{Writer:D2}-{N:D4}";
    }

    [Test]
    public async Task Killed_mid_batch_the_server_keeps_every_answered_command_once_and_numbers_stay_gapless()
    {
        var folder = Path.Combine(Path.GetTempPath(), "citizencrm-tests", "kill-" + Guid.NewGuid().ToString("N"));
        Guid citizen;
        Directory.CreateDirectory(folder);
        using (var seed = new CrmTestApp())
        {
            var clerk = await seed.ClientFor(StaffRole.Clerk);
            citizen = (await clerk.RegisterCitizen()).Id;
            using var template = seed.OpenDatabase();
            template.Execute("VACUUM INTO @File", new { File = Path.Combine(folder, "citizencrm.db") });
            File.Copy(Path.Combine(seed.DataFolder, "phone-pin.key"), Path.Combine(folder, "phone-pin.key"));
        }

        var answered = new ConcurrentDictionary<string, int>(); // key -> registration number (0 for an interaction)
        var sentOrder = new List<Sent>();
        for (var round = 0; round < 2; round++)
        {
            await using var server = await ChildServer.StartAsync(folder);
            using var client = await server.ClerkAsync();
            var inFlight = 0;
            var stop = new CancellationTokenSource();
            var killNow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var killAfter = 120 + 60 * round;
            var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
            {
                for (var n = round * 10_000; !stop.IsCancellationRequested; n++)
                {
                    var sent = new Sent(w, n, Petition: n % 4 == 0);
                    lock (sentOrder) sentOrder.Add(sent);
                    Interlocked.Increment(ref inFlight);
                    try
                    {
                        // Never cancelled by the test: what is in flight stays in flight until the kill cuts it off.
                        var response = await SendAsync(client, sent, citizen, CancellationToken.None);
                        if (!response.IsSuccessStatusCode) Assert.Fail($"{sent.Key}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                        answered[sent.Key] = sent.Petition ? (await response.ReadJson<CaseDetails>()).Number : 0;
                        if (answered.Count >= killAfter) { stop.Cancel(); killNow.TrySetResult(); }
                    }
                    catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException) { return; }
                    finally { Interlocked.Decrement(ref inFlight); }
                }
            })).ToList();
            await killNow.Task.WaitAsync(TimeSpan.FromMinutes(2));
            var unanswered = Volatile.Read(ref inFlight);
            server.Kill();
            await Task.WhenAll(writers);
            Assert.That(unanswered, Is.GreaterThan(1), "the kill must fall while commands were in flight");
        }

        // After the last kill, straight from the files (the server's recovery is SQLite's: the next open replays the log).
        await using (var server = await ChildServer.StartAsync(folder))
        {
            using var client = await server.ClerkAsync();
            AssertKept(folder, answered, sentOrder, citizen);

            // Every command retried with its key: the answered ones get their first answer back, the others run now or
            // find that they had run. Either way each is there exactly once.
            foreach (var sent in sentOrder)
            {
                var response = await SendAsync(client, sent, citizen, CancellationToken.None);
                Assert.That(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
                if (sent.Petition && answered.TryGetValue(sent.Key, out var number))
                    Assert.That((await response.ReadJson<CaseDetails>()).Number, Is.EqualTo(number), sent.Key);
            }
        }
        AssertKept(folder, answered, sentOrder, citizen);
        using var db = Open(folder);
        foreach (var sent in sentOrder)
            Assert.That(CountWith(db, sent), Is.EqualTo(1), $"{sent.Key} after its retry");
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, Sent sent, Guid citizen, CancellationToken ct)
    {
        var request = sent.Petition
            ? new HttpRequestMessage(HttpMethod.Post, "/api/cases")
                { Content = JsonContent.Create(new { kind = "petition", channel = "desk", subject = sent.Key, citizenId = citizen }) }
            : new HttpRequestMessage(HttpMethod.Post, $"/api/citizens/{citizen}/interactions")
                { Content = JsonContent.Create(new { type = "call_note", channel = "phone", summary = sent.Key }) };
        request.Headers.Add("Idempotency-Key", sent.Key);
        return client.SendAsync(request, ct);
    }

    private static Microsoft.Data.Sqlite.SqliteConnection Open(string folder)
    {
        var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(folder, "citizencrm.db")};Pooling=False");
        db.Open();
        return db;
    }

    private static long CountWith(Microsoft.Data.Sqlite.SqliteConnection db, Sent sent) => sent.Petition
        ? db.ExecuteScalar<long>("SELECT COUNT(*) FROM cases WHERE subject = @Key", new { sent.Key })
        : db.ExecuteScalar<long>("SELECT COUNT(*) FROM timeline WHERE summary = @Key", new { sent.Key });

    private static void AssertKept(string folder, IReadOnlyDictionary<string, int> answered, List<Sent> sentOrder, Guid citizen)
    {
        using var db = Open(folder);
        foreach (var sent in sentOrder)
        {
            var count = CountWith(db, sent);
            if (answered.ContainsKey(sent.Key)) Assert.That(count, Is.EqualTo(1), $"{sent.Key} was answered");
            else Assert.That(count, Is.AnyOf(0L, 1L), $"{sent.Key} was not answered");
        }
        foreach (var (key, number) in answered.Where(a => a.Value > 0))
            Assert.That(db.ExecuteScalar<long>("SELECT number FROM cases WHERE subject = @Key", new { Key = key }), Is.EqualTo(number), key);

        var numbers = db.Query<long>("SELECT number FROM cases ORDER BY number").AsList();
        Assert.That(numbers, Is.EqualTo(Enumerable.Range(1, numbers.Count).Select(i => (long)i)), "gapless");
        Assert.That(db.ExecuteScalar<long>("SELECT MAX(value) FROM registration_counters WHERE register_code = 'general'"), Is.EqualTo(numbers.Count));

        // Each writer sent a command only after the answer to its previous one, so its answered events are in its own
        // order on the timeline. (One that was never answered and is retried later lands later: that is not a reorder.)
        var seqBySummary = db.Query<(string Summary, long Seq)>(
            "SELECT summary AS Summary, seq AS Seq FROM timeline WHERE citizen_id = @Citizen AND summary LIKE 'kill-%'", new { Citizen = citizen })
            .ToDictionary(r => r.Summary, r => r.Seq);
        foreach (var writer in sentOrder.Where(s => !s.Petition).GroupBy(s => s.Writer))
        {
            var seqs = writer.OrderBy(s => s.N).Where(s => answered.ContainsKey(s.Key)).Select(s => seqBySummary[s.Key]).ToList();
            Assert.That(seqs, Is.Ordered.Ascending, $"writer {writer.Key}");
        }
    }

    /// <summary>`dotnet CitizenCrm.Server.dll` on a data folder, on a loopback port it picks itself.</summary>
    private sealed class ChildServer : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly Uri _address;

        private ChildServer(Process process, Uri address) => (_process, _address) = (process, address);

        public static async Task<ChildServer> StartAsync(string folder)
        {
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
            {
                WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            foreach (var a in new[]
                     {
                         Path.Combine(AppContext.BaseDirectory, "CitizenCrm.Server.dll"), "--urls", "http://127.0.0.1:0",
                         "--Database:DataFolder=" + folder, "--Jobs:RunOnSchedule=false", "--Staff:PasswordIterations=1000",
                     })
                start.ArgumentList.Add(a);
            foreach (var v in new[] { "ASPNETCORE_URLS", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT" }) start.Environment.Remove(v);
            var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            var output = new ConcurrentQueue<string>();
            var process = new Process { StartInfo = start };
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                output.Enqueue(e.Data);
                if (Regex.Match(e.Data, @"Now listening on: (http://127\.0\.0\.1:\d+)") is { Success: true } m) listening.TrySetResult(m.Groups[1].Value);
            };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                return new ChildServer(process, new Uri(await listening.Task.WaitAsync(TimeSpan.FromMinutes(2))));
            }
            catch (TimeoutException)
            {
                process.Kill(entireProcessTree: true);
                throw new AssertionException("The server did not start:\n" + string.Join('\n', output));
            }
        }

        public async Task<HttpClient> ClerkAsync()
        {
            var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Writers * 2 }) { BaseAddress = _address };
            var signIn = await client.PostAsJsonAsync("/api/auth/sign-in", new { username = "test-clerk", password = CrmTestApp.Password });
            signIn.EnsureSuccessStatusCode();
            var token = (await signIn.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("token").GetString();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return client;
        }

        /// <summary>SIGKILL: no shutdown, no checkpoint, no flush beyond what each commit already made durable.</summary>
        public void Kill()
        {
            if (_process.HasExited) return;
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        public ValueTask DisposeAsync()
        {
            Kill();
            _process.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
