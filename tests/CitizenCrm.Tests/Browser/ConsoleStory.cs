using System.Text.Json;
using StaffRole = CitizenCrm.Core.Common.StaffRole;
using CitizenCrm.Core.Staff;
using CitizenCrm.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CitizenCrm.Tests.Browser;

/// <summary>
/// The base of the staff console's browser stories: the real server on a loopback port, Debian's Chromium (the one at
/// CITIZENCRM_CHROMIUM, never downloaded) driven headless by Playwright, a signed-in page per staff member, and the
/// checks every story makes: screenshots kept under the test output's browser-screenshots/ folder and attached to the
/// result, axe-core on each main screen, no error in the page, nothing loaded from another origin, and every API
/// answer recorded so a story can show that no CNP reached the browser whole before "show" was pressed.
/// </summary>
[Category("Browser")]
[NonParallelizable]
public abstract class ConsoleStory
{
    protected CrmTestApp App { get; private set; } = null!;
    protected Uri Server { get; private set; } = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private string _shots = null!;
    private int _shotNumber;
    private readonly List<ConsolePage> _pages = [];

    /// <summary>The app a story runs against (a story may give settings or a clock).</summary>
    protected virtual CrmTestApp CreateApp() => new();

    [SetUp]
    public async Task StartServerAndBrowser()
    {
        var chromium = Environment.GetEnvironmentVariable("CITIZENCRM_CHROMIUM");
        if (string.IsNullOrWhiteSpace(chromium) || !File.Exists(chromium))
            Assert.Ignore("This browser test needs Debian's Chromium: apt-get install -y chromium, then set CITIZENCRM_CHROMIUM=/usr/bin/chromium " +
                          "(see README, 'Tests that need a real server or a browser'). Browsers cannot be downloaded here; never run 'playwright install'.");
        App = CreateApp();
        Server = App.StartOnLoopback();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Headless = true, Args = BrowserChecks.ChromiumArgs });
        _shots = Path.Combine(TestContext.CurrentContext.WorkDirectory, "browser-screenshots", TestContext.CurrentContext.Test.Name);
        if (Directory.Exists(_shots)) Directory.Delete(_shots, recursive: true);
        Directory.CreateDirectory(_shots);
        _shotNumber = 0;
        _pages.Clear();
    }

    [TearDown]
    public async Task StopBrowserAndServer()
    {
        foreach (var page in _pages) await page.Context.DisposeAsync();
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        App?.Dispose();
    }

    /// <summary>
    /// A new browser (its own cookies) for a staff member of that role, signed in through the console's own sign-in
    /// page: the user "test-{role}" with <see cref="CrmTestApp.Password"/> is created first when it does not exist.
    /// </summary>
    protected async Task<ConsolePage> SignInAs(StaffRole role, string locale = "ro-RO", int width = 1280, int height = 720)
    {
        await App.ClientFor(role); // creates test-{role}
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height }, Locale = locale, TimezoneId = "Europe/Bucharest",
            AcceptDownloads = true,
        });
        var page = new ConsolePage(this, context, await context.NewPageAsync(), role);
        _pages.Add(page);
        await page.Page.GotoAsync(new Uri(Server, "/console/").ToString());
        await page.Page.GetByLabel("Utilizator").FillAsync($"test-{role.ToText()}");
        await page.Page.GetByLabel("Parolă").FillAsync(CrmTestApp.Password);
        await page.Page.Locator("#sign-in").ClickAsync();
        await Expect(page.Page.Locator("#sign-out")).ToBeVisibleAsync();
        return page;
    }

    internal async Task Screenshot(IPage page, string name)
    {
        var file = Path.Combine(_shots, $"{++_shotNumber:00}-{name}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
        TestContext.AddTestAttachment(file, name);
    }

    internal string ServerAuthority => Server.Authority;

    /// <summary>The serious and critical WCAG 2.1 A/AA violations axe-core finds on the page as it is now (none expected).</summary>
    internal static Task<IReadOnlyList<string>> SeriousAccessibilityViolations(IPage page) => BrowserChecks.AxeViolations(page, seriousOnly: true);
}

