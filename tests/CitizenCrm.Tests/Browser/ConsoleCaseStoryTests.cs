using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Cases;
using CitizenCrm.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using StaffRole = CitizenCrm.Core.Common.StaffRole;

namespace CitizenCrm.Tests.Browser;

/// <summary>
/// The registry desk's cases in a real browser: a clerk registers a petition for a citizen found without diacritics and
/// prints its receipt; later, with the petition assigned to them by a dispatcher, finds it in "my work", writes an
/// internal note, records the answer with its document, and reads the law's refusal of a move it forbids.
/// The server's clock starts on Tuesday 20 January 2026, 10:00 in Alba Iulia.
/// </summary>
public sealed class ConsoleCaseStoryTests : ConsoleStory
{
    private FakeTimeProvider _clock = null!;

    protected override CrmTestApp CreateApp()
    {
        _clock = new FakeTimeProvider(RegistryDesk.Local("2026-01-20 10:00"));
        // The clock moves by weeks here and the browser's own clock is today's: the session must outlive both.
        return new CrmTestApp(settings: new Dictionary<string, string?> { ["Staff:TokenLifetimeHours"] = "100000" }, clock: _clock);
    }

    private static async Task<CaseDetails> Register(HttpClient clerk, object body)
    {
        var response = await clerk.PostAsJsonAsync("/api/cases", body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return await response.ReadJson<CaseDetails>();
    }

    [Test]
    public async Task A_clerk_finds_a_citizen_without_diacritics_registers_a_petition_prints_its_receipt_and_finds_it_by_number()
    {
        var clerkApi = await App.ClientFor(StaffRole.Clerk);
        var cnp = TestData.NewCnp();
        var citizen = await clerkApi.RegisterCitizen(cnp, firstName: "Ștefan", lastName: "Țărmure");
        await clerkApi.RegisterCitizen(firstName: "Ștefania", lastName: "Popa");

        var clerk = await SignInAs(StaffRole.Clerk);
        var page = clerk.Page;

        // "/" finds the citizen typed without diacritics.
        await page.Locator("body").PressAsync("/");
        await page.Locator("#search-input").FillAsync("stefan tarmure");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#search-results a")).ToHaveTextAsync("Țărmure Ștefan");
        await page.Keyboard.PressAsync("Escape");

        // The new registration: a petition, for the citizen found again inside the form, without diacritics.
        await clerk.Open("new-case");
        await Expect(page.Locator("h1.screen-title")).ToHaveTextAsync("Înregistrare nouă");
        await Expect(page.GetByLabel("Petiție", new() { Exact = true })).ToBeCheckedAsync();
        await page.GetByLabel("Căutați cetățeanul").FillAsync("tarmure");
        await page.GetByRole(AriaRole.Button, new() { Name = "Caută cetățeanul" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Alege pe Țărmure Ștefan" }).ClickAsync();
        await Expect(page.Locator(".case-chosen")).ToHaveTextAsync("Petent ales: Țărmure Ștefan — *********" + cnp[^4..]);
        await page.GetByLabel("Obiectul").FillAsync("Iluminat stradal defect pe strada Teilor");
        await page.GetByLabel("Conținutul").FillAsync("Trei stâlpi nu mai luminează de o săptămână, în dreptul numerelor 4–10.");
        await clerk.CheckScreen("new-case");
        await page.Locator("#register-case").ClickAsync();

        await Expect(page.Locator(".case-registered h2")).ToHaveTextAsync("Petiție înregistrată cu nr. 1/2026");
        await Expect(page.Locator(".case-registered-term")).ToHaveTextAsync("Termen de răspuns: 19 februarie 2026 (30 de zile rămase).");

        // The receipt is printed from the print stylesheet: on screen it is hidden, on paper it is all there is.
        await page.EvaluateAsync("() => { window.__printed = 0; window.print = () => window.__printed++; }");
        await page.Locator("#print-receipt").ClickAsync();
        await Expect(page.Locator(".case-receipt .case-receipt-number")).ToHaveTextAsync("Nr. 1/2026 din 20.01.2026");
        Assert.That(await page.EvaluateAsync<int>("() => window.__printed"), Is.EqualTo(1));
        Assert.That(await page.Locator(".case-receipt dd").AllTextContentsAsync(), Is.EqualTo(new[]
        {
            "Petiție", "Ștefan Țărmure", "Iluminat stradal defect pe strada Teilor", "20.01.2026 10:00", "19.02.2026",
        }));
        await Expect(page.Locator(".case-receipt")).ToBeHiddenAsync();
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Expect(page.Locator(".case-receipt")).ToBeVisibleAsync();
        await Expect(page.Locator("nav.sections")).ToBeHiddenAsync();
        await Expect(page.Locator("header.top")).ToBeHiddenAsync();
        await Expect(page.Locator(".case-registered")).ToBeHiddenAsync();
        await clerk.CheckScreen("receipt");
        await page.EmulateMediaAsync(new() { Media = Media.Screen });
        await Expect(page.Locator("nav.sections")).ToBeVisibleAsync();

        // Registered once, for this citizen.
        var cases = await clerkApi.GetFromJsonAsync<JsonElement>($"/api/citizens/{citizen.Id}/cases", Json.Options);
        Assert.That(cases.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("registrationNumber").GetString()), Is.EqualTo(new[] { "1/2026" }));

        // The global search by registration number opens the case.
        await page.Locator("body").PressAsync("/");
        await page.Locator("#search-input").FillAsync("1/2026");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#search-results a")).ToHaveTextAsync("1/2026 (general) — Iluminat stradal defect pe strada Teilor");
        await page.Locator("#search-results a").ClickAsync();
        await Expect(page.Locator("h1.screen-title")).ToHaveTextAsync("Petiție 1/2026");
        await Expect(page.Locator(".case-facts").First).ToContainTextAsync("19 februarie 2026 — 30 de zile rămase");
        Assert.That(await clerk.AnswersWithWholeCnp(cnp), Is.Empty, "no API answer carried the CNP whole");
        clerk.AssertClean();
    }

    [Test]
    public async Task A_clerk_sees_the_petition_a_dispatcher_assigned_in_my_work_notes_it_answers_it_with_a_document_and_reads_the_laws_refusal()
    {
        var clerkApi = await App.ClientFor(StaffRole.Clerk);
        var dispatcherApi = await App.ClientFor(StaffRole.Dispatcher);
        var cnp = TestData.NewCnp();
        var citizen = await clerkApi.RegisterCitizen(cnp, firstName: "Ioana", lastName: "Mureșan");
        var old = await Register(clerkApi, new { kind = "petition", subject = "Copac căzut pe aleea din Parcul Unirii", citizenId = citizen.Id });
        _clock.SetUtcNow(RegistryDesk.Local("2026-03-10 10:00"));
        var petition = await Register(clerkApi, new { kind = "petition", subject = "Groapă adâncă pe strada Teilor nr. 4", citizenId = citizen.Id });
        await Register(clerkApi, new { kind = "petition", subject = "Nu e a mea", citizenId = citizen.Id });
        foreach (var id in new[] { petition.Id, old.Id })
        {
            var assigned = await dispatcherApi.PostAsJsonAsync($"/api/dispatch/cases/{id}/assign", new { department = "Direcția Tehnică", staffUsername = "test-clerk" });
            Assert.That(assigned.StatusCode, Is.EqualTo(HttpStatusCode.OK), await assigned.Content.ReadAsStringAsync());
        }

        var clerk = await SignInAs(StaffRole.Clerk);
        var page = clerk.Page;
        await clerk.Open("my-work");
        await Expect(page.Locator("h1.screen-title")).ToHaveTextAsync("Lucrările mele");
        await Expect(page.Locator(".case-summary")).ToHaveTextAsync("2 lucrări deschise, dintre care una întârziată, pusă prima.");
        var rows = page.Locator("table.my-work tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        Assert.That(await rows.Nth(0).Locator("td").AllTextContentsAsync(), Is.EqualTo(new[]
        {
            "1/2026", "Petiție", "Copac căzut pe aleea din Parcul Unirii", "repartizat", "19 februarie 2026 — depășit cu 19 zile", "Ioana Mureșan",
        }));
        Assert.That(await rows.Nth(1).Locator("td").AllTextContentsAsync(), Is.EqualTo(new[]
        {
            "2/2026", "Petiție", "Groapă adâncă pe strada Teilor nr. 4", "repartizat", "9 aprilie 2026 — 30 de zile rămase", "Ioana Mureșan",
        }));
        await Expect(rows.Nth(0).Locator("td").Nth(4).Locator("span")).ToHaveClassAsync("late");
        await clerk.CheckScreen("my-work");

        // The case screen: the assignment on its history.
        await page.GetByRole(AriaRole.Link, new() { Name = "2/2026" }).ClickAsync();
        await Expect(page.Locator("h1.screen-title")).ToHaveTextAsync("Petiție 2/2026");
        await Expect(page.Locator(".case-status")).ToHaveTextAsync("repartizat");
        await Expect(page.Locator(".case-history li")).ToHaveCountAsync(2);
        await Expect(page.Locator(".case-history li .case-event-kind")).ToHaveTextAsync(["Repartizare", "Înregistrare"]);
        await Expect(page.Locator(".case-history li .case-event-kind").First).ToHaveAttributeAsync("title", "case.assigned");

        // An internal note, on the history, marked as staff only.
        await page.GetByLabel("Notă internă").FillAsync("Am sunat-o pe petentă: groapa are aproape jumătate de metru. Echipa vine joi.");
        await page.Locator("#add-note").ClickAsync();
        await Expect(page.Locator(".case-done")).ToHaveTextAsync("Nota internă a fost adăugată.");
        var note = page.Locator(".case-history li").First;
        await Expect(note).ToHaveClassAsync("case-event case-event-internal");
        await Expect(note.Locator(".case-internal-badge")).ToHaveTextAsync("Notă internă — doar personalul");
        await Expect(note.Locator(".case-event-text")).ToHaveTextAsync("Am sunat-o pe petentă: groapa are aproape jumătate de metru. Echipa vine joi.");

        // The answer, with its signed document uploaded in the same step.
        await page.Locator("details[data-move='answer'] summary").ClickAsync();
        var answer = page.Locator("form[data-move='answer']");
        await answer.GetByLabel("Textul răspunsului").FillAsync("Groapa de pe strada Teilor nr. 4 a fost astupată pe 12 martie 2026.");
        await answer.GetByLabel("Temeiul legal").FillAsync("OG 27/2002 art. 8");
        await answer.GetByLabel("Semnat de").FillAsync("Primar, Gabriel Pleșa");
        await answer.GetByLabel("Trimis prin").SelectOptionAsync("post");
        await answer.GetByLabel("Documentul semnat al răspunsului (fișier)").SetInputFilesAsync(new FilePayload
        {
            Name = "raspuns-2-2026.pdf", MimeType = "application/pdf", Buffer = "%PDF-1.7\n% raspuns semnat\n%%EOF\n"u8.ToArray(),
        });
        await clerk.CheckScreen("case-answer-form");
        await answer.GetByRole(AriaRole.Button, new() { Name = "Înregistrează răspunsul" }).ClickAsync();
        await Expect(page.Locator(".case-done")).ToHaveTextAsync("Răspunsul la 2/2026 a fost înregistrat.");
        await Expect(page.Locator(".case-status")).ToHaveTextAsync("răspuns");
        await Expect(page.Locator("#case-answer-title")).ToHaveTextAsync("Răspunsul");
        await Expect(page.Locator(".case-docs a")).ToHaveTextAsync("raspuns-2-2026.pdf");

        // A move the law forbids now: the server's 409, word for word.
        await page.Locator("details[data-move='start'] summary").ClickAsync();
        await page.Locator("form[data-move='start']").GetByRole(AriaRole.Button, new() { Name = "Începe lucrul" }).ClickAsync();
        var refusal = page.Locator("form[data-move='start'] .problem");
        await Expect(refusal.Locator(".problem-title")).ToHaveTextAsync("Not possible in this status");
        await Expect(refusal).ToContainTextAsync("An answered case cannot be started. Close case 2/2026, or register the new matter, linked to this one.");
        await clerk.CheckScreen("case");

        // The server agrees: answered with the document, and the note and the answer are on the citizen's timeline.
        var details = await clerkApi.GetFromJsonAsync<CaseDetails>($"/api/cases/{petition.Id}", Json.Options);
        Assert.That((details!.Status, details.Answer!.SentVia, details.Answer.SignedBy, details.Answer.OutgoingNumber),
            Is.EqualTo(("answered", "post", "Primar, Gabriel Pleșa", "4/2026")));
        Assert.That(details.Answer.DocumentSha256, Is.Not.Null);
        var timeline = await clerkApi.GetFromJsonAsync<JsonElement>($"/api/citizens/{citizen.Id}/timeline", Json.Options);
        var kinds = timeline.GetProperty("events").EnumerateArray()
            .Where(e => e.GetProperty("caseId").GetString() == petition.Id.ToString()).Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.That(kinds, Is.EqualTo(new[] { "case.answered", "case.document_attached", "case.internal_note", "case.assigned", "case.registered" }));
        Assert.That(await clerk.AnswersWithWholeCnp(cnp), Is.Empty, "no API answer carried the CNP whole");
        clerk.AssertClean();
    }
    [Test]
    public async Task A_clerk_registers_an_information_request_a_volunteer_brought_for_someone_not_in_the_register_in_english_too()
    {
        var clerk = await SignInAs(StaffRole.Clerk);
        var page = clerk.Page;
        await clerk.Open("new-case");
        await page.GetByLabel("Cerere de informații (Legea 544)").CheckAsync();
        await page.GetByLabel("Persoană care nu e în registru").CheckAsync();
        await Expect(page.GetByLabel("Căutați cetățeanul")).ToBeHiddenAsync();
        await page.GetByLabel("Numele persoanei").FillAsync("Maria Ionescu");
        await page.GetByLabel("Unde primește răspunsul").FillAsync("Str. Teilor 4, Alba Iulia");
        await page.GetByLabel("Adusă de un voluntar sau de echipa mobilă, în numele petentului").CheckAsync();
        await Expect(page.GetByLabel("Registrul")).ToBeDisabledAsync();
        await page.GetByLabel("Obiectul").FillAsync("Bugetul pentru reparații de drumuri în 2026");

        // Without a subject the server's field error shows beside the field; with it, the request is registered once.
        await page.GetByLabel("Obiectul").FillAsync("");
        await page.Locator("#register-case").ClickAsync();
        await Expect(page.Locator("form.case-form .problem")).ToContainTextAsync("The subject is required.");
        await Expect(page.GetByLabel("Obiectul")).ToHaveAttributeAsync("aria-invalid", "true");
        await page.GetByLabel("Obiectul").FillAsync("Bugetul pentru reparații de drumuri în 2026");
        await page.Locator("#register-case").ClickAsync();
        await Expect(page.Locator(".case-registered h2")).ToHaveTextAsync("Cerere de informații (Legea 544) înregistrată cu nr. 1/2026");
        await Expect(page.Locator(".case-registered-term")).ToHaveTextAsync("Termen de răspuns: 30 ianuarie 2026 (10 zile rămase).");

        // Its history says it was brought in the field, on the person's behalf.
        await page.GetByRole(AriaRole.Link, new() { Name = "Deschide lucrarea" }).ClickAsync();
        await Expect(page.Locator("h1.screen-title")).ToHaveTextAsync("Cerere de informații (Legea 544) 1/2026");
        var brought = page.Locator(".case-history li[data-kind='case.registered_on_behalf'] .case-event-head");
        await Expect(brought).ToContainTextAsync("Înregistrare în numele petentului · pe teren (voluntar sau echipă mobilă) · test-clerk (în numele lui Maria Ionescu)");

        // The same screen in English.
        await page.GetByRole(AriaRole.Button, new() { Name = "EN", Exact = true }).ClickAsync();
        await Expect(page.Locator("h1.screen-title")).ToHaveTextAsync("Information request (Law 544) 1/2026");
        await Expect(page.Locator(".case-facts").First).ToContainTextAsync("30 January 2026 — 10 days left");
        await clerk.CheckScreen("case-en");
        await page.GetByRole(AriaRole.Button, new() { Name = "RO", Exact = true }).ClickAsync();

        var api = await App.ClientFor(StaffRole.Clerk);
        var found = await (await api.GetAsync("/api/cases/by-registration-number/1/2026")).ReadJson<CasesFound>();

        // On a tablet, the new-case form and the case screen in one column.
        var tablet = await SignInAs(StaffRole.Supervisor, width: 800, height: 1100);
        await tablet.Open("new-case");
        await tablet.CheckScreen("new-case-tablet");
        await tablet.Page.GotoAsync(new Uri(Server, $"/console/#/case/{found.Items.Single().Id}").ToString());
        await Expect(tablet.Page.Locator("h1.screen-title")).ToHaveTextAsync("Cerere de informații (Legea 544) 1/2026");
        await Expect(tablet.Page.Locator("details[data-move='notify-extended-term']")).ToHaveCountAsync(1);
        await Expect(tablet.Page.Locator("details[data-move='extend']")).ToHaveCountAsync(0);
        await tablet.CheckScreen("case-tablet");
        tablet.AssertClean();
        var details = await api.GetFromJsonAsync<CaseDetails>($"/api/cases/{found.Items.Single().Id}", Json.Options);
        Assert.That((details!.Channel, details.Kind, details.Party.Kind, details.Party.DisplayName), Is.EqualTo(("field", "information_request", "contact", "Maria Ionescu")));
        clerk.AssertClean();
    }
}
