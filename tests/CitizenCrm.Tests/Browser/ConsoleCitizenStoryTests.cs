using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Cases;
using CitizenCrm.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using StaffRole = CitizenCrm.Core.Common.StaffRole;

namespace CitizenCrm.Tests.Browser;

/// <summary>
/// The registry desk's citizen screens in a real browser: finding a citizen without diacritics, the 360° view (the CNP
/// masked until "show", which is audited; taxes and fines; open cases with their terms; the timeline with its channel
/// icons, filters and endless scroll), the phone PIN shown once, and registering a citizen with the CNP checked as typed.
/// The server's clock is fixed (Bucharest, 2030), so terms and amounts are the same on every run.
/// </summary>
public sealed class ConsoleCitizenStoryTests : ConsoleStory
{
    private const string RevenueHeader = "record_type,source_ref,national_id,exported_on,tax_kind,fiscal_year,description,amount_due,amount_paid,increases,report_number,handed_over_on,legal_basis,fine_category,amount_applied,legal_minimum,paid_on";

    private readonly FakeTimeProvider _clock = new(RegistryDesk.Local("2030-01-07 10:00"));

    protected override CrmTestApp CreateApp() =>
        new(clock: _clock, settings: new Dictionary<string, string?> { ["Staff:TokenLifetimeHours"] = "100000" });

