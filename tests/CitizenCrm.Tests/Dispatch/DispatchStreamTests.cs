using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Infrastructure;

namespace CitizenCrm.Tests.Dispatch;

/// <summary>One server-sent event: its id (the timeline's seq), its name and its data line.</summary>
public sealed record ServerSentEvent(long? Id, string Event, string Data)
{
    public JsonElement Json => JsonSerializer.Deserialize<JsonElement>(Data);
}

/// <summary>A client of GET /api/dispatch/stream, the way a fetch-based SSE client reads it: token in the header.</summary>
public sealed class StreamReaderClient : IDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;
    public List<string> Comments { get; } = [];

    private StreamReaderClient(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _reader = new StreamReader(body);
    }

    public static async Task<StreamReaderClient> OpenAsync(HttpClient client, long? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/dispatch/stream");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is { } id) request.Headers.Add("Last-Event-ID", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/event-stream"));
        return new StreamReaderClient(response, await response.Content.ReadAsStreamAsync());
    }

    public async Task<ServerSentEvent> NextAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        long? id = null;
        string name = "message", data = "";
        while (true)
        {
            var line = await _reader.ReadLineAsync(cts.Token) ?? throw new EndOfStreamException("the stream ended");
            if (line.Length == 0)
            {
                if (data.Length > 0 || id is not null) return new ServerSentEvent(id, name, data);
                continue;
            }
            if (line.StartsWith(':')) { Comments.Add(line); continue; }
            var colon = line.IndexOf(':');
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "id": id = long.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                case "event": name = value; break;
                case "data": data += value; break;
            }
        }
    }

    /// <summary>Reads events until one matches, within the time given, and returns it with when it arrived.</summary>
    public async Task<(ServerSentEvent Event, DateTime ArrivedUtc)> WaitForAsync(Func<ServerSentEvent, bool> match, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            var left = until - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException("no matching event in time");
            var e = await NextAsync(left);
            if (match(e)) return (e, DateTime.UtcNow);
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        _response.Dispose();
    }
}

