using System.Text.RegularExpressions;
using CitizenCrm.Tests.Infrastructure;
using CitizenCrm.Tests.Map.PublicReports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CitizenCrm.Tests.Browser;

/// <summary>
/// The public map page in a real browser: Debian's Chromium, headless, driven by Playwright, against the server on a
/// loopback port. The browser is never downloaded: it is the one at CITIZENCRM_CHROMIUM. Each screen is saved as a
/// screenshot (attached to the test result and kept under the test output's browser-screenshots/ folder).
/// </summary>
[Category("Browser")]
[NonParallelizable]
public sealed partial class MapPageStoryTests
{
    private CrmTestApp _app = null!;
    private Uri _server = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private string _shots = null!;
    private int _shotNumber;

    [SetUp]
    public async Task StartServerAndBrowser()
    {
        var chromium = Environment.GetEnvironmentVariable("CITIZENCRM_CHROMIUM");
        if (string.IsNullOrWhiteSpace(chromium) || !File.Exists(chromium))
            Assert.Ignore("This browser test needs Debian's Chromium: apt-get install -y chromium, then set CITIZENCRM_CHROMIUM=/usr/bin/chromium " +
                          "(see README, Quick start, 'Tests that need a real server or a browser'). Browsers cannot be downloaded here; never run 'playwright install'.");
        _app = new CrmTestApp();
        _server = _app.StartOnLoopback();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Headless = true, Args = BrowserChecks.ChromiumArgs });
        _shots = Path.Combine(TestContext.CurrentContext.WorkDirectory, "browser-screenshots", TestContext.CurrentContext.Test.Name);
        if (Directory.Exists(_shots)) Directory.Delete(_shots, recursive: true);
        Directory.CreateDirectory(_shots);
        _shotNumber = 0;
    }

    [TearDown]
    public async Task StopBrowserAndServer()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        _app?.Dispose();
    }

    private async Task Screenshot(IPage page, string name)
    {
        var file = Path.Combine(_shots, $"{++_shotNumber:00}-{name}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
        TestContext.AddTestAttachment(file, name);
    }

    /// <summary>Every WCAG 2.1 A/AA violation axe-core finds on the page (the map is held to all of them).</summary>
    private static Task<IReadOnlyList<string>> AccessibilityViolations(IPage page) => BrowserChecks.AxeViolations(page, seriousOnly: false);

    [Test]
    public async Task A_citizen_reports_a_pothole_with_a_photo_sees_it_on_the_map_and_follows_it_by_its_link()
    {
        await using var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 }, Locale = "ro-RO", TimezoneId = "Europe/Bucharest",
        });
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        var elsewhere = new List<string>();
        page.Console += (_, message) =>
        {
            // Failed loads are expected here: no internet for the tiles, and the feed may be missing on a branch. A CSP refusal is not.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal)) problems.Add(message.Text);
        };
        page.PageError += (_, error) => problems.Add(error);
        page.Request += (_, request) =>
        {
            var url = new Uri(request.Url);
            if (url.Scheme is "http" or "https" && url.Authority != _server.Authority) elsewhere.Add(request.Url);
        };

        // The map, with the city's services to choose from.
        await page.GotoAsync(new Uri(_server, "/map").ToString());
        await page.Locator("#service_code option[value='pothole']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await Expect(page.Locator("#city-map.leaflet-container")).ToBeVisibleAsync();
        await Expect(page.Locator("#incidents-status")).Not.ToBeEmptyAsync();
        await Screenshot(page, "map");

        // A click on the map places the point. Without a mouse: the arrow keys move the map and Enter puts the point at
        // its centre; the button does the same. The map opens on the Citadel, 46.0686, 23.5702.
        await page.Locator("#city-map").ClickAsync(new LocatorClickOptions { Position = new Position { X = 300, Y = 300 } });
        await Expect(page.Locator("#point-text")).ToContainTextAsync("Locul ales");
        await Expect(page.Locator("#point-text")).Not.ToContainTextAsync("46.06860, 23.57020");
        await page.Locator("#city-map").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#point-text")).ToContainTextAsync("46.06860, 23.57020");
        await page.Keyboard.PressAsync("ArrowRight");
        await page.WaitForTimeoutAsync(600); // Leaflet's pan animation (0.25 s), as a person waits to see the map move
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#point-text")).Not.ToContainTextAsync("23.57020");
        // Back again, and the button: the centre within a pixel (Leaflet rounds the map's pixel origin), about 5 m.
        await page.Keyboard.PressAsync("ArrowLeft");
        await page.WaitForTimeoutAsync(600);
        await page.Locator("#place-centre").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#point-text")).ToContainTextAsync(new Regex(@"46\.068[56]\d, 23\.570[12]\d"));

        // The service, its questions, the description, a photo, and a name (optional).
        await page.Locator("#service_code").SelectOptionAsync("pothole");
        await Expect(page.Locator("label[for='q-size']")).ToContainTextAsync("Cât de mare este groapa?");
        await page.GetByLabel("Cât de mare este groapa?").SelectOptionAsync("large");
        await page.GetByLabel("Cât de adâncă este").FillAsync("12");
        await page.GetByLabel("Descrieți problema").FillAsync("Groapă adâncă pe banda dinspre cetate.");
        await page.Locator("#address_string").FillAsync("Str. Mihai Viteazul 12");
        await page.Locator("#photo").SetInputFilesAsync(new FilePayload { Name = "groapa.jpg", MimeType = "image/jpeg", Buffer = MapPageReportTests.SmallJpeg() });
        await page.GetByLabel("Nume").FillAsync("Maria Ionescu");
        await Screenshot(page, "report-filled");
        Assert.That(await AccessibilityViolations(page), Is.Empty, "the map and the filled-in form");

        await page.Locator("#send").ClickAsync();
        await Expect(page.Locator("#registration-number")).ToContainTextAsync("Numărul de înregistrare: 1/2026");
        await Expect(page.Locator("#follow-link")).ToHaveAttributeAsync("href", "/map/r/2026-1");
        await Expect(page.Locator("#report-done")).ToContainTextAsync("vor fi publicate după verificare");
        await Screenshot(page, "registered");
        Assert.That(await AccessibilityViolations(page), Is.Empty, "the receipt");

        // The report is on the map, and its marker opens a popup with the same link.
        var marker = page.Locator(".incident-marker[title^='2026-1 ']");
        await Expect(marker).ToBeVisibleAsync();
        await marker.ClickAsync();
        await Expect(page.Locator(".leaflet-popup-content")).ToContainTextAsync("Groapă în carosabil");
        await Expect(page.Locator(".leaflet-popup")).ToHaveCSSAsync("opacity", "1"); // after Leaflet's fade-in
        await Screenshot(page, "marker");

        // Following the link shows the report and where it stands.
        await page.Locator("#follow-link").ClickAsync();
        await page.WaitForURLAsync(new Regex("/map/r/2026-1$"));
        await Expect(page.Locator("#report-status")).ToContainTextAsync("deschisă");
        await Expect(page.Locator("#report-status")).ToContainTextAsync("Înregistrată, în așteptarea repartizării.");
        await Expect(page.Locator(".updates")).ToContainTextAsync("Sesizare înregistrată.");
        await Expect(page.Locator("#photos-waiting")).ToContainTextAsync("1 fotografie(i) așteaptă verificarea");
        await Screenshot(page, "report-page");
        Assert.That(await AccessibilityViolations(page), Is.Empty, "the report's page");

        // Back on the map, opened afresh: the report now comes from the public feed itself.
        await page.Locator("a.back").ClickAsync();
        await Expect(page.Locator(".incident-marker.open[title^='2026-1 ']")).ToBeVisibleAsync();
        await Expect(page.Locator("#incidents-status")).ToHaveTextAsync("O sesizare pe hartă.");
        await page.GoBackAsync();
        await Expect(page.Locator("#report-status")).ToContainTextAsync("deschisă");

        // In English, and on a phone's screen.
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "English" }).ClickAsync();
        await Expect(page.Locator("#report-status")).ToContainTextAsync("Registered, waiting to be assigned.");
        await Expect(page.Locator("header h1")).ToHaveTextAsync("Reported problems map");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await page.SetViewportSizeAsync(390, 844);
        await Screenshot(page, "report-page-en-phone");

        Assert.That(problems, Is.Empty, "errors in the page (a Content-Security-Policy refusal shows here)");
        Assert.That(elsewhere.Where(u => !u.StartsWith("https://tile.openstreetmap.org/", StringComparison.Ordinal)), Is.Empty,
            "nothing is loaded from anywhere but our server and OpenStreetMap's tiles");
    }

    [Test]
    public async Task The_map_draws_the_feeds_incidents_and_asks_the_feed_again_when_a_filter_changes()
    {
        // The feed is the GeoJSON endpoint's (GET /api/public/map/incidents); here a stand-in answers in its shape, so the
        // page's side of the contract is checked on its own: the query it sends and the markers it draws.
        await using var context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();
        var asked = new List<Dictionary<string, string>>();
        await page.RouteAsync("**/api/public/map/incidents?**", async route =>
        {
            var query = System.Web.HttpUtility.ParseQueryString(new Uri(route.Request.Url).Query);
            asked.Add(query.AllKeys.OfType<string>().ToDictionary(k => k, k => query[k]!));
            var closedOnly = query["status"] == "closed";
            var features = new List<object>();
            if (!closedOnly)
                features.Add(Feature("2026-154", "pothole", "Pothole in the road", "open", 23.5702, 46.0686, "Str. Mihai Viteazul 12"));
            features.Add(Feature("2026-98", "street_light", "Street light out", "closed", 23.5750, 46.0700, null));
            await route.FulfillAsync(new RouteFulfillOptions
            {
                Status = 200, ContentType = "application/geo+json",
                Body = System.Text.Json.JsonSerializer.Serialize(new { type = "FeatureCollection", features }),
            });
        });

        await page.GotoAsync(new Uri(_server, "/map/?lang=en").ToString());
        await Expect(page.Locator(".incident-marker")).ToHaveCountAsync(2);
        await Expect(page.Locator(".incident-marker.open[title='2026-154 · Pothole in the road · open']")).ToBeVisibleAsync();
        await Expect(page.Locator(".incident-marker.closed[title='2026-98 · Street light out · closed']")).ToBeVisibleAsync();
        await Expect(page.Locator("#incidents-status")).ToHaveTextAsync("2 reports on the map.");
        var first = asked[0];
        Assert.That(first["lang"], Is.EqualTo("en"));
        Assert.That(first.ContainsKey("status") || first.ContainsKey("service"), Is.False, "no filter chosen yet");
        var bbox = first["bbox"].Split(',').Select(n => double.Parse(n, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.That(bbox, Has.Length.EqualTo(4));
        Assert.That(bbox[0] < 23.5702 && 23.5702 < bbox[2] && bbox[1] < 46.0686 && 46.0686 < bbox[3], Is.True,
            $"west,south,east,north around the Citadel: {first["bbox"]}");

        await page.Locator(".incident-marker.open").ClickAsync();
        await Expect(page.Locator(".leaflet-popup-content a")).ToHaveAttributeAsync("href", "/map/r/2026-154");
        await Expect(page.Locator(".leaflet-popup-content")).ToContainTextAsync("Str. Mihai Viteazul 12");
        await Screenshot(page, "feed-markers");

        await page.GetByLabel("Status").SelectOptionAsync("closed");
        await Expect(page.Locator(".incident-marker")).ToHaveCountAsync(1);
        Assert.That(asked[^1]["status"], Is.EqualTo("closed"));
        await page.RunAndWaitForResponseAsync(
            () => page.GetByLabel("Service", new PageGetByLabelOptions { Exact = true }).SelectOptionAsync("street_light"),
            response => response.Url.Contains("service=street_light", StringComparison.Ordinal));
        await Expect(page.Locator(".incident-marker")).ToHaveCountAsync(1);
        Assert.That((asked[^1]["status"], asked[^1]["service"]), Is.EqualTo(("closed", "street_light")));
        await Screenshot(page, "feed-filtered");
    }

    private static object Feature(string id, string service, string name, string status, double lon, double lat, string? address) => new
    {
        type = "Feature",
        geometry = new { type = "Point", coordinates = new[] { lon, lat } },
        properties = new
        {
            id, service_code = service, service_name = name, status, requested_datetime = "2026-12-01T09:30:00+02:00",
            updated_datetime = (string?)null, address_string = address, url = $"/map/r/{id}", thumbnail_url = (string?)null,
        },
    };
}
