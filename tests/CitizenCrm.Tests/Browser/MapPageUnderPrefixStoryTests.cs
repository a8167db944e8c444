using System.Text.RegularExpressions;
using CitizenCrm.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CitizenCrm.Tests.Browser;

/// <summary>
/// The map page behind a proxy that keeps the path prefix (Server:PathBase=/crm): the page's scripts, its calls to the
/// API and the links it shows all stay under /crm, in Debian's Chromium as in MapPageStoryTests.
/// </summary>
[Category("Browser")]
[NonParallelizable]
public sealed class MapPageUnderPrefixStoryTests
{
    private CrmTestApp _app = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    [SetUp]
    public async Task StartServerAndBrowser()
    {
        var chromium = Environment.GetEnvironmentVariable("CITIZENCRM_CHROMIUM");
        if (string.IsNullOrWhiteSpace(chromium) || !File.Exists(chromium))
            Assert.Ignore("This browser test needs Debian's Chromium: apt-get install -y chromium, then set CITIZENCRM_CHROMIUM=/usr/bin/chromium.");
        _app = new CrmTestApp(settings: new Dictionary<string, string?> { ["Server:PathBase"] = "/crm" });
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium, Headless = true,
            Args = BrowserChecks.ChromiumArgs,
        });
    }

    [TearDown]
    public async Task StopBrowserAndServer()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        _app?.Dispose();
    }

    [Test]
    public async Task A_citizen_reports_through_the_prefix_and_follows_the_link_under_it()
    {
        var server = _app.StartOnLoopback();
        await using var context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 }, Locale = "ro-RO" });
        var page = await context.NewPageAsync();
        var outsidePrefix = new List<string>();
        page.Request += (_, request) =>
        {
            var url = new Uri(request.Url);
            if (url.Authority == server.Authority && !url.AbsolutePath.StartsWith("/crm/", StringComparison.Ordinal)) outsidePrefix.Add(request.Url);
        };

        await page.GotoAsync(new Uri(server, "/crm/map/").ToString());
        await page.Locator("#service_code option[value='pothole']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await page.Locator("#city-map").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#service_code").SelectOptionAsync("pothole");
        await page.GetByLabel("Cât de mare este groapa?").SelectOptionAsync("large");
        await page.GetByLabel("Cât de adâncă este").FillAsync("12");
        await page.GetByLabel("Descrieți problema").FillAsync("Groapă adâncă pe banda dinspre cetate.");
        await page.Locator("#send").ClickAsync();

        await Expect(page.Locator("#registration-number")).ToContainTextAsync("Numărul de înregistrare: 1/2026");
        await Expect(page.Locator("#follow-link")).ToHaveAttributeAsync("href", "/crm/map/r/2026-1");
        await page.Locator("#follow-link").ClickAsync();
        await page.WaitForURLAsync(new Regex("/crm/map/r/2026-1$"));
        await Expect(page.Locator("#report-status")).ToContainTextAsync("deschisă");
        await Expect(page.Locator("a.back")).ToHaveAttributeAsync("href", "/crm/map/");

        Assert.That(outsidePrefix, Is.Empty, "every address the page asked our server for is under /crm");
    }
}