    private static async Task<JsonElement> PostOk(HttpClient client, string url, object body)
    {
        var response = await client.PostAsJsonAsync(url, body);
        Assert.That(response.IsSuccessStatusCode, Is.True, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Test]
    public async Task A_clerk_finds_a_citizen_without_diacritics_and_reads_the_360_view_revealing_the_CNP_only_on_show()
    {
        // Arranged through the API: Ștefan Țărmure, a petition registered on 7 January 2030 (late by 20 February), an
        // information request of 20 February, his taxes and a fine from the revenue system, and 65 contacts.
        const string cnp = "1850301010013";
        var clerkApi = await App.ClientFor(StaffRole.Clerk);
        var stefan = await clerkApi.RegisterCitizen(cnp, firstName: "Ștefan", lastName: "Țărmure", phone: "+40722123456");
        await PostOk(clerkApi, "/api/cases", new { kind = "petition", channel = "desk", subject = "Groapă în asfalt pe strada Lungă", citizenId = stefan.Id });
        _clock.SetUtcNow(RegistryDesk.Local("2030-02-20 10:00"));
        await PostOk(clerkApi, "/api/cases", new { kind = "information_request", channel = "desk", subject = "Programul casieriei", citizenId = stefan.Id });
        var admin = await App.ClientFor(StaffRole.Admin);
        var csv = string.Join("\n", RevenueHeader,
            $"tax,T-1,{cnp},2030-02-15,building,2030,Str. Lungă 12,420.00,0,,,,,,,,",
            $"fine,F-1,{cnp},2030-02-15,,,,,0,,PV-1234,2030-01-10,Legea 61/1991 art. 2 pct. 1,public_order,800,200,");
        var import = await admin.PostAsync("/api/revenue/imports", new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.That(import.IsSuccessStatusCode, Is.True, await import.Content.ReadAsStringAsync());
        for (var i = 1; i <= 3; i++)
            await PostOk(clerkApi, $"/api/citizens/{stefan.Id}/interactions", new { type = "call_note", channel = "phone", summary = $"Apel despre taxe {i}" });
        for (var i = 1; i <= 62; i++)
            await PostOk(clerkApi, $"/api/citizens/{stefan.Id}/interactions", new { type = "desk_visit", channel = "desk", summary = $"Vizită la ghișeu {i:00}" });

        var clerk = await SignInAs(StaffRole.Clerk);
        var page = clerk.Page;

        // The search screen: a name without diacritics finds him, CNP masked.
        await clerk.Open("citizens");
        await page.GetByLabel("CNP, telefon sau nume").FillAsync("stefan tarmure");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#citizen-results table a")).ToHaveTextAsync("Țărmure Ștefan");
        await Expect(page.Locator("#citizen-results table tbody tr")).ToHaveTextAsync("Țărmure Ștefan*********00131985Română");
        await clerk.CheckScreen("citizen-search");

        // "/" from the screen opens the global search, which finds him too and opens his 360° view.
        await page.Locator("h1.screen-title").ClickAsync();
        await page.Keyboard.PressAsync("/");
        await page.Locator("#search-input").FillAsync("stefan tarmure");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#search-results a", new PageLocatorOptions { HasText = "Țărmure Ștefan" }).ClickAsync();
        await Expect(page.Locator("h1.screen-title")).ToHaveTextAsync("Țărmure Ștefan");
        Assert.That(page.Url, Does.EndWith($"#/citizen/{stefan.Id}"));

        // Identity masked; balance and fines; open cases with their terms, the late one marked.
        await Expect(page.Locator("#citizen-cnp")).ToHaveTextAsync("*********0013");
        await Expect(page.Locator("#citizen-phones")).Not.ToContainTextAsync("+40722123456");
        // 420 lei less the 10 % early-payment discount (the whole year paid by 31 March).
        await Expect(page.Locator("#balance-total")).ToHaveTextAsync("378,00 RON");
        await Expect(page.Locator("#fines-total")).ToHaveTextAsync("O amendă neplătită: 800,00 RON");
        var cases = page.Locator(".cases-table tbody tr");
        await Expect(cases).ToHaveCountAsync(2);
        await Expect(cases.Nth(0).Locator("td").Nth(1)).ToHaveTextAsync("Cerere de informații (Legea 544)");
        await Expect(page.Locator(".cases-table th").First).ToHaveTextAsync("Număr");
        await Expect(cases.Nth(0).Locator(".due")).ToHaveTextAsync("2 martie 2030 (10 zile rămase)");
        await Expect(cases.Nth(1)).ToContainTextAsync("Groapă în asfalt pe strada Lungă");
        await Expect(cases.Nth(1).Locator(".late")).ToHaveTextAsync("6 februarie 2030 (depășit cu 14 zile)");

        // The timeline: the newest 50 events, each with its channel's icon named for screen readers.
        var events = page.Locator("#timeline-list li.event");
        await Expect(events).ToHaveCountAsync(50);
        await Expect(events.First.Locator(".event-summary")).ToHaveTextAsync("Vizită la ghișeu 62");
        await Expect(events.First.Locator("svg[role='img']")).ToHaveAttributeAsync("aria-label", "Ghișeu");
        await clerk.CheckScreen("citizen-360");

        // Filtered by channel: the three calls only, with the phone's icon.
        await page.GetByLabel("Canal").SelectOptionAsync("phone");
        await Expect(events).ToHaveCountAsync(3);
        await Expect(page.Locator("#timeline-list li.event svg[aria-label='Telefon']")).ToHaveCountAsync(3);
        await Expect(events.First.Locator(".event-summary")).ToHaveTextAsync("Apel despre taxe 3");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Șterge filtrele" }).ClickAsync();
        await Expect(events).ToHaveCountAsync(50);

        // Filtered by date: up to 31 January, what happened on 7 January (his registration and the petition's).
        await page.GetByLabel("Până la").FillAsync("2030-01-31");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Aplică filtrele" }).ClickAsync();
        await Expect(page.Locator("#timeline-list li.event .event-kind")).ToHaveTextAsync(["Înregistrare", "Cetățean înregistrat"]);
        await Expect(page.Locator("#timeline-list li.event .event-kind").First).ToHaveAttributeAsync("title", "case.registered");
        await Expect(events.Locator("time")).ToHaveTextAsync(["7 ianuarie 2030 la 10:00", "7 ianuarie 2030 la 10:00"]);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Șterge filtrele" }).ClickAsync();
        await Expect(events).ToHaveCountAsync(50);

        // Scrolling to the end of the list loads the older page (the sentinel), down to the citizen's registration.
        var total = await page.EvaluateAsync<int>($"async () => (await (await fetch('/api/citizens/{stefan.Id}/timeline?limit=1')).json()).total");
        Assert.That(total, Is.GreaterThan(65));
        await page.Locator(".timeline-sentinel").ScrollIntoViewIfNeededAsync();
        await Expect(events).ToHaveCountAsync(total);
        await Expect(events.Last.Locator(".event-summary")).ToContainTextAsync("Țărmure");
        Assert.That(total, Is.LessThan(100), "20 to 99 events take 'de' in Romanian");
        await Expect(page.Locator(".timeline-status")).ToHaveTextAsync($"Toate cele {total} de evenimente sunt afișate.");
        await Expect(page.Locator(".load-more")).ToBeHiddenAsync();

        // Until "show", no API answer carried the CNP whole; then it is shown, and the reveal is audited.
        Assert.That(await clerk.AnswersWithWholeCnp(cnp), Is.Empty, "no API answer carried the CNP whole before 'show'");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Arată CNP" }).ClickAsync();
        await Expect(page.Locator("#citizen-cnp")).ToHaveTextAsync(cnp);
        await Expect(page.Locator("#citizen-phones")).ToHaveTextAsync("+40722123456");
        Assert.That(await clerk.AnswersWithWholeCnp(cnp), Is.EqualTo(new[] { $"{Server}api/citizens/{stefan.Id}?reveal=true" }));
        var supervisor = await App.ClientFor(StaffRole.Supervisor);
        var audit = await (await supervisor.GetAsync($"/api/audit?citizenId={stefan.Id}&limit=100")).Content.ReadFromJsonAsync<JsonElement>();
        var revealed = audit.GetProperty("entries").EnumerateArray().Where(e => e.GetProperty("query").GetString() == "GetCitizen:revealed").ToList();
        Assert.That(revealed.Select(e => e.GetProperty("actor").GetString()), Is.EqualTo(new[] { "test-clerk" }));
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Ascunde CNP" }).ClickAsync();
        await Expect(page.Locator("#citizen-cnp")).ToHaveTextAsync("*********0013");

        // No PIN yet, so nothing to unlock. The phone PIN is shown once, in a box that says so; a reset asks first.
        await Expect(page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Deblochează accesul telefonic" })).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Emite PIN telefonic" }).ClickAsync();
        await Expect(page.Locator("#pin-box")).ToContainTextAsync("Spuneți-l cetățeanului acum. Nu va mai fi afișat niciodată.");
        var pin = await page.Locator("#pin-value").TextContentAsync();
        Assert.That(pin, Does.Match("^[0-9]{4}$"));
        await Expect(page.Locator("#pin-state")).ToHaveTextAsync("Are PIN pentru telefon.");
        await clerk.Screenshot("pin-shown-once");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Am comunicat PIN-ul" }).ClickAsync();
        await Expect(page.Locator("#pin-box")).ToHaveCountAsync(0);
        await Expect(events.First.Locator(".event-summary")).ToHaveTextAsync("Phone PIN issued at the desk");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Resetează PIN-ul telefonic" }).ClickAsync();
        await Expect(page.Locator(".confirm")).ToHaveTextAsync("Resetați PIN-ul? Vechiul PIN nu va mai funcționa.Da, resetează PIN-ulRenunță");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Renunță" }).ClickAsync();
        await Expect(page.Locator(".confirm")).ToHaveCountAsync(0);

        // Phone access unlocked, a desk visit logged, and the link to a new registration for him.
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Deblochează accesul telefonic" }).ClickAsync();
        await Expect(page.Locator(".citizen-360 .notice")).ToHaveTextAsync("Accesul telefonic nu era blocat.");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Înregistrează o vizită la ghișeu" }).ClickAsync();
        await page.GetByLabel("Rezumatul vizitei").FillAsync("A cerut certificatul fiscal");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Salvează vizita" }).ClickAsync();
        await Expect(page.Locator(".citizen-360 .notice")).ToHaveTextAsync("Vizita a fost înregistrată în istoric.");
        await Expect(events.First.Locator(".event-summary")).ToHaveTextAsync("A cerut certificatul fiscal");
        await Expect(page.Locator("#new-case-for-citizen")).ToHaveAttributeAsync("href", $"#/new-case?citizen={stefan.Id}");
        Assert.That(await page.ContentAsync(), Does.Not.Contain($">{pin}<"), "the PIN is gone from the page once told");
        clerk.AssertClean();

        // On a tablet (800 wide), the same view in one column.
        var tablet = await SignInAs(StaffRole.Clerk, width: 800, height: 1100);
        await tablet.Page.GotoAsync(new Uri(Server, $"/console/#/citizen/{stefan.Id}").ToString());
        await Expect(tablet.Page.Locator("#timeline-list li.event")).ToHaveCountAsync(50);
        await tablet.Screenshot("citizen-360-tablet");
        tablet.AssertClean();
    }

    [Test]
    public async Task A_clerk_registers_a_citizen_with_the_CNP_checked_as_typed_and_the_servers_field_errors_beside_the_fields()
    {
        var clerk = await SignInAs(StaffRole.Clerk);
        var page = clerk.Page;
        await clerk.Open("new-citizen");
        await Expect(page.Locator("h1.screen-title")).ToHaveTextAsync("Cetățean nou");
        var cnp = page.GetByLabel("CNP sau numărul actului");
        var check = page.Locator("#new-national-id-check");

        // Each part is checked as soon as its digits are there: the date, then the check digit.
        await cnp.PressSequentiallyAsync("2901315");
        await Expect(check).ToHaveTextAsync("Data nașterii din CNP (cifrele 2–7) nu este o dată reală.");
        await Expect(cnp).ToHaveAttributeAsync("aria-invalid", "true");
        await cnp.FillAsync("");
        await cnp.PressSequentiallyAsync("185030199");
        await Expect(check).ToHaveTextAsync("Codul județului din CNP (cifrele 8–9), 99, nu există.");
        await cnp.FillAsync("");
        await cnp.PressSequentiallyAsync("290071512345");
        await Expect(check).ToHaveTextAsync("12 din 13 cifre.");
        await cnp.PressSequentiallyAsync("3");
        await Expect(check).ToHaveTextAsync("Cifra de control (a 13-a) nu se potrivește cu celelalte: una dintre cifre este greșită. Verificați-le pe toate cu actul de identitate.");
        await clerk.CheckScreen("new-citizen-wrong-cnp");
        await cnp.PressAsync("Backspace");
        await cnp.PressSequentiallyAsync("7");
        await Expect(check).ToHaveTextAsync("CNP valid: născut(ă) la 15 iulie 1990, județul cu codul 12.");
        await Expect(cnp).Not.ToHaveAttributeAsync("aria-invalid", "true");

        // The server's refusal of a phone number is shown beside the phones.
        await page.GetByLabel("Nume", new PageGetByLabelOptions { Exact = true }).FillAsync("Pop");
        await page.GetByLabel("Prenume").FillAsync("Ana");
        await page.GetByLabel("Telefoane").FillAsync("12345");
        await page.GetByLabel("Adrese de e-mail").FillAsync("ana.pop@example.com");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Înregistrează" }).ClickAsync();
        await Expect(page.Locator("[name='phones'] ~ .field-error")).ToHaveTextAsync("'12345' is not a phone number we can call. Write it as +40722123456 or 0722 123 456.");
        await Expect(page.GetByLabel("Telefoane")).ToHaveAttributeAsync("aria-invalid", "true");
        await clerk.CheckScreen("new-citizen");

        await page.GetByLabel("Telefoane").FillAsync("0722 555 111");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Înregistrează" }).ClickAsync();
        await Expect(page.Locator("h1.screen-title")).ToHaveTextAsync("Pop Ana");
        Assert.That(page.Url, Does.Match("#/citizen/[0-9a-f-]{36}$"));
        await Expect(page.Locator("#citizen-cnp")).ToHaveTextAsync("*********3457");
        await Expect(page.Locator("dl.facts")).ToContainTextAsync(["15 iulie 1990", "ana.pop@example.com"]);
        await Expect(page.Locator("#timeline-list li.event")).ToHaveCountAsync(1);
        Assert.That(await clerk.AnswersWithWholeCnp("2900715123457"), Is.Empty, "the answer to the registration is masked too");

        // The same view in English.
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "EN", Exact = true }).ClickAsync();
        await Expect(page.Locator(".citizen-360 .subtitle")).ToHaveTextAsync("Citizen record");
        await Expect(page.Locator("#show-cnp")).ToHaveTextAsync("Show CNP");
        await Expect(page.Locator("#timeline-list li.event svg[role='img']")).ToHaveAttributeAsync("aria-label", "Desk");
        clerk.AssertClean();
    }
}
