using CitizenCrm.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using StaffRole = CitizenCrm.Core.Common.StaffRole;

namespace CitizenCrm.Tests.Browser;

/// <summary>
/// Story 6: an admin runs a scheduled job now and sees its last run change, pauses and resumes it, creates a staff
/// account, reloads the phone robot's scripts (a bad edit refused with its problems listed), and uses every admin section.
/// </summary>
public sealed class ConsoleAdminStoryTests : ConsoleStory
{
    private static readonly string Scripts = Path.Combine(Path.GetTempPath(), "citizencrm-tests", "console-scripts-" + Guid.NewGuid().ToString("N"));

    /// <summary>Real schedules that cannot fire during the test (1 January 2099), and a copy of the phone scripts to edit.</summary>
    protected override CrmTestApp CreateApp()
    {
        Directory.CreateDirectory(Scripts);
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "CitizenCRM.sln"))) dir = dir.Parent;
        foreach (var f in Directory.GetFiles(Path.Combine(dir.FullName, "ivr-scripts"), "*.yaml"))
            File.Copy(f, Path.Combine(Scripts, Path.GetFileName(f)), overwrite: true);
        return new CrmTestApp(settings: new Dictionary<string, string?>
        {
            ["Jobs:RunOnSchedule"] = "true",
            ["Jobs:PhoneHousekeeping:Schedule"] = "0 0 3 1 1 ? 2099",
            ["Jobs:DeadlineSweep:Schedule"] = "0 0 6 1 1 ? 2099",
            ["Jobs:StatisticsSnapshot:Schedule"] = "0 30 1 1 1 ? 2099",
            ["Phone:ScriptsFolder"] = Scripts,
        });
    }

    [TearDown]
    public void RemoveScripts()
    {
        if (Directory.Exists(Scripts)) Directory.Delete(Scripts, recursive: true);
    }

    /// <summary>Whether a table is whole in its box: nothing to scroll sideways to (the window is 1280 px wide).</summary>
    private static Task<bool> FitsSideways(IPage page, string table) =>
        page.Locator(table).EvaluateAsync<bool>("t => t.parentElement.scrollWidth <= t.parentElement.clientWidth && t.getBoundingClientRect().right <= window.innerWidth");

    private static Task Confirm(IPage page) => page.Locator("dialog.confirm button[data-confirm='yes']").ClickAsync();

    [Test]
    public async Task An_admin_runs_a_job_now_pauses_and_resumes_it_creates_an_account_and_reloads_the_phone_scripts()
    {
        var admin = await SignInAs(StaffRole.Admin);
        var page = admin.Page;

        // The deadline sweep: never run, next at 06:00 in Bucharest on 1 January 2099.
        await admin.Open("jobs");
        var sweep = page.Locator("tr[data-job='deadline-sweep']");
        await Expect(sweep.Locator("td.last-run")).ToHaveTextAsync("niciodată");
        await Expect(sweep.Locator("td.schedule")).ToHaveTextAsync("expresie cron 0 0 6 1 1 ? 2099 — programată");
        await Expect(sweep.Locator("td.next-run")).ToHaveTextAsync("01.01.2099, 06:00:00");
        // The schedules in words where they are simple: an interval, a cron that fires once a day.
        await Expect(page.Locator("tr[data-job='revenue-drop-folder'] td.schedule")).ToHaveTextAsync("la fiecare 5 minute — programată");
        await Expect(page.Locator("tr[data-job='notification-sender'] td.schedule")).ToHaveTextAsync("la fiecare 30 de secunde — programată");
        await Expect(page.Locator("tr[data-job='mailbox-poll'] td.schedule")).ToHaveTextAsync("în fiecare minut — programată");
        await Expect(page.Locator("tr[data-job='data-retention'] td.schedule")).ToHaveTextAsync("în fiecare zi la 03:30 — programată");
        await admin.CheckScreen("jobs");

        await sweep.Locator("button[data-run='deadline-sweep']").ClickAsync();
        await Expect(page.Locator("dialog.confirm")).ToContainTextAsync("Rulați acum deadline-sweep?");
        await Confirm(page);
        await Expect(page.Locator("p.notice")).ToHaveTextAsync("deadline-sweep a rulat: 0 case(s) escalated as due soon, 0 flagged overdue");
        await Expect(sweep.Locator("td.last-run")).ToContainTextAsync("succeeded (admin): 0 case(s) escalated as due soon, 0 flagged overdue");

        await sweep.Locator("button[data-toggle='deadline-sweep']").ClickAsync();
        await Expect(page.Locator("p.notice")).ToHaveTextAsync("deadline-sweep este suspendată.");
        await Expect(sweep.Locator("td.schedule")).ToHaveTextAsync("expresie cron 0 0 6 1 1 ? 2099 — suspendată");
        await Expect(sweep.Locator("td.next-run")).ToHaveTextAsync("suspendată");
        await Expect(sweep.Locator("button[data-toggle='deadline-sweep']")).ToHaveTextAsync("Reia");
        await Expect(sweep.Locator("button[data-toggle='deadline-sweep']")).ToHaveAttributeAsync("aria-label", "Reia: deadline-sweep");
        await sweep.Locator("button[data-toggle='deadline-sweep']").ClickAsync();
        await Expect(page.Locator("p.notice")).ToHaveTextAsync("deadline-sweep a fost reluată.");
        await Expect(sweep.Locator("td.next-run")).ToHaveTextAsync("01.01.2099, 06:00:00");

        // A new dispatcher's account, then disabled after a confirmation.
        await admin.Open("staff");
        var create = page.Locator("form.create");
        await create.GetByLabel("Utilizator", new() { Exact = true }).FillAsync("ana.pop");
        await create.GetByLabel("Nume afișat", new() { Exact = true }).FillAsync("Ana Pop");
        await create.GetByLabel("Rol", new() { Exact = true }).SelectOptionAsync("dispatcher");
        await create.GetByLabel("Parola inițială", new() { Exact = true }).FillAsync("parola-ana-2026");
        await create.GetByLabel("Compartiment", new() { Exact = true }).FillAsync("Urbanism");
        await page.Locator("#create-staff").ClickAsync();
        await Expect(page.Locator("p.notice")).ToHaveTextAsync("Contul ana.pop a fost creat.");
        var ana = page.Locator("tr[data-user='ana.pop']");
        await Expect(ana.Locator("th, td").Nth(1)).ToHaveTextAsync("Ana Pop");
        await Expect(ana.Locator("th, td").Nth(2)).ToHaveTextAsync("dispecer");
        await Expect(ana.Locator("th, td").Nth(3)).ToHaveTextAsync("Urbanism");
        await Expect(ana.Locator("td.status")).ToHaveTextAsync("activ");
        await Expect(ana.Locator("button[data-toggle='ana.pop']")).ToHaveTextAsync("Dezactivează");
        await Expect(ana.Locator("button[data-toggle='ana.pop']")).ToHaveAttributeAsync("aria-label", "Dezactivează ana.pop");
        Assert.That(await FitsSideways(page, "table.staff"), Is.True, "the accounts' table fits 1280 px beside the menu");
        await admin.CheckScreen("staff");
        await ana.Locator("button[data-toggle='ana.pop']").ClickAsync();
        await Expect(page.Locator("dialog.confirm")).ToContainTextAsync("Dezactivați contul ana.pop?");
        await Confirm(page);
        await Expect(ana.Locator("td.status")).ToHaveTextAsync("dezactivat");
        // A password too short is refused beside its field, as the server words it.
        await ana.Locator("button[data-reset='ana.pop']").ClickAsync();
        await page.GetByLabel("Parola nouă", new() { Exact = true }).FillAsync("scurta");
        await page.Locator("#reset-password").ClickAsync();
        await Confirm(page);
        await Expect(page.Locator("form.reset input[name='password'] ~ p.field-error")).ToHaveTextAsync("The password must have at least 10 characters.");

        // The phone scripts: a good reload, then a bad edit refused with its problems listed.
        await admin.Open("phone-scripts");
        await page.Locator("#reload-scripts").ClickAsync();
        await Confirm(page);
        await Expect(page.Locator(".reload-result .notice")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^Scripturile din .+ au fost încărcate: \d+ stări\.$"));
        var ro = Path.Combine(Scripts, "prompts.ro.yaml");
        await File.WriteAllTextAsync(ro, (await File.ReadAllTextAsync(ro)).Replace("goodbye: \"La revedere.\"\n", ""));
        await page.Locator("#reload-scripts").ClickAsync();
        await Confirm(page);
        await Expect(page.Locator(".reload-result .problem-title")).ToHaveTextAsync("Scripturile au fost refuzate. Robotul folosește în continuare ultimele scripturi bune.");
        await Expect(page.Locator(".script-problems li").First).ToContainTextAsync("'goodbye'");
        await Expect(page.Locator(".script-problems li").First).ToContainTextAsync("prompts.ro.yaml");
        await admin.CheckScreen("phone-scripts");

        // An Open311 key, shown once.
        await admin.Open("open311-keys");
        await Expect(page.Locator("table.keys tbody td")).ToHaveTextAsync("Nicio cheie emisă: aici apar aplicațiile care trimit sesizări prin Open311, cu starea cheii lor. Emiteți una mai jos.");
        await page.GetByLabel("Aplicația", new() { Exact = true }).FillAsync("Aplicația Cartier");
        await page.Locator("#issue-key").ClickAsync();
        await Expect(page.Locator(".issued-key")).ToContainTextAsync("Copiați cheia acum: nu va mai fi afișată niciodată.");
        Assert.That((await page.Locator("#new-api-key").InputValueAsync()).Length, Is.GreaterThanOrEqualTo(20));
        await Expect(page.Locator("tr[data-key='Aplicația Cartier'] td").Nth(2)).ToHaveTextAsync("activ");
        await admin.CheckScreen("open311-keys");

        // The catalogue: the pothole service's term changed from 10 to 7 days (its questions and documents go back as they were).
        await admin.Open("catalogue");
        var pothole = page.Locator("tr[data-service='pothole']");
        await Expect(pothole.Locator("td").Nth(3)).ToHaveTextAsync("10");
        await Expect(pothole.Locator("button[data-edit='pothole']")).ToHaveTextAsync("Modifică");
        await Expect(pothole.Locator("button[data-edit='pothole']")).ToHaveAttributeAsync("aria-label", "Modifică pothole");
        Assert.That(await FitsSideways(page, "table.catalogue"), Is.True, "the catalogue's table fits 1280 px beside the menu");
        await pothole.Locator("button[data-edit='pothole']").ClickAsync();
        await Expect(page.Locator("#service-form-title")).ToHaveTextAsync("Modificați serviciul pothole");
        await page.GetByLabel("Termen de soluționare (zile)", new() { Exact = true }).FillAsync("7");
        await page.Locator("#save-service").ClickAsync();
        await Expect(page.Locator("p.notice")).ToHaveTextAsync("Serviciul pothole a fost salvat.");
        await Expect(pothole.Locator("td").Nth(3)).ToHaveTextAsync("7");
        await admin.CheckScreen("catalogue");

        // A notification text: an unknown placeholder refused beside its field as the server words it, then saved.
        await admin.Open("templates");
        await page.Locator("button[data-edit='acknowledgement/ro']").ClickAsync();
        await page.GetByLabel("Subiect", new() { Exact = true }).FillAsync("Înregistrarea {numar}");
        await page.Locator("#save-template").ClickAsync();
        await Expect(page.Locator("form.template input[name='subject'] ~ p.field-error")).ToContainTextAsync("Unknown placeholder {numar}.");
        await page.GetByLabel("Subiect", new() { Exact = true }).FillAsync("Înregistrarea nr. {number}");
        await page.Locator("#save-template").ClickAsync();
        await Expect(page.Locator("p.notice")).ToHaveTextAsync("Textul acknowledgement (ro) a fost salvat.");
        await Expect(page.Locator("table.templates tbody tr").Filter(new() { HasText = "Înregistrarea nr. {number}" }).Locator("th")).ToHaveTextAsync("Confirmare de înregistrare");
        await admin.CheckScreen("templates");

        // A register, and a non-working day declared after a confirmation.
        await admin.Open("registers");
        await page.Locator("form[aria-labelledby='new-register']").GetByLabel("Cod", new() { Exact = true }).FillAsync("arhiva");
        await page.Locator("form[aria-labelledby='new-register']").GetByLabel("Denumire", new() { Exact = true }).FillAsync("Registrul arhivei");
        await page.Locator("#save-register").ClickAsync();
        await Expect(page.Locator("p.notice")).ToHaveTextAsync("Registrul arhiva a fost creat.");
        await Expect(page.Locator("tr[data-register='arhiva'] td")).ToHaveTextAsync("Registrul arhivei");
        await admin.CheckScreen("registers");

        await page.GotoAsync(new Uri(Server, "/console/#/calendar?year=2026").ToString());
        await Expect(page.Locator("table.calendar caption")).ToHaveTextAsync("Zile nelucrătoare în 2026");
        await page.GetByLabel("Ziua", new() { Exact = true }).FillAsync("2026-12-31");
        await page.GetByLabel("Motiv", new() { Exact = true }).FillAsync("HG nr. 1/2026");
        await page.Locator("#declare-day").ClickAsync();
        await Expect(page.Locator("dialog.confirm")).ToContainTextAsync("Declarați 31 decembrie 2026 zi nelucrătoare?");
        await Confirm(page);
        await Expect(page.Locator("p.notice")).ToHaveTextAsync("Ziua 31 decembrie 2026 a fost adăugată.");
        await Expect(page.Locator("tr[data-day='2026-12-31'] td")).ToHaveTextAsync(["HG nr. 1/2026", "declarată de primărie"]);
        await Expect(page.Locator("tr[data-day='2026-12-25'] td").Nth(1)).ToHaveTextAsync("sărbătoare legală");
        await admin.CheckScreen("calendar");

        // In English, the same screens.
        await page.GetByRole(AriaRole.Button, new() { Name = "EN", Exact = true }).ClickAsync();
        await admin.Open("jobs");
        await Expect(page.Locator("h1.screen-title")).ToHaveTextAsync("Scheduled jobs");
        await Expect(page.Locator("tr[data-job='deadline-sweep'] button[data-run]")).ToHaveTextAsync("Run now");
        await Expect(page.Locator("tr[data-job='deadline-sweep'] button[data-run]")).ToHaveAttributeAsync("aria-label", "Run now: deadline-sweep");
        await Expect(page.Locator("tr[data-job='deadline-sweep'] td.schedule")).ToHaveTextAsync("cron expression 0 0 6 1 1 ? 2099 — scheduled");
        await page.GetByRole(AriaRole.Button, new() { Name = "RO", Exact = true }).ClickAsync();

        // The audit, the map moderation and the data-subject requests are the supervisors' (their endpoints say so): not offered here.
        foreach (var section in new[] { "audit", "moderation", "data-requests" })
            await Expect(page.Locator($"nav.sections a[data-section='{section}']")).ToHaveCountAsync(0);
        await Expect(page.Locator("nav.sections a[data-section='reports']")).ToHaveTextAsync("Rapoarte");
        admin.AssertClean();
    }
}
