using System.Net;
using System.Net.Http.Json;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CitizenCrm.Tests.Console;

/// <summary>
/// The console's session over HTTP: the token lives in an HttpOnly, SameSite=Strict cookie, never in a body, and a
/// change signed only by that cookie needs the console's own header (the anti-forgery check), or nothing is written.
/// </summary>
public sealed class ConsoleSessionTests
{
    private CrmTestApp _app = null!;

    [SetUp]
    public async Task Start()
    {
        _app = new CrmTestApp();
        await _app.ClientFor(StaffRole.Clerk); // creates test-clerk
    }

    [TearDown]
    public void Stop() => _app.Dispose();

    private HttpClient Browser() => _app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });

    private static HttpRequestMessage Console(HttpMethod method, string url, object? body = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("X-CitizenCRM-Console", "1");
        return request;
    }

    private async Task<(HttpClient Browser, string Cookie)> SignedIn()
    {
        var browser = Browser();
        var response = await browser.SendAsync(Console(HttpMethod.Post, "/api/auth/console/sign-in", new { username = "test-clerk", password = CrmTestApp.Password }));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var setCookie = response.Headers.GetValues("Set-Cookie").Single();
        return (browser, setCookie);
    }

    [Test]
    public async Task Signing_in_puts_the_token_in_an_HttpOnly_strict_cookie_and_never_in_the_body()
    {
        var browser = Browser();
        var response = await browser.SendAsync(Console(HttpMethod.Post, "/api/auth/console/sign-in", new { username = "test-clerk", password = CrmTestApp.Password }));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var setCookie = response.Headers.GetValues("Set-Cookie").Single();
        Assert.That(setCookie, Does.StartWith("citizencrm_session="));
        Assert.That(setCookie, Does.Contain("; httponly").IgnoreCase);
        Assert.That(setCookie, Does.Contain("; samesite=strict").IgnoreCase);
        Assert.That(setCookie, Does.Contain("; path=/").IgnoreCase);
        var token = setCookie["citizencrm_session=".Length..setCookie.IndexOf(';')];
        Assert.That(token.Length, Is.GreaterThan(30));
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(body, Does.Not.Contain(token));
        Assert.That(body, Does.Contain("\"username\":\"test-clerk\"").And.Contain("\"role\":\"clerk\"").And.Contain("\"displayName\":\"Test Clerk\""));

        var me = await browser.GetAsync("/api/auth/console/me");
        Assert.That(me.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await me.Content.ReadAsStringAsync(), Does.Contain("\"username\":\"test-clerk\""));
        // The session's end, the same as the sign-in said (not a default date).
        var signedInUntil = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("expiresAt").GetDateTimeOffset();
        var meUntil = System.Text.Json.JsonDocument.Parse(await me.Content.ReadAsStringAsync()).RootElement.GetProperty("expiresAt").GetDateTimeOffset();
        Assert.That(meUntil, Is.EqualTo(signedInUntil).Within(TimeSpan.FromMilliseconds(1)), "kept to the millisecond");
        Assert.That(meUntil, Is.GreaterThan(DateTimeOffset.UtcNow));
    }

    [Test]
    public async Task Signing_in_without_the_consoles_header_is_refused()
    {
        var response = await Browser().PostAsJsonAsync("/api/auth/console/sign-in", new { username = "test-clerk", password = CrmTestApp.Password });
        var problem = await response.AssertProblem(HttpStatusCode.Forbidden);
        Assert.That(problem.GetProperty("title").GetString(), Is.EqualTo("Missing anti-forgery header"));
        Assert.That(response.Headers.Contains("Set-Cookie"), Is.False);
    }

    [Test]
    public async Task A_wrong_password_is_refused_in_words_and_sets_no_cookie()
    {
        var response = await Browser().SendAsync(Console(HttpMethod.Post, "/api/auth/console/sign-in", new { username = "test-clerk", password = "wrong-password-1" }));
        Assert.That((int)response.StatusCode, Is.EqualTo(401));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("The user name or password is wrong, or the account is disabled."));
        Assert.That(response.Headers.Contains("Set-Cookie"), Is.False);
    }

    [Test]
    public async Task A_change_signed_only_by_the_cookie_needs_the_consoles_header_or_nothing_is_written()
    {
        var (browser, _) = await SignedIn();
        var cnp = TestData.NewCnp();
        var citizen = new { nationalId = cnp, firstName = "Ana", lastName = "Pop" };

        // A forged form post from another site would come like this: the cookie, without the header.
        var forged = await browser.PostAsJsonAsync("/api/citizens", citizen);
        var problem = await forged.AssertProblem(HttpStatusCode.Forbidden);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("X-CitizenCRM-Console: 1").And.Contain("Nothing was changed."));
        using (var db = _app.OpenDatabase())
        using (var count = db.CreateCommand())
        {
            count.CommandText = "SELECT COUNT(*) FROM citizens";
            Assert.That(Convert.ToInt64(await count.ExecuteScalarAsync()), Is.EqualTo(0));
        }

        // The console's own call, with the header, is accepted; reads need no header.
        var real = await browser.SendAsync(Console(HttpMethod.Post, "/api/citizens", citizen));
        Assert.That(real.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await browser.GetAsync("/api/cases")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        // An API client with a bearer token is not a browser: it needs no such header.
        var api = await _app.ClientFor(StaffRole.Clerk);
        Assert.That((await api.PostAsJsonAsync("/api/citizens", new { nationalId = TestData.NewCnp(), firstName = "Ion", lastName = "Pop" })).StatusCode,
            Is.EqualTo(HttpStatusCode.Created));
    }

    [Test]
    public async Task Signing_out_revokes_the_token_and_removes_the_cookie()
    {
        var (browser, setCookie) = await SignedIn();
        var token = setCookie["citizencrm_session=".Length..setCookie.IndexOf(';')];
        var response = await browser.SendAsync(Console(HttpMethod.Post, "/api/auth/console/sign-out"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(response.Headers.GetValues("Set-Cookie").Single(), Does.StartWith("citizencrm_session=;").And.Contain("expires=Thu, 01 Jan 1970"));

        // The old cookie, replayed by hand, is refused: the token itself was revoked.
        var replay = _app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        replay.DefaultRequestHeaders.Add("Cookie", $"citizencrm_session={token}");
        Assert.That((await replay.GetAsync("/api/auth/console/me")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await browser.GetAsync("/api/auth/console/me")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
