using CitizenCrm.Tests.Infrastructure;

namespace CitizenCrm.Tests.Console;

/// <summary>
/// Every answer of the console and the map (the pages, any address under them, and every built asset) carries a
/// strict Content-Security-Policy, nosniff and no-referrer; and the built pages hold no inline script for it to allow.
/// </summary>
public sealed class BrowserPageHeadersTests
{
    private static CrmTestApp _app = null!;
    private static HttpClient _client = null!;

    private const string Policy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob: https://tile.openstreetmap.org; " +
        "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    [OneTimeSetUp]
    public void Start()
    {
        _app = new CrmTestApp();
        _client = _app.CreateClient();
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _client.Dispose();
        _app.Dispose();
    }

    private static string WebRoot()
    {
        var folder = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "CitizenCRM.sln"))) folder = folder.Parent;
        return Path.Combine(folder!.FullName, "src", "CitizenCrm.Server", "wwwroot");
    }

    /// <summary>Every address a browser asks for: the pages, deep links, and each built asset by name.</summary>
    private static IEnumerable<string> Addresses()
    {
        yield return "/console";
        yield return "/console/";
        yield return "/console/anything/below";
        yield return "/map";
        yield return "/map/r/2026-1";
        foreach (var file in Directory.EnumerateFiles(Path.Combine(WebRoot(), "assets")))
            yield return "/assets/" + Path.GetFileName(file);
        yield return "/assets/no-such-file.js";
    }

    [Test]
    public async Task Every_console_map_and_asset_answer_carries_the_security_headers()
    {
        var checkedAssets = 0;
        foreach (var address in Addresses())
        {
            var response = await _client.GetAsync(address);
            var policy = string.Join(",", response.Headers.TryGetValues("Content-Security-Policy", out var v) ? v : []);
            Assert.That(policy, Is.EqualTo(Policy), address);
            Assert.That(policy, Does.Not.Contain("unsafe-inline").And.Not.Contain("unsafe-eval"), address);
            Assert.That(response.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"), address);
            Assert.That(response.Headers.GetValues("Referrer-Policy").Single(), Is.EqualTo("no-referrer"), address);
            if (address.StartsWith("/assets/") && address != "/assets/no-such-file.js")
            {
                Assert.That((int)response.StatusCode, Is.EqualTo(200), address);
                checkedAssets++;
            }
        }
        Assert.That(checkedAssets, Is.GreaterThanOrEqualTo(4), "the console's and the map's scripts and styles were among them");
    }

    [Test]
    public async Task The_console_page_is_served_at_every_address_below_it_with_no_inline_script()
    {
        var response = await _client.GetAsync("/console/anything/below");
        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        Assert.That(response.Content.Headers.ContentType!.ToString(), Is.EqualTo("text/html; charset=utf-8"));
        var html = await response.Content.ReadAsStringAsync();
        Assert.That(html, Does.Contain("<title>Consola personalului — CitizenCRM</title>"));
        // Every script is a file of our own origin: a <script> without src would be refused by the policy anyway.
        var scripts = System.Text.RegularExpressions.Regex.Matches(html, "<script[^>]*>");
        Assert.That(scripts, Is.Not.Empty);
        Assert.That(scripts.Select(m => m.Value), Has.All.Match(@"src=""/assets/console-[\w-]+\.js"""));
        Assert.That(html, Does.Not.Contain(" style=").And.Not.Contain(" onclick=").And.Not.Contain("http://").And.Not.Contain("https://"));
    }
}
