using CitizenCrm.Tests.Infrastructure;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CitizenCrm.Tests.Cases;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace CitizenCrm.Tests.Notifications;

/// <summary>
/// The SMTP sink the e-mail tests send to: a real SMTP server on loopback that keeps what it receives in a Maildir
/// (Debian's python3-aiosmtpd, started by .ci/start-smtp-sink). Its address and folder come from the environment.
/// </summary>
internal sealed class SmtpSink
{
    private SmtpSink(string host, int port, string maildir) => (Host, Port, Maildir) = (host, port, maildir);

    public string Host { get; }
    public int Port { get; }
    public string Maildir { get; }

    public static SmtpSink Require()
    {
        var address = Environment.GetEnvironmentVariable("CITIZENCRM_SMTP");
        var maildir = Environment.GetEnvironmentVariable("CITIZENCRM_SMTP_MAILDIR");
        if (string.IsNullOrWhiteSpace(address) || string.IsNullOrWhiteSpace(maildir))
            Assert.Ignore("These tests send e-mail to a real SMTP sink on loopback: run `eval \"$(.ci/start-smtp-sink)\"`, which starts " +
                          "Debian's python3-aiosmtpd and sets CITIZENCRM_SMTP=127.0.0.1:2525 and CITIZENCRM_SMTP_MAILDIR=<its Maildir> " +
                          "(see README, Quick start, 'Tests that need a real server or a browser').");
        var colon = address!.LastIndexOf(':');
        return new SmtpSink(address[..colon], int.Parse(address[(colon + 1)..], CultureInfo.InvariantCulture), maildir!);
    }

    /// <summary>Every message the sink holds for this address (each test uses addresses of its own).</summary>
    public List<MimeMessage> MessagesTo(string address) =>
        new[] { "new", "cur" }.Select(d => Path.Combine(Maildir, d)).Where(Directory.Exists)
            .SelectMany(Directory.EnumerateFiles)
            .Select(f => MimeMessage.Load(f))
            .Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase)))
            .ToList();
}

/// <summary>
/// A local stand-in of Twilio's Messages endpoint (POST /2010-04-01/Accounts/{AccountSid}/Messages.json) on Kestrel,
/// answering as Twilio does: 201 with the message resource (sid, status queued), or 400 with Twilio's error body
/// (21211, "not a valid phone number") for <see cref="InvalidNumber"/>, or 503 while <see cref="Down"/>.
/// </summary>
internal sealed class TwilioStandIn : IAsyncDisposable
{
    public const string AccountSid = "AC0123456789abcdef0123456789abcdef", AuthToken = "stand-in-auth-token", From = "+40312345678";
    public const string InvalidNumber = "+40745000000";

    private WebApplication _app = null!;

    public sealed record Received(string Path, string? Authorization, string To, string From, string Body, string Sid);

    public ConcurrentQueue<Received> Messages { get; } = new();
    public string BaseUrl { get; private set; } = "";

    public static async Task<TwilioStandIn> StartAsync()
    {
        var standIn = new TwilioStandIn();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/2010-04-01/Accounts/{sid}/Messages.json", async (string sid, HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            string to = form["To"].ToString(), from = form["From"].ToString(), body = form["Body"].ToString();
            if (to == InvalidNumber)
                return Results.Json(new Dictionary<string, object>
                {
                    ["code"] = 21211, ["message"] = $"The 'To' number {to} is not a valid phone number.",
                    ["more_info"] = "https://www.twilio.com/docs/errors/21211", ["status"] = 400,
                }, statusCode: 400);
            var messageSid = "SM" + Guid.NewGuid().ToString("N");
            standIn.Messages.Enqueue(new Received(request.Path, request.Headers.Authorization.ToString(), to, from, body, messageSid));
            return Results.Json(new Dictionary<string, object?>
            {
                ["sid"] = messageSid, ["account_sid"] = sid, ["to"] = to, ["from"] = from, ["body"] = body, ["status"] = "queued",
                ["num_segments"] = "1", ["direction"] = "outbound-api", ["api_version"] = "2010-04-01",
                ["date_created"] = DateTime.UtcNow.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture),
                ["uri"] = $"/2010-04-01/Accounts/{sid}/Messages/{messageSid}.json",
            }, statusCode: 201);
        });
        await app.StartAsync();
        standIn._app = app;
        standIn.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return standIn;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>