/// <summary>One staff member's browser tab in the console, with what it received and what went wrong in it.</summary>
public sealed class ConsolePage
{
    private readonly ConsoleStory _story;
    private readonly List<(string Url, string Body)> _answers = [];
    private readonly List<Task> _reading = [];

    public IBrowserContext Context { get; }
    public IPage Page { get; }
    public StaffRole Role { get; }

    /// <summary>Errors in the page: a script error, a Content-Security-Policy refusal.</summary>
    public List<string> Problems { get; } = [];

    /// <summary>Requests to any origin but our server's.</summary>
    public List<string> Elsewhere { get; } = [];

    internal ConsolePage(ConsoleStory story, IBrowserContext context, IPage page, StaffRole role)
    {
        _story = story;
        Context = context;
        Page = page;
        Role = role;
        page.Console += (_, message) =>
        {
            // A refused call (a 409 the screen shows) logs "Failed to load resource"; that is the screen's business.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal)) Problems.Add(message.Text);
        };
        page.PageError += (_, error) => Problems.Add(error);
        page.Request += (_, request) =>
        {
            var url = new Uri(request.Url);
            if (url.Scheme is "http" or "https" && url.Authority != story.ServerAuthority) Elsewhere.Add(request.Url);
        };
        page.Response += (_, response) =>
        {
            if (!response.Url.Contains("/api/", StringComparison.Ordinal) || response.Url.Contains("/api/dispatch/stream", StringComparison.Ordinal)) return;
            lock (_reading) _reading.Add(Read(response));
        };
    }

    private async Task Read(IResponse response)
    {
        try
        {
            var body = await response.TextAsync();
            lock (_answers) _answers.Add((response.Url, body));
        }
        catch (PlaywrightException)
        {
            // A body the browser did not keep (a redirect, a download, a page closed meanwhile): nothing to look at.
        }
    }

    /// <summary>Every API answer this page has received so far, with its address.</summary>
    public async Task<IReadOnlyList<(string Url, string Body)>> Answers()
    {
        Task[] pending;
        lock (_reading) pending = [.. _reading];
        await Task.WhenAll(pending);
        lock (_answers) return [.. _answers];
    }

    /// <summary>The API answers that carried this CNP whole (an empty list is what a story expects before "show").</summary>
    public async Task<IReadOnlyList<string>> AnswersWithWholeCnp(string cnp) =>
        (await Answers()).Where(a => a.Body.Contains(cnp, StringComparison.Ordinal)).Select(a => a.Url).ToList();

    public Task Screenshot(string name) => _story.Screenshot(Page, $"{Role.ToText()}-{name}");

    /// <summary>A screenshot of the screen as it is, and axe-core's serious or critical findings on it (none expected).</summary>
    public async Task CheckScreen(string name)
    {
        await Screenshot(name);
        Assert.That(await ConsoleStory.SeriousAccessibilityViolations(Page), Is.Empty, $"axe-core on the {name} screen");
    }

    /// <summary>Opens a section from the navigation, as a person clicks it.</summary>
    public async Task Open(string sectionId)
    {
        await Page.Locator($"nav.sections a[data-section='{sectionId}']").ClickAsync();
        await Expect(Page.Locator("h1.screen-title")).ToBeVisibleAsync();
    }

    /// <summary>No script error, no CSP refusal, nothing asked of another origin (the incident map's tiles excepted).</summary>
    public void AssertClean()
    {
        Assert.That(Problems, Is.Empty, $"errors in the {Role.ToText()}'s page (a Content-Security-Policy refusal shows here)");
        Assert.That(Elsewhere.Where(u => !u.StartsWith("https://tile.openstreetmap.org/", StringComparison.Ordinal)), Is.Empty,
            "nothing is loaded from anywhere but our server");
    }
}
