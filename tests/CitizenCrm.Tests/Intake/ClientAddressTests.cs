using System.Net;
using System.Net.Http.Json;
using CitizenCrm.Tests.Infrastructure;
using Dapper;

namespace CitizenCrm.Tests.Intake;

/// <summary>
/// The client's address behind a reverse proxy, over real sockets (Kestrel on a loopback port, so the direct peer is
/// 127.0.0.1 or ::1 as it would be for nginx on the same host): X-Forwarded-For counts only from a known proxy, for the
/// web form's limit and for sign-in throttling alike.
/// </summary>
public sealed class ClientAddressTests
{
    private CrmTestApp _app = null!;

    [TearDown]
    public void StopServer() => _app.Dispose();

    private HttpClient Start(params string[] knownProxies)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Intake:Web:PermitLimit"] = "2",
            ["Staff:MaxFailuresPerAddress"] = "2",
            ["Staff:MaxFailuresPerUser"] = "100",
        };
        for (var i = 0; i < knownProxies.Length; i++) settings[$"Network:KnownProxies:{i}"] = knownProxies[i];
        _app = new CrmTestApp(settings: settings);
        _app.UseKestrel(0);
        _app.StartServer();
        return _app.CreateClient();
    }

    private static Task<HttpResponseMessage> SendFrom(HttpClient client, string forwardedFor, string subject = "Groapă")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/public/requests")
        {
            Content = JsonContent.Create(new { kind = "petition", name = "Maria Ionescu", email = "maria@example.ro", subject }),
        };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return client.SendAsync(request);
    }

    private static Task<HttpResponseMessage> SignInFrom(HttpClient client, string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/sign-in") { Content = JsonContent.Create(new { username = "nobody", password = "wrong-password" }) };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return client.SendAsync(request);
    }

    [Test]
    public async Task A_spoofed_forwarded_for_from_an_unknown_peer_does_not_escape_the_web_forms_limit()
    {
        var client = Start(); // no known proxies: the direct peer is the client, whatever the header says

        var statuses = new List<HttpStatusCode>();
        for (var i = 1; i <= 4; i++) statuses.Add((await SendFrom(client, $"203.0.113.{i}")).StatusCode);

        Assert.That(statuses, Is.EqualTo(new[] { HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests }));
    }

    [Test]
    public async Task Behind_a_known_proxy_each_forwarded_client_has_its_own_limit_and_a_forged_left_part_is_ignored()
    {
        var client = Start("127.0.0.1", "::1");

        Assert.That((await SendFrom(client, "203.0.113.1")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await SendFrom(client, "203.0.113.1")).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await SendFrom(client, "203.0.113.1")).StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        // The proxy appends the address it saw; what the client wrote to the left of it is not believed.
        Assert.That((await SendFrom(client, "198.51.100.9, 203.0.113.1")).StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That((await SendFrom(client, "203.0.113.2")).StatusCode, Is.EqualTo(HttpStatusCode.Created), "another citizen behind the same proxy");
    }

    [Test]
    public async Task Sign_in_throttling_counts_the_forwarded_client_behind_a_known_proxy()
    {
        var client = Start("127.0.0.1", "::1");

        Assert.That((await SignInFrom(client, "203.0.113.7")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await SignInFrom(client, "203.0.113.7")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var third = await SignInFrom(client, "203.0.113.7");
        Assert.That(third.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That((await SignInFrom(client, "203.0.113.8")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "another client is not locked out with the first");

        using var db = _app.OpenDatabase();
        Assert.That(db.Query<string>("SELECT address FROM login_failures ORDER BY id"), Is.EqualTo(new[] { "203.0.113.7", "203.0.113.7", "203.0.113.8" }));
    }

    [Test]
    public async Task Sign_in_throttling_ignores_a_forwarded_for_from_an_unknown_peer()
    {
        var client = Start();

        await SignInFrom(client, "203.0.113.7");
        await SignInFrom(client, "203.0.113.8");
        var third = await SignInFrom(client, "203.0.113.9");

        Assert.That(third.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "three addresses named, one peer: the peer is throttled");
        using var db = _app.OpenDatabase();
        Assert.That(db.Query<string>("SELECT DISTINCT address FROM login_failures").Single(), Is.AnyOf("127.0.0.1", "::1", "::ffff:127.0.0.1"));
    }
}