/// A loopback port that refuses connections until <see cref="Open"/>, then forwards each connection to the SMTP sink:
/// a mail server that is down, then back.
/// </summary>
internal sealed class FlakySmtpPort : IDisposable
{
    private readonly SmtpSink _sink;
    private TcpListener? _listener;
    private readonly CancellationTokenSource _stop = new();

    public FlakySmtpPort(SmtpSink sink)
    {
        _sink = sink;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop(); // nothing listens there now: connections are refused
    }

    public int Port { get; }

    public void Open()
    {
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Start();
        _ = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
                catch (Exception) { return; }
                _ = Task.Run(async () =>
                {
                    using var c = client;
                    using var upstream = new TcpClient();
                    await upstream.ConnectAsync(_sink.Host, _sink.Port);
                    var a = c.GetStream();
                    var b = upstream.GetStream();
                    await Task.WhenAny(a.CopyToAsync(b), b.CopyToAsync(a));
                });
            }
        });
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener?.Stop();
    }
}

/// <summary>A registry desk whose server sends e-mail to the sink (when there is one) and SMS to a Twilio stand-in.</summary>
internal static class NotificationDesk
{
    public const string From = "Primăria Exemplu <registratura@primaria-exemplu.ro>";

    public static async Task<RegistryDesk> OpenAsync(TwilioStandIn twilio, SmtpSink? sink, string localTime = "2026-03-02 10:00",
        int? smtpPort = null, IDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Notifications:Email:Host"] = sink?.Host ?? "",
            ["Notifications:Email:Port"] = (smtpPort ?? sink?.Port ?? 25).ToString(CultureInfo.InvariantCulture),
            ["Notifications:Email:Security"] = "None", // the sink speaks plain SMTP on loopback; production defaults to StartTls
            ["Notifications:Email:From"] = From,
            ["Notifications:Email:Timeout"] = "00:00:10",
            ["Notifications:Sms:AccountSid"] = TwilioStandIn.AccountSid,
            ["Notifications:Sms:AuthToken"] = TwilioStandIn.AuthToken,
            ["Notifications:Sms:From"] = TwilioStandIn.From,
            ["Notifications:Sms:BaseUrl"] = twilio.BaseUrl,
        };
        foreach (var (k, v) in more ?? new Dictionary<string, string?>()) settings[k] = v;
        return await RegistryDesk.OpenAsync(localTime, settings);
    }

    public static string NewAddress(string who) => $"{who}.{Guid.NewGuid():N}@exemplu.ro";

    public sealed record Row
    {
        public string Id { get; init; } = "";
        public string Kind { get; init; } = "";
        public string Channel { get; init; } = "";
        public string Status { get; init; } = "";
        public long Attempts { get; init; }
        public long NextAttemptAt { get; init; }
        public long? SentAt { get; init; }
        public long? FailedAt { get; init; }
        public string? LastError { get; init; }
        public string? ProviderId { get; init; }
        public string? ClaimedBy { get; init; }
        public string Language { get; init; } = "";
        public Guid NotificationId => Guid.Parse(Id);
    }

    public static List<Row> Notifications(this RegistryDesk desk, Guid caseId)
    {
        using var db = desk.App.OpenDatabase();
        return db.Query<Row>($"""
            SELECT upper(CAST(id AS VARCHAR(64))) AS Id, kind AS Kind, channel AS Channel, status AS Status, attempts AS Attempts, next_attempt_at AS NextAttemptAt,
                   sent_at AS SentAt, failed_at AS FailedAt, last_error AS LastError, provider_id AS ProviderId, claimed_by AS ClaimedBy,
                   language AS Language
            FROM notifications WHERE case_id = @id ORDER BY created_at, {TestDatabases.InsertionOrder}
            """, new { id = DbKeys.Key(caseId) }).ToList();
    }
}

/// <summary>Tests that send notices: a Twilio stand-in started for each test, and the sender job's name.</summary>
public abstract class TwilioStandInTest
{
    protected const string Sender = "notification-sender";
    private protected TwilioStandIn Twilio { get; private set; } = null!;

    [SetUp]
    public async Task StartTwilio() => Twilio = await TwilioStandIn.StartAsync();

    [TearDown]
    public async Task StopTwilio() => await Twilio.DisposeAsync();
}
