using CitizenCrm.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using StaffRole = CitizenCrm.Core.Common.StaffRole;

namespace CitizenCrm.Tests.Browser;

/// <summary>The console's frame in a real browser: signing in, the sections each role sees, the "/" search, signing out.</summary>
public sealed class ConsoleShellStoryTests : ConsoleStory
{
    [Test]
    public async Task A_clerk_signs_in_sees_the_desks_sections_finds_a_citizen_without_diacritics_and_signs_out()
    {
        var clerkApi = await App.ClientFor(StaffRole.Clerk);
        var cnp = TestData.NewCnp();
        await clerkApi.RegisterCitizen(cnp, firstName: "Ștefan", lastName: "Țărmure");

        var clerk = await SignInAs(StaffRole.Clerk);
        var page = clerk.Page;
        // The session is a cookie no script can read.
        var session = (await clerk.Context.CookiesAsync()).Single(c => c.Name == "citizencrm_session");
        Assert.That(session.HttpOnly, Is.True);
        Assert.That(session.SameSite, Is.EqualTo(SameSiteAttribute.Strict));
        Assert.That(await page.EvaluateAsync<string>("() => document.cookie"), Does.Not.Contain("citizencrm_session"));

        await Expect(page.Locator("#who")).ToHaveTextAsync("Test Clerk (registratură)");
        await Expect(page.Locator("nav.sections a[data-section='citizens']")).ToHaveTextAsync("Cetățeni");
        await Expect(page.Locator("nav.sections a[data-section='new-case']")).ToBeVisibleAsync();
        await Expect(page.Locator("nav.sections a[data-section='queue']")).ToHaveCountAsync(0);
        await Expect(page.Locator("nav.sections a[data-section='staff']")).ToHaveCountAsync(0);

        // "/" from anywhere opens the search; a name typed without diacritics finds the citizen, with the CNP masked.
        await Expect(page.Locator("h1.screen-title")).ToBeFocusedAsync(); // the first screen (Cetățeni) has opened
        await page.Keyboard.PressAsync("/");
        await Expect(page.Locator("#search-dialog")).ToBeVisibleAsync();
        await Expect(page.Locator("#search-input")).ToBeFocusedAsync();
        await page.Locator("#search-input").FillAsync("stefan tarmure");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#search-results a")).ToHaveTextAsync("Țărmure Ștefan");
        await Expect(page.Locator("#search-results")).ToContainTextAsync("*********" + cnp[^4..]);
        await clerk.CheckScreen("search");
        Assert.That(await clerk.AnswersWithWholeCnp(cnp), Is.Empty, "no API answer carried the CNP whole");
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator("#search-dialog")).Not.ToBeVisibleAsync();

        // In English, the same frame.
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "EN" }).ClickAsync();
        await Expect(page.Locator("nav.sections a[data-section='citizens']")).ToHaveTextAsync("Citizens");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "RO" }).ClickAsync();

        // Signing out ends the session on the server too: the old cookie is refused.
        await page.Locator("#sign-out").ClickAsync();
        await Expect(page.Locator("#sign-in")).ToBeVisibleAsync();
        await clerk.CheckScreen("sign-in");
        var stale = App.CreateClient();
        stale.DefaultRequestHeaders.Add("Cookie", $"citizencrm_session={session.Value}");
        Assert.That((int)(await stale.GetAsync("/api/auth/console/me")).StatusCode, Is.EqualTo(401));
        clerk.AssertClean();
    }

    [Test]
    public async Task Each_role_sees_only_its_sections_on_a_tablet_too()
    {
        var admin = await SignInAs(StaffRole.Admin, width: 800, height: 1100);
        await Expect(admin.Page.Locator("nav.sections a[data-section='staff']")).ToBeVisibleAsync();
        await Expect(admin.Page.Locator("nav.sections a[data-section='jobs']")).ToBeVisibleAsync();
        await Expect(admin.Page.Locator("nav.sections a[data-section='citizens']")).ToHaveCountAsync(0);
        await Expect(admin.Page.Locator("#open-search")).ToBeHiddenAsync();
        await admin.Screenshot("tablet");

        var dispatcher = await SignInAs(StaffRole.Dispatcher);
        await Expect(dispatcher.Page.Locator("nav.sections a[data-section='queue']")).ToBeVisibleAsync();
        await Expect(dispatcher.Page.Locator("nav.sections a[data-section='new-case']")).ToHaveCountAsync(0);
        await Expect(dispatcher.Page.Locator("nav.sections a[data-section='reports']")).ToHaveCountAsync(0);
        // An address outside the role's sections is refused in words, not drawn.
        await dispatcher.Page.GotoAsync(new Uri(Server, "/console/#/staff").ToString());
        await Expect(dispatcher.Page.Locator("h1.screen-title")).ToHaveTextAsync("Rolul dumneavoastră nu are acces la această pagină.");
        admin.AssertClean();
        dispatcher.AssertClean();
    }
}
