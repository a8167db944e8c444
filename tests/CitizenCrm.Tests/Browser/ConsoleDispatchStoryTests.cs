using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CitizenCrm.Core.Citizens;
using CitizenCrm.Tests.Infrastructure;
using CitizenCrm.Tests.Map.Photos;
using CitizenCrm.Tests.Phone;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using SkiaSharp;
using static Microsoft.Playwright.Assertions;
using StaffRole = CitizenCrm.Core.Common.StaffRole;

namespace CitizenCrm.Tests.Browser;

/// <summary>
/// The dispatcher's desk in a real browser: the one queue updated live from the dispatch stream, assignment of one case
/// and of several, a caller waiting for an operator with the screen pop, callbacks marked done, unmatched reports linked
/// to their citizen or marked duplicates, and the incident map. The server's clock stands on Tuesday 12 March 2030,
/// 10:00 in Alba Iulia (the phone desk is open), so registration numbers are n/2030.
/// </summary>
public sealed class ConsoleDispatchStoryTests : ConsoleStory
{
    private static readonly DateTimeOffset TuesdayMorning = new(2030, 3, 12, 8, 0, 0, TimeSpan.Zero);

    protected override CrmTestApp CreateApp() => new(
        settings: TwilioPhone.Settings(new() { ["Phone:MaxWaitSeconds"] = "120", ["Dispatch:StreamHeartbeatSeconds"] = "1" }),
        clock: new FakeTimeProvider(TuesdayMorning));