// Not beside another class: it runs a second server process and waits on its timing.
[NonParallelizable]
public sealed class DispatchStreamTests : DispatchTest
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Test]
    public async Task A_change_committed_by_a_second_server_process_reaches_this_servers_open_stream_within_a_second()
    {
        using var stream = await StreamReaderClient.OpenAsync(Dispatcher);
        var ready = await stream.NextAsync(Patience);
        Assert.That(ready.Event, Is.EqualTo("ready"));

        using var other = await SecondServer.StartAsync(App.DataFolder);
        using var http = new HttpClient { BaseAddress = other.BaseAddress };
        var signIn = await http.PostAsJsonAsync("/api/auth/sign-in", new { username = "test-clerk", password = CrmTestApp.Password });
        Assert.That(signIn.StatusCode, Is.EqualTo(HttpStatusCode.OK), await signIn.Content.ReadAsStringAsync());
        http.DefaultRequestHeaders.Authorization = new("Bearer", (await signIn.ReadJson<JsonElement>()).GetProperty("token").GetString());
        var registered = await http.PostAsJsonAsync("/api/cases", new { kind = "petition", channel = "email", subject = "Trotuar spart", contact = new { name = "Dan Pop", details = "dan@example.ro" } });
        var committed = DateTime.UtcNow;
        Assert.That(registered.StatusCode, Is.EqualTo(HttpStatusCode.Created), await registered.Content.ReadAsStringAsync());
        var number = (await registered.ReadJson<CaseDetails>()).RegistrationNumber;

        var (change, arrived) = await stream.WaitForAsync(e => e.Event == "change", Patience);

        var data = change.Json;
        Assert.That((data.GetProperty("kind").GetString(), data.GetProperty("registrationNumber").GetString(), data.GetProperty("channel").GetString(), data.GetProperty("actor").GetString()),
            Is.EqualTo(("case.registered", number, "email", "test-clerk")));
        Assert.That(change.Id, Is.EqualTo(data.GetProperty("seq").GetInt64()));
        Assert.That(change.Id, Is.GreaterThan(ready.Id!.Value));
        TestContext.Out.WriteLine($"the change arrived {(arrived - committed).TotalMilliseconds:F0} ms after the other process answered");
        // The stream polls the database every 250 ms; a second leaves room for a busy machine.
        Assert.That(arrived - committed, Is.LessThan(TimeSpan.FromSeconds(1)));
    }

    [Test]
    public async Task A_client_reconnecting_with_Last_Event_ID_gets_every_change_after_it_and_nothing_before()
    {
        long start;
        using (var first = await StreamReaderClient.OpenAsync(Dispatcher))
            start = (await first.NextAsync(Patience)).Id!.Value;

        // While the screen is away: three cases, and a citizen's registration (not about the queue, not sent).
        var ion = await Clerk.RegisterCitizen();
        var a = await Petition(ion.Id);
        var b = await Unmatched();
        await Clerk.RegisterCitizen(firstName: "Vasile");
        var c = await Petition(ion.Id);

        using var again = await StreamReaderClient.OpenAsync(Dispatcher, start);
        var events = new List<ServerSentEvent>();
        while (events.Count < 4) events.Add(await again.NextAsync(Patience));

        Assert.That(events[0].Event, Is.EqualTo("ready"));
        Assert.That(events[0].Id, Is.EqualTo(start));
        Assert.That(events.Skip(1).Select(e => e.Json.GetProperty("registrationNumber").GetString()), Is.EqualTo(new[] { "1/2026", "2/2026", "3/2026" }));
        Assert.That(events.Skip(1).Select(e => e.Json.GetProperty("caseId").GetGuid()), Is.EqualTo(new[] { a.Id, b.Id, c.Id }));
        var seqs = events.Skip(1).Select(e => e.Id!.Value).ToList();
        Assert.That(seqs, Is.Ordered.Ascending);
        // Only what the queue shows: ids, kinds, numbers and who acted — no names, no summaries.
        Assert.That(events[1].Json.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[]
            { "seq", "kind", "channel", "caseId", "registrationNumber", "callSid", "actor", "occurredAt" }));
        Assert.That(events.Select(e => e.Data), Has.None.Contain("Popescu").And.None.Contain("Ionescu"));

        // Reconnecting from the middle one: only the last.
        using var third = await StreamReaderClient.OpenAsync(Dispatcher, seqs[1]);
        Assert.That((await third.NextAsync(Patience)).Event, Is.EqualTo("ready"));
        var next = await third.NextAsync(Patience);
        Assert.That((next.Id, next.Json.GetProperty("registrationNumber").GetString()), Is.EqualTo(((long?)seqs[2], "3/2026")));
    }

    [Test]
    public async Task An_idle_stream_gets_heartbeat_comments_so_proxies_keep_it_open()
    {
        using var stream = await StreamReaderClient.OpenAsync(Dispatcher);
        await stream.NextAsync(Patience); // ready

        var waited = Task.Run(async () => { try { await stream.NextAsync(TimeSpan.FromSeconds(3)); } catch (OperationCanceledException) { } });
        await waited;

        Assert.That(stream.Comments, Does.Contain(": heartbeat"));
    }

    [Test]
    public async Task The_api_document_describes_the_stream_as_server_sent_events_for_signed_in_staff()
    {
        var document = await Api.ApiDocument.ReadAsync(App);
        var stream = document.GetProperty("paths").GetProperty("/api/dispatch/stream").GetProperty("get");

        Assert.That(stream.GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("text/event-stream", out _), Is.True);
        Assert.That(stream.GetProperty("responses").TryGetProperty("406", out _), Is.True);
        Assert.That(stream.GetProperty("security")[0].TryGetProperty("Bearer", out _), Is.True);
    }

    [Test]
    public async Task The_stream_answers_406_to_a_client_that_does_not_ask_for_events_and_400_to_a_bad_Last_Event_ID()
    {
        var plain = await Dispatcher.GetAsync("/api/dispatch/stream");
        Assert.That((await plain.AssertProblem(HttpStatusCode.NotAcceptable)).GetProperty("detail").GetString(), Does.Contain("Accept: text/event-stream"));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/dispatch/stream");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.Add("Last-Event-ID", "yesterday");
        await (await Dispatcher.SendAsync(request)).AssertProblem(HttpStatusCode.BadRequest);

        using var anonymous = new HttpRequestMessage(HttpMethod.Get, "/api/dispatch/stream");
        anonymous.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        Assert.That((await App.CreateClient().SendAsync(anonymous)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}

/// <summary>
/// The built server (CitizenCrm.Server.dll, copied beside the test assembly by the project reference) run as another OS
/// process on the same data folder, on a free port; stopped (its process tree, by id) when disposed.
/// </summary>
public sealed class SecondServer : IDisposable
{
    private readonly Process _process;
    public Uri BaseAddress { get; }

    private SecondServer(Process process, Uri address)
    {
        _process = process;
        BaseAddress = address;
    }

    public static async Task<SecondServer> StartAsync(string dataFolder)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "CitizenCrm.Server.dll");
        Assert.That(File.Exists(dll), Is.True, $"the built server is expected at {dll}");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = dataFolder, // no appsettings.json there: the server reads the one beside its dll
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { dll, "--urls", "http://127.0.0.1:0", $"--Database:DataFolder={dataFolder}", "--Jobs:RunOnSchedule=false",
                                    "--Staff:PasswordIterations=1000", "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information" })
            start.ArgumentList.Add(arg);
        if (TestDatabases.Suite != CitizenCrm.Core.Storage.DatabaseProvider.Sqlite) // the test server's own database: a second node of it
        {
            start.ArgumentList.Add("--Database:Provider=" + TestDatabases.Suite);
            start.ArgumentList.Add("--Database:ConnectionString=" + TestDatabases.ServerConnectionString(TestDatabases.ServerDatabaseFor(dataFolder)));
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        var process = Process.Start(start)!;
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            output.Enqueue(e.Data);
            var at = e.Data.IndexOf("Now listening on: ", StringComparison.Ordinal);
            if (at >= 0) listening.TrySetResult(new Uri(e.Data[(at + "Now listening on: ".Length)..].Trim()));
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var done = await Task.WhenAny(listening.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(90)));
        if (done != listening.Task)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            Assert.Fail("the second server did not start:\n" + string.Join("\n", output));
        }
        return new SecondServer(process, await listening.Task);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
    }
}
