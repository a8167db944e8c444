using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Infrastructure;

namespace CitizenCrm.Tests.Hosting;

/// <summary>
/// Server:PathBase: a proxy passes /crm/... through unchanged, and the server answers under /crm with links that
/// carry the prefix, so a browser or an API client that follows them stays behind the proxy.
/// </summary>
public sealed class PathBaseTests
{
    private CrmTestApp _app = null!;

    [SetUp]
    public void StartServer() => _app = new CrmTestApp(settings: new Dictionary<string, string?> { ["Server:PathBase"] = "/crm" });

    [TearDown]
    public void StopServer() => _app.Dispose();

    [Test]
    public async Task A_load_balancer_finds_the_server_ready_under_the_prefix()
    {
        var response = await _app.CreateClient().GetAsync("/crm/health/ready");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_clerk_signs_in_and_reads_through_the_prefix()
    {
        await _app.ClientFor(StaffRole.Clerk); // creates the account test-clerk
        var signIn = await _app.CreateClient().PostAsJsonAsync("/crm/api/auth/sign-in", new { username = "test-clerk", password = CrmTestApp.Password });
        Assert.That(signIn.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var token = (await signIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;

        var me = await _app.WithToken(token).GetAsync("/crm/api/auth/me");

        Assert.That(me.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await me.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("username").GetString(), Is.EqualTo("test-clerk"));
    }

    [Test]
    public async Task An_account_created_under_the_prefix_is_located_under_the_prefix()
    {
        var admin = await _app.ClientFor(StaffRole.Admin);

        var created = await admin.PostAsJsonAsync("/crm/api/staff-users",
            new { username = "ana", displayName = "Ana", role = "clerk", password = "parola-ana-1" });

        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        Assert.That(created.Headers.Location?.OriginalString, Is.EqualTo($"/crm/api/staff-users/{id}"));
    }

    [Test]
    public async Task The_servers_index_links_under_the_prefix_and_without_it_as_the_request_came()
    {
        var client = _app.CreateClient();

        var prefixed = await client.GetFromJsonAsync<JsonElement>("/crm/");
        var direct = await client.GetFromJsonAsync<JsonElement>("/");

        Assert.That(prefixed.GetProperty("links").GetProperty("health").GetString(), Is.EqualTo("/crm/health/ready"));
        Assert.That(direct.GetProperty("links").GetProperty("health").GetString(), Is.EqualTo("/health/ready"));
    }

    [Test]
    public async Task The_api_description_names_the_server_with_the_prefix_for_try_it_requests()
    {
        var document = await _app.CreateClient().GetFromJsonAsync<JsonElement>("/crm/openapi/v1.json");

        Assert.That(document.GetProperty("servers")[0].GetProperty("url").GetString(), Is.EqualTo("http://localhost/crm"));
    }

    [Test]
    public async Task Twilio_calls_through_the_prefix_and_its_signature_holds_with_the_prefix_in_the_public_url()
    {
        // TwilioPhone's public URL ends in /city, the prefix a proxy passes through here.
        using var app = new CrmTestApp(settings: CitizenCrm.Tests.Phone.TwilioPhone.Settings(new() { ["Server:PathBase"] = "/city" }));
        var proxy = new PassedThroughPrefix("/city");
        var phone = new CitizenCrm.Tests.Phone.TwilioPhone(app.CreateDefaultClient(proxy), "CA" + new string('7', 32));

        var first = await phone.Dial();
        var second = await phone.Silence();

        Assert.That(first.NextUrl, Does.StartWith("https://crm.alba-iulia.example/city/twilio/voice/turn?turn="));
        Assert.That(second.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(proxy.Paths, Is.EqualTo(new[] { "/city/twilio/voice/incoming", "/city/twilio/voice/turn" }));
    }

    /// <summary>What the proxy does when it does not strip: the request reaches the server with the prefix.</summary>
    private sealed class PassedThroughPrefix(string prefix) : DelegatingHandler
    {
        public List<string> Paths { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!;
            request.RequestUri = new Uri(uri, prefix + uri.PathAndQuery);
            Paths.Add(request.RequestUri.AbsolutePath);
            return base.SendAsync(request, cancellationToken);
        }
    }

    [TestCase("/crm/map")]
    [TestCase("/crm/map/")]
    [TestCase("/crm/map/r/2026-154")]
    public async Task The_map_page_under_the_prefix_loads_its_script_and_styles_through_the_prefix(string page)
    {
        var client = _app.CreateClient();

        var html = await client.GetStringAsync(page);

        Assert.That(html, Does.Contain("<meta name=\"citizencrm-root\" content=\"/crm\">"));
        Assert.That(html, Does.Not.Contain("=\"/assets/"));
        var script = Regex.Match(html, "<script type=\"module\" crossorigin src=\"(/crm/assets/map-[^\"]+\\.js)\"").Groups[1].Value;
        var styles = Regex.Match(html, "<link rel=\"stylesheet\" crossorigin href=\"(/crm/assets/map-[^\"]+\\.css)\"").Groups[1].Value;
        Assert.That(script, Is.Not.Empty, html);
        Assert.That(styles, Is.Not.Empty, html);
        var js = await client.GetAsync(script);
        Assert.That(js.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(js.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/javascript"));
        Assert.That((await client.GetAsync(styles)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Without_the_prefix_the_map_page_is_served_as_built()
    {
        var html = await _app.CreateClient().GetStringAsync("/map/");

        Assert.That(html, Does.Contain("<meta name=\"citizencrm-root\" content=\"\">"));
        Assert.That(html, Does.Contain("src=\"/assets/map-"));
    }

    [TestCase("crm", "Server:PathBase: 'crm' is not a path prefix: it must start with '/' (e.g. /crm).")]
    [TestCase("/crm/", "Server:PathBase: '/crm/' is not a path prefix: it must not end with '/' (leave it empty for no prefix) (e.g. /crm).")]
    [TestCase("/", "Server:PathBase: '/' is not a path prefix: it must not end with '/' (leave it empty for no prefix) (e.g. /crm).")]
    [TestCase("/crm?city=alba", "Server:PathBase: '/crm?city=alba' is not a path prefix: it is a path only, without a query or fragment (e.g. /crm).")]
    public void A_bad_prefix_stops_the_start_and_names_the_setting(string value, string message)
    {
        using var app = new CrmTestApp(settings: new Dictionary<string, string?> { ["Server:PathBase"] = value });

        Assert.That(() => app.Server, Throws.InvalidOperationException.With.Message.EqualTo(message));
    }
}