    private static async Task<string> RegisterPetition(HttpClient clerk, Guid citizenId, string subject)
    {
        var response = await clerk.PostAsJsonAsync("/api/cases", new { kind = "petition", channel = "desk", subject, citizenId });
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(201), body);
        return JsonDocument.Parse(body).RootElement.GetProperty("registrationNumber").GetString()!;
    }

    private static async Task<List<string>> MyWork(HttpClient staff)
    {
        var response = await staff.GetAsync("/api/dispatch/queue?assignee=me");
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        return JsonDocument.Parse(body).RootElement.GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("registrationNumber").GetString()!).ToList();
    }

    [Test]
    public async Task A_petition_registered_at_the_desk_appears_live_in_the_queue_and_is_assigned_to_the_clerk_alone_then_two_at_once()
    {
        var clerkApi = await App.ClientFor(StaffRole.Clerk);
        var citizen = await clerkApi.RegisterCitizen(TestData.NewCnp(), "Elena", "Munteanu");
        Assert.That(await RegisterPetition(clerkApi, citizen.Id, "Iluminat stradal pe strada Unirii"), Is.EqualTo("1/2030"));

        var dispatcher = await SignInAs(StaffRole.Dispatcher);
        var page = dispatcher.Page;
        await dispatcher.Open("queue");
        await Expect(page.Locator("h1.screen-title")).ToHaveTextAsync("Coada");
        var numbers = page.Locator("#queue-table tbody tr td:nth-child(2)");
        await Expect(numbers).ToHaveTextAsync(new[] { "1/2030" });
        await Expect(page.Locator("#queue-live")).ToHaveTextAsync("Actualizată în timp real");

        // The clerk registers a petition: it appears in the dispatcher's queue without a reload, and is announced.
        Assert.That(await RegisterPetition(clerkApi, citizen.Id, "Groapă în asfalt pe strada Trandafirilor"), Is.EqualTo("2/2030"));
        var second = page.Locator("#queue-table tbody tr", new() { HasText = "2/2030" });
        await Expect(second).ToBeVisibleAsync();
        await Expect(second.Locator(".c-subject .subject-text")).ToHaveTextAsync("Groapă în asfalt pe strada Trandafirilor");
        await Expect(second.Locator(".c-subject .party")).ToHaveTextAsync("Elena Munteanu");
        await Expect(second.Locator(".c-kind span").First).ToHaveTextAsync("Petiție");
        await Expect(second.Locator(".c-kind .channel")).ToHaveTextAsync("ghișeu");
        await Expect(second.Locator(".c-term .term-date")).ToHaveTextAsync("11.04.2030");
        await Expect(second.Locator(".c-term .term-left")).ToHaveTextAsync("mai sunt 30 de zile");
        await Expect(page.Locator("#live")).ToHaveTextAsync("Nou în coadă: 2/2030");
        await Expect(page.Locator("#queue-table caption")).ToHaveTextAsync("De rezolvat: 2 în total");
        // At 1280×720 beside the menu the whole queue fits: no sideways scrolling, the actions on screen.
        Assert.That(await page.Locator("#queue-table").EvaluateAsync<bool>("t => t.parentElement.scrollWidth <= t.parentElement.clientWidth"), Is.True, "the queue fits its width");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Atribuie 2/2030", Exact = true })).ToBeInViewportAsync();
        await dispatcher.CheckScreen("queue");

        // Sorting by registration number, both ways.
        await page.Locator("#queue-table th button", new() { HasText = "Nr. înregistrare" }).ClickAsync();
        await Expect(numbers).ToHaveTextAsync(new[] { "1/2030", "2/2030" });
        await Expect(page.Locator("#queue-table th[aria-sort='ascending']")).ToHaveTextAsync("Nr. înregistrare ▲");
        await page.Locator("#queue-table th button", new() { HasText = "Nr. înregistrare" }).ClickAsync();
        await Expect(numbers).ToHaveTextAsync(new[] { "2/2030", "1/2030" });

        // Assigning one case to the clerk, chosen from the list of staff.
        await page.GetByLabel("Atribuie lui").SelectOptionAsync(new SelectOptionValue { Label = "Test Clerk" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Atribuie 2/2030", Exact = true }).ClickAsync();
        await Expect(second.Locator(".c-assigned")).ToHaveTextAsync("Test Clerk");
        await Expect(second.Locator(".c-status")).ToHaveTextAsync("repartizat");
        await Expect(page.Locator("#live")).ToHaveTextAsync("Cazul 2/2030 a fost atribuit lui Test Clerk.");
        Assert.That(await MyWork(clerkApi), Is.EqualTo(new[] { "2/2030" }), "the clerk's \"my work\"");

        // Its priority, from the row.
        await page.GetByLabel("Prioritatea cazului 2/2030").SelectOptionAsync("urgent");
        await Expect(page.Locator("#live")).ToHaveTextAsync("Prioritatea cazului 2/2030 este acum urgentă.");
        await Expect(page.GetByLabel("Prioritatea cazului 2/2030")).ToHaveValueAsync("urgent");

        // A third petition arrives live; the dispatcher gives the first and the third to the clerk at once.
        Assert.That(await RegisterPetition(clerkApi, citizen.Id, "Copac căzut în parcul Custozza"), Is.EqualTo("3/2030"));
        await Expect(numbers).ToHaveTextAsync(new[] { "3/2030", "2/2030", "1/2030" });
        await page.GetByLabel("Alege 1/2030").CheckAsync();
        await page.GetByLabel("Alege 3/2030").CheckAsync();
        await Expect(page.Locator("#assign-selected")).ToHaveTextAsync("Atribuie cele alese (2)");
        await page.Locator("#assign-selected").ClickAsync();
        await Expect(page.Locator("#live")).ToHaveTextAsync("2 cazuri au fost atribuite lui Test Clerk.");
        await Expect(page.Locator("#queue-table tbody td.c-assigned")).ToHaveTextAsync(new[] { "Test Clerk", "Test Clerk", "Test Clerk" });
        await Expect(page.Locator("#assign-selected")).ToHaveTextAsync("Atribuie cele alese (0)");
        Assert.That(await MyWork(clerkApi), Is.EquivalentTo(new[] { "1/2030", "2/2030", "3/2030" }));

        // A case someone else holds cannot be claimed: the server's words are shown as they are.
        await page.GetByRole(AriaRole.Button, new() { Name = "Preiau 1/2030", Exact = true }).ClickAsync();
        await Expect(page.Locator("main .problem")).ToContainTextAsync("Case 1/2030 was already claimed by test-clerk. Pick another case, or ask a supervisor to reassign it.");

        // The filters ask the server: the unassigned ones are none now.
        await page.GetByLabel("Atribuit", new() { Exact = true }).SelectOptionAsync("unassigned");
        await page.Locator("#queue-filter").ClickAsync();
        await Expect(page.Locator("#queue-empty")).ToHaveTextAsync("Nimic nu așteaptă cu aceste filtre.");
        await page.GetByLabel("Atribuit", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Test Clerk" });
        await page.Locator("#queue-filter").ClickAsync();
        await Expect(page.Locator("#queue-table caption")).ToHaveTextAsync("De rezolvat: 3 în total");

        // In English, and with the filters in the address.
        await page.GotoAsync(new Uri(Server, "/console/#/queue?assignee=unassigned").ToString());
        await Expect(page.Locator("#queue-empty")).ToHaveTextAsync("Nimic nu așteaptă cu aceste filtre.");
        await page.GetByRole(AriaRole.Button, new() { Name = "EN" }).ClickAsync();
        await Expect(page.Locator("h1.screen-title")).ToHaveTextAsync("Queue");
        await Expect(page.Locator("#queue-empty")).ToHaveTextAsync("Nothing waits with these filters.");
        dispatcher.AssertClean();

        // On a tablet, the same queue.
        var tablet = await SignInAs(StaffRole.Dispatcher, width: 800, height: 1100);
        await tablet.Open("queue");
        await Expect(tablet.Page.Locator("#queue-table tbody tr td:nth-child(2)").First).ToHaveTextAsync("2/2030"); // the urgent one first (same term)
        await tablet.Page.Locator("#queue-table th button", new() { HasText = "Nr. înregistrare" }).ClickAsync();
        await Expect(tablet.Page.Locator("#queue-table tbody tr td:nth-child(2)")).ToHaveTextAsync(new[] { "1/2030", "2/2030", "3/2030" });
        await tablet.CheckScreen("queue-tablet");
        tablet.AssertClean();
    }

    [Test]
    public async Task A_caller_waiting_for_an_operator_pops_up_with_the_verified_identity_why_and_the_recent_timeline_and_a_callback_is_done()
    {
        var clerkApi = await App.ClientFor(StaffRole.Clerk);
        var cnp = TestData.NewCnp(sex: 1);
        var mihai = await clerkApi.RegisterCitizen(cnp, "Mihai", "Pop");
        var pin = (await App.Send(new IssuePhonePin(mihai.Id))).Pin;

        var dispatcher = await SignInAs(StaffRole.Dispatcher);
        var page = dispatcher.Page;
        await dispatcher.Open("callers");
        await Expect(page.Locator("h1.screen-title")).ToHaveTextAsync("Apelanți");
        await Expect(page.Locator("#callers-waiting")).ToHaveTextAsync("Nimeni nu așteaptă pe linie acum.");

        // Mihai calls, identifies himself with CNP and PIN, and asks for a person (0).
        var call = new TwilioPhone(App.CreateClient(), "CA" + Guid.NewGuid().ToString("N"), "+40721234567");
        await call.Dial();
        await call.Press("1");
        await call.Press(cnp + "#");
        await call.Press(pin);
        var queued = await call.Press("0");
        Assert.That(queued.Enqueue, Is.Not.Null, queued.Xml);

        var pop = page.Locator($"#callers-waiting article[data-call='{call.CallSid}']");
        await Expect(pop.Locator("h3")).ToContainTextAsync("Apelant +407******67");
        await Expect(pop.Locator(".identity-title")).ToHaveTextAsync("Identitate verificată (CNP + PIN)");
        await Expect(pop.Locator(".caller-name")).ToHaveTextAsync("Pop Mihai");
        await Expect(pop.Locator(".masked-cnp")).ToHaveTextAsync("*********" + cnp[^4..]);
        await Expect(pop.Locator(".why")).ToHaveTextAsync("a cerut un operator");
        await Expect(pop.Locator(".language")).ToHaveTextAsync("română");
        await Expect(pop.Locator("ol.recent li").First).ToContainTextAsync("[robot telefonic]");
        await Expect(pop.Locator("ol.recent")).ToContainTextAsync("12 martie 2030 la 10:00 [robot telefonic] Caller identified on the phone with CNP and PIN");
        await Expect(page.Locator("#live")).ToHaveTextAsync("Apelant Pop Mihai: a cerut un operator");
        await dispatcher.CheckScreen("callers");

        // Another caller waits too long and asks to be called back: the callback lands in the list to handle.
        var other = new TwilioPhone(App.CreateClient(), "CA" + Guid.NewGuid().ToString("N"), "+40745000111");
        await other.Dial();
        await other.Press("1");
        await other.Press(cnp + "#");
        await other.Press(pin);
        var waiting = await other.Press("0");
        await other.Post(TwilioPhone.PublicBaseUrl + "/twilio/voice/wait?lang=ro", new Dictionary<string, string>(other.BaseForm()) { ["QueueTime"] = "121" });
        await other.Post(waiting.NextUrl, new Dictionary<string, string>(other.BaseForm()) { ["QueueResult"] = "leave", ["QueueTime"] = "121" });
        var callback = await other.Press("2");
        Assert.That(callback.Text, Does.Contain("Un operator vă va suna înapoi"));

        var request = page.Locator("#requests-table tbody tr");
        await Expect(request).ToHaveCountAsync(1);
        await Expect(request.Locator("td").Nth(0)).ToHaveTextAsync("Apel înapoi");
        await Expect(request.Locator("td").Nth(2)).ToHaveTextAsync("+407******11");
        await Expect(request.Locator("td").Nth(3).Locator(".masked-number")).ToHaveTextAsync("+407******11");
        await Expect(request.Locator("td").Nth(4)).ToHaveTextAsync("Pop Mihai · *********" + cnp[^4..]);
        await Expect(page.Locator("#requests-table caption")).ToHaveTextAsync("Apeluri înapoi și mesaje: 1 deschise");
        Assert.That(await dispatcher.AnswersWithWholeCnp(cnp), Is.Empty, "no API answer carried the CNP whole");
        Assert.That((await dispatcher.Answers()).Any(a => a.Body.Contains("+40745000111", StringComparison.Ordinal)), Is.False, "the callback number stays masked");

        // The dispatcher who calls back asks for the number: read whole (the server audits it), shown in that row only.
        await request.GetByRole(AriaRole.Button, new() { Name = "Arată numărul: Apel înapoi +407******11" }).ClickAsync();
        await Expect(request.Locator("td").Nth(3)).ToHaveTextAsync("+40745000111");
        await Expect(page.Locator("#live")).ToHaveTextAsync("Numărul pentru Apel înapoi +407******11: +40745000111");
        Assert.That((await dispatcher.Answers()).Any(a => a.Body.Contains("+40745000111", StringComparison.Ordinal)), Is.True, "the number came whole once asked for");

        await request.GetByLabel("Notă pentru Apel înapoi +407******11").FillAsync("Sunat înapoi, a primit răspunsul");
        await request.GetByRole(AriaRole.Button, new() { Name = "Rezolvat: Apel înapoi +407******11" }).ClickAsync();
        await Expect(page.Locator("#phone-requests")).ToHaveTextAsync("Nicio cerere deschisă.");
        await Expect(page.Locator("#live")).ToHaveTextAsync("Cererea a fost marcată rezolvată.");
        using (var db = App.OpenDatabase())
            Assert.That(Dapper.SqlMapper.ExecuteScalar<string>(db, "SELECT note FROM phone_requests"), Is.EqualTo("Sunat înapoi, a primit răspunsul"));
        // Mihai is still on the line; the pop stays.
        await Expect(pop.Locator(".caller-name")).ToHaveTextAsync("Pop Mihai");

        // In the queue his call is a row without a number, its subject why he asked, in words.
        await dispatcher.Open("queue");
        var onTheLine = page.Locator($"#queue-table tr[data-id='{call.CallSid}']");
        await Expect(onTheLine.Locator(".c-number")).ToHaveTextAsync("—");
        await Expect(onTheLine.Locator(".c-subject .subject-text")).ToHaveTextAsync("a cerut un operator");
        await Expect(onTheLine.Locator(".c-kind span").First).ToHaveTextAsync("Apelant pe linie");
        await Expect(onTheLine.Locator(".c-kind .channel")).ToHaveTextAsync("telefon");
        dispatcher.AssertClean();
    }

    private static MultipartFormDataContent Report(string description, byte[]? photo)
    {
        var form = new MultipartFormDataContent();
        foreach (var (k, v) in new Dictionary<string, string>
                 {
                     ["service_code"] = "pothole", ["lat"] = "46.0686", ["long"] = "23.5702", ["address_string"] = "Str. Mihai Viteazul 12",
                     ["attribute[size]"] = "large", ["attribute[depth_cm]"] = "12",
                     ["description"] = description, ["name"] = "Maria Ionescu", ["email"] = "maria.ionescu@example.ro", ["website"] = "",
                 })
            form.Add(new StringContent(v), k);
        if (photo is not null)
        {
            var file = new ByteArrayContent(photo);
            file.Headers.ContentType = MediaTypeHeaderValue.Parse("image/jpeg");
            form.Add(file, "photo", "groapa.jpg");
        }
        return form;
    }

    [Test]
    public async Task Unmatched_map_reports_are_linked_to_their_citizen_marked_duplicate_and_shown_on_the_incident_map_with_their_photo()
    {
        var visitor = App.CreateClient();
        var first = await visitor.PostAsync("/api/public/reports", Report("Groapă adâncă pe banda dinspre cetate.", TestPictures.Make(800, 600, SKEncodedImageFormat.Jpeg)));
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created), await first.Content.ReadAsStringAsync());
        var again = await visitor.PostAsync("/api/public/reports", Report("Aceeași groapă, tot mai adâncă.", null));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Created), await again.Content.ReadAsStringAsync());
        var clerkApi = await App.ClientFor(StaffRole.Clerk);
        var maria = await clerkApi.RegisterCitizen(TestData.NewCnp(sex: 2), "Maria", "Ionescu");
        var email = await clerkApi.PostAsJsonAsync("/api/cases", new
        {
            kind = "information_request", channel = "email", subject = "Programul de colectare a deșeurilor",
            contact = new { name = "Ion Vasilescu", details = "ion.vasilescu@example.ro" },
        });
        Assert.That((int)email.StatusCode, Is.EqualTo(201), await email.Content.ReadAsStringAsync());
        var dispatcherApi = await App.ClientFor(StaffRole.Dispatcher);
        var queue = JsonDocument.Parse(await dispatcherApi.GetStringAsync("/api/dispatch/queue?unmatched=true")).RootElement.GetProperty("items").EnumerateArray()
            .ToDictionary(i => i.GetProperty("registrationNumber").GetString()!, i => i.GetProperty("caseId").GetGuid());
        Assert.That(queue.Keys, Is.EquivalentTo(new[] { "1/2030", "2/2030", "3/2030" }));

        var dispatcher = await SignInAs(StaffRole.Dispatcher);
        var page = dispatcher.Page;
        await dispatcher.Open("unmatched");
        await Expect(page.Locator("h1.screen-title")).ToHaveTextAsync("De legat");
        await Expect(page.Locator("#unmatched-table caption")).ToHaveTextAsync("Cazuri fără cetățean: 3");
        var firstRow = page.Locator($"#unmatched-table tr[data-case='{queue["1/2030"]}']");
        await Expect(firstRow.Locator("td").Nth(4)).ToHaveTextAsync("Maria Ionescu");
        await Expect(firstRow.Locator("td").Nth(2)).ToHaveTextAsync("hartă");
        await dispatcher.CheckScreen("unmatched");

        // The second report repeats the first: marked its duplicate (both are on the map, so they merge).
        await page.GetByRole(AriaRole.Button, new() { Name = "Marchează duplicat: 2/2030" }).ClickAsync();
        await Expect(page.Locator("#work-title")).ToHaveTextAsync("Cazul 2/2030 repetă alt caz");
        await Expect(page.Locator("#work-title")).ToBeFocusedAsync();
        await page.GetByLabel("Numărul cazului original").SelectOptionAsync(queue["1/2030"].ToString());
        await page.Locator("#unmatched-work button[type='submit']").ClickAsync();
        await Expect(page.Locator("#live")).ToHaveTextAsync("Cazul 2/2030 a fost marcat duplicat al cazului 1/2030.");
        await Expect(page.Locator("#unmatched-table caption")).ToHaveTextAsync("Cazuri fără cetățean: 2");

        // The first is linked to Maria, found by her name typed without diacritics.
        await page.GetByRole(AriaRole.Button, new() { Name = "Leagă de un cetățean: 1/2030" }).ClickAsync();
        await Expect(page.Locator("#work-title")).ToHaveTextAsync("Legați cazul 1/2030 de un cetățean");
        await page.GetByLabel("Caută cetățeanul").FillAsync("maria ionescu");
        await page.Keyboard.PressAsync("Enter");
        await page.GetByRole(AriaRole.Button, new() { Name = "Leagă de Ionescu Maria" }).ClickAsync();
        await Expect(page.Locator("#live")).ToHaveTextAsync("Cazul 1/2030 a fost legat de Ionescu Maria.");
        await Expect(page.Locator("#unmatched-table caption")).ToHaveTextAsync("Cazuri fără cetățean: 1");

        // Ion Vasilescu wrote by e-mail and is not registered: registered from the case and linked in one step.
        await page.GetByRole(AriaRole.Button, new() { Name = "Leagă de un cetățean: 3/2030" }).ClickAsync();
        await Expect(page.GetByLabel("Prenume")).ToHaveValueAsync("Ion");
        await Expect(page.GetByLabel("Nume", new() { Exact = true })).ToHaveValueAsync("Vasilescu");
        var ionCnp = TestData.NewCnp(sex: 1);
        await page.Locator("#new-national-id").FillAsync(ionCnp);
        await page.GetByRole(AriaRole.Button, new() { Name = "Înregistrează și leagă" }).ClickAsync();
        await Expect(page.Locator("#live")).ToHaveTextAsync("Cazul 3/2030 a fost legat de Vasilescu Ion.");
        await Expect(page.Locator("#unmatched-list")).ToHaveTextAsync("Toate cazurile au cetățean.");
        Assert.That(await dispatcher.AnswersWithWholeCnp(ionCnp), Is.Empty, "the answer shows the new citizen's CNP masked");
        var ion = JsonDocument.Parse(await dispatcherApi.GetStringAsync($"/api/cases/{queue["3/2030"]}")).RootElement.GetProperty("party");
        Assert.That((ion.GetProperty("kind").GetString(), ion.GetProperty("displayName").GetString()), Is.EqualTo(("citizen", "Ion Vasilescu")));
        var linked = JsonDocument.Parse(await dispatcherApi.GetStringAsync($"/api/cases/{queue["1/2030"]}")).RootElement;
        Assert.That(linked.GetProperty("party").GetProperty("citizenId").GetGuid(), Is.EqualTo(maria.Id));

        // The incident map: both reports, as markers and in the table; the marker's popup shows the photo and opens the case.
        await dispatcher.Open("incident-map");
        await Expect(page.Locator("h1.screen-title")).ToHaveTextAsync("Harta sesizărilor");
        var rows = page.Locator("#incidents-table tbody tr td:first-child");
        await Expect(rows).ToHaveTextAsync(new[] { "2/2030", "1/2030" });
        await Expect(page.Locator(".leaflet-marker-icon")).ToHaveCountAsync(2);
        await dispatcher.CheckScreen("incident-map");
        await page.Locator(".leaflet-marker-icon[title^='1/2030']").ClickAsync();
        var popup = page.Locator(".leaflet-popup .incident-popup");
        await Expect(popup.Locator(".popup-title")).ToHaveTextAsync("1/2030 · Groapă în carosabil");
        var thumbnail = popup.GetByAltText("Fotografia 1 a cazului 1/2030");
        await Expect(thumbnail).ToHaveAttributeAsync("src", new Regex("^/media/photos/[0-9a-f-]{36}/thumbnail$"));
        await Expect(thumbnail).ToHaveJSPropertyAsync("complete", true);
        Assert.That(await thumbnail.EvaluateAsync<int>("img => img.naturalWidth"), Is.EqualTo(320), "the thumbnail loaded (staff see a photo under review)");

        // Filtered by status: the duplicate is closed, the first one open.
        await page.GetByLabel("Stare").SelectOptionAsync("closed");
        await Expect(rows).ToHaveTextAsync(new[] { "2/2030" });
        await Expect(page.Locator("#incidents-table tbody tr td:nth-child(4)")).ToHaveTextAsync(new[] { "închis · conexat" });
        await page.GetByLabel("Stare").SelectOptionAsync("open");
        await Expect(rows).ToHaveTextAsync(new[] { "1/2030" });
        await Expect(page.Locator(".leaflet-marker-icon")).ToHaveCountAsync(1);
        await Expect(popup).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Arată pe hartă: 1/2030" }).ClickAsync();
        await Expect(popup).ToHaveCountAsync(1);
        await Expect(popup.GetByRole(AriaRole.Link, new() { Name = "Deschide cazul 1/2030" })).ToBeFocusedAsync();
        await popup.GetByRole(AriaRole.Link, new() { Name = "Deschide cazul 1/2030" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"#/case/{queue["1/2030"]}$"));
        dispatcher.AssertClean();
    }
}
