using System.Net.Http.Json;
using CitizenCrm.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using StaffRole = CitizenCrm.Core.Common.StaffRole;

namespace CitizenCrm.Tests.Browser;

/// <summary>
/// Story 5: a supervisor opens the reports (a chart and its table with the same figures), changes the date range,
/// downloads a report as CSV, opens the Law 544 report in its print view, and reads the audit of who read whose record.
/// </summary>
public sealed class ConsoleSupervisorStoryTests : ConsoleStory
{
    private static string Short(string isoDate) => $"{isoDate[8..10]}.{isoDate[5..7]}.{isoDate[..4]}";

    private static string BucharestToday(int days = 0) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Bucharest")).DateTime)
            .AddDays(days).ToString("yyyy-MM-dd");

    [Test]
    public async Task A_supervisor_reads_the_reports_as_chart_and_table_downloads_a_CSV_prints_the_Law_544_report_and_reads_the_audit()
    {
        // Three petitions registered today (two at the desk, one by e-mail), and a clerk who opened the citizen's record.
        var clerkApi = await App.ClientFor(StaffRole.Clerk);
        var citizen = await clerkApi.RegisterCitizen(firstName: "Maria", lastName: "Ionescu");
        foreach (var (channel, subject) in new[] { ("desk", "Groapă în asfalt"), ("desk", "Iluminat stradal"), ("email", "Zgomot noaptea") })
        {
            var made = await clerkApi.PostAsJsonAsync("/api/cases", new { kind = "petition", channel, subject, citizenId = citizen.Id });
            Assert.That((int)made.StatusCode, Is.EqualTo(201), await made.Content.ReadAsStringAsync());
        }
        Assert.That((int)(await clerkApi.GetAsync($"/api/citizens/{citizen.Id}")).StatusCode, Is.EqualTo(200));

        var supervisor = await SignInAs(StaffRole.Supervisor);
        var page = supervisor.Page;
        await supervisor.Open("reports");
        await Expect(page.Locator("h1.screen-title")).ToHaveTextAsync("Rapoarte");

        // The cases report: a canvas named for screen readers, and beside it the table with the same figures.
        var cases = page.Locator("section[data-report='cases']");
        await Expect(cases.Locator("canvas[role='img']")).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex("^Grafic: Înregistrări pe tip, "));
        await Expect(cases.Locator("table caption")).ToContainTextAsync("Înregistrări pe tip");
        await Expect(cases.Locator("thead th")).ToHaveTextAsync(["Tip", "Înregistrate", "Răspunse", "Răspunse în termen", "% în termen", "Depășite acum"]);
        await Expect(cases.Locator("tbody tr th")).ToHaveTextAsync(["Petiție", "Cerere de informații (Legea 544)", "Cerere de serviciu", "Total"]);
        await Expect(cases.Locator("tbody tr").Filter(new() { HasText = "Petiție" }).Locator("th, td")).ToHaveTextAsync(["Petiție", "3", "0", "0", "—", "0"]);
        await Expect(cases.Locator("tbody tr").Filter(new() { HasText = "Total" }).Locator("th, td")).ToHaveTextAsync(["Total", "3", "0", "0", "—", "0"]);
        Assert.That(await cases.Locator("canvas").EvaluateAsync<int>("c => c.width"), Is.GreaterThan(100), "the chart is drawn");
        // The reports the law requires are reached from the top, before the charts.
        await Expect(page.Locator("section.legal-links, section.report").First).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("legal-links"));
        // The service filter lists the catalogue by name.
        await Expect(page.GetByLabel("Serviciu", new() { Exact = true }).Locator("option[value='pothole']")).ToHaveTextAsync("Groapă în carosabil");
        // Interactions per day and channel: a row a day, a column a channel; the three registrations, today.
        var interactions = page.Locator("section[data-report='interactions'] tbody tr");
        await Expect(page.Locator("section[data-report='interactions'] thead th")).ToHaveTextAsync(["Data", "Ghișeu", "E-mail", "Total"]);
        await Expect(interactions).ToHaveCountAsync(1);
        await Expect(interactions.Nth(0).Locator("th, td")).ToHaveTextAsync([Short(BucharestToday()), "2", "1", "3"]);
        // The phone robot's figures in words, their long table folded under the chart.
        await Expect(page.Locator("section[data-report='phone-robot'] details summary")).ToHaveTextAsync("Arată tabelul cu cifrele (16 rânduri)");
        await Expect(page.Locator("section[data-report='phone-robot'] tbody th").First).ToHaveTextAsync("Apeluri");
        await Expect(page.Locator("section[data-report='phone-robot'] tbody tr").Filter(new() { HasText = "Apeluri cu nota: 5" }).Locator("td")).ToHaveTextAsync("0");
        await supervisor.CheckScreen("reports");

        // The CSV, downloaded through a blob: link: the server's header line and the petitions' row.
        var download = await page.RunAndWaitForDownloadAsync(() => cases.Locator("button[data-download='cases']").ClickAsync());
        Assert.That(download.SuggestedFilename, Is.EqualTo($"cases-{BucharestToday(-29)}-{BucharestToday()}.csv"));
        var lines = (await File.ReadAllTextAsync((await download.PathAsync())!)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Is.EqualTo("kind,opened,answered,answered_within_term,answered_within_term_percent,overdue_now"));
        Assert.That(lines, Does.Contain("petition,3,0,0,,0"));
        Assert.That(lines, Does.Contain("all,3,0,0,,0"));

        // The petitions report for the same days, ready to print: the three petitions, two in writing and one by e-mail.
        await page.Locator("a[data-law='petitions']").ClickAsync();
        await Expect(page.Locator("h1.screen-title")).ToHaveTextAsync("Raport privind activitatea de soluționare a petițiilor (OG 27/2002)");
        await Expect(page.Locator("tr[data-figure='petitions_received'] td.value")).ToHaveTextAsync("3");
        await Expect(page.Locator("tr[data-figure='petitions_written'] td.value")).ToHaveTextAsync("2");
        await Expect(page.Locator("tr[data-figure='petitions_electronic'] td.value")).ToHaveTextAsync("1");
        await supervisor.CheckScreen("petitions");
        await page.GetByRole(AriaRole.Link, new() { Name = "Înapoi la rapoarte" }).ClickAsync();
        await Expect(cases.Locator("tbody tr").Filter(new() { HasText = "Total" }).Locator("th, td")).ToHaveTextAsync(["Total", "3", "0", "0", "—", "0"]);

        // January 2025: nothing registered then.
        await page.GetByLabel("De la data").FillAsync("2025-01-01");
        await page.GetByLabel("Până la data").FillAsync("2025-01-31");
        await page.Locator("#show-reports").ClickAsync();
        await Expect(page.Locator("p.period")).ToHaveTextAsync("Perioada: 1 ianuarie 2025 – 31 ianuarie 2025");
        await Expect(cases.Locator("tbody tr").Filter(new() { HasText = "Total" }).Locator("th, td")).ToHaveTextAsync(["Total", "0", "0", "0", "—", "0"]);
        await Expect(cases.Locator(".chart-empty-text")).ToHaveTextAsync("Nicio dată în intervalul ales.");
        await Expect(page.Locator("section[data-report='interactions'] tbody td")).ToHaveTextAsync("Nicio înregistrare în această perioadă.");
        // A range the server refuses is shown as it words it, in each report.
        await page.GetByLabel("De la data").FillAsync("2025-02-01");
        await page.Locator("#show-reports").ClickAsync();
        await Expect(page.Locator("section[data-report='cases'] .problem")).ToContainTextAsync("to (2025-01-31) is before from (2025-02-01)");

        // The Law 544 yearly report, laid out for paper: the console's navigation and buttons are not printed.
        await page.Locator("a[data-law='544']").ClickAsync();
        await Expect(page.Locator("h1.screen-title")).ToHaveTextAsync("Raport anual privind accesul la informațiile de interes public (Legea 544/2001)");
        await Expect(page.Locator(".legal-meta dd").First).ToHaveTextAsync("Legea 544/2001 art. 27; HG 123/2002 art. 27; HG 478/2016");
        await supervisor.CheckScreen("law-544");
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Expect(page.Locator("nav.sections")).ToBeHiddenAsync();
        await Expect(page.Locator("#print-report")).ToBeHiddenAsync();
        await Expect(page.Locator(".printed-from")).ToHaveTextAsync("Tipărit din consola primăriei — Test Supervisor");
        await supervisor.Screenshot("law-544-print");
        await page.EmulateMediaAsync(new() { Media = Media.Screen });

        // The audit: the clerk's read of Maria Ionescu's record.
        await supervisor.Open("audit");
        await Expect(page.Locator("h1.screen-title")).ToHaveTextAsync("Jurnalul de acces la date");
        var row = page.Locator("table.audit tbody tr").Filter(new() { HasText = "test-clerk" }).Filter(new() { HasText = citizen.Id.ToString() });
        await Expect(row.First.Locator("td").Nth(2)).ToHaveTextAsync("clerk");
        await Expect(row.First.Locator("td.endpoint")).ToHaveTextAsync("GET /api/citizens/{id:guid}");
        await page.GetByLabel("Utilizator", new() { Exact = true }).FillAsync("test-clerk");
        await page.Locator("#audit-filter").ClickAsync();
        await Expect(page.Locator(".audit-results p.total")).ToHaveTextAsync("Citiri găsite: 1.");
        await supervisor.CheckScreen("audit");

        // Fifty more reads of Maria's record by a dispatcher: 51 in all, a page of 50 and a second page with the clerk's, the oldest.
        var dispatcherApi = await App.ClientFor(StaffRole.Dispatcher);
        for (var i = 0; i < 50; i++) Assert.That((int)(await dispatcherApi.GetAsync($"/api/citizens/{citizen.Id}")).StatusCode, Is.EqualTo(200));
        await page.GetByLabel("Utilizator", new() { Exact = true }).FillAsync("");
        await page.GetByLabel("Identificatorul cetățeanului", new() { Exact = true }).FillAsync(citizen.Id.ToString());
        await page.Locator("#audit-filter").ClickAsync();
        await Expect(page.Locator(".audit-results p.total")).ToHaveTextAsync("Citiri găsite: 51.");
        await Expect(page.Locator("table.audit tbody tr")).ToHaveCountAsync(50);
        await Expect(page.Locator("table.audit tbody tr").First.Locator("td").Nth(1)).ToHaveTextAsync("test-dispatcher");
        await page.GetByRole(AriaRole.Button, new() { Name = "Pagina următoare (mai vechi)" }).ClickAsync();
        await Expect(page.Locator("table.audit caption")).ToHaveTextAsync("Citiri ale datelor cetățenilor, pagina 2");
        await Expect(page.Locator("table.audit tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("table.audit tbody tr td").Nth(1)).ToHaveTextAsync("test-clerk");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Pagina următoare (mai vechi)" })).ToBeDisabledAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Pagina anterioară" }).ClickAsync();
        await Expect(page.Locator("table.audit caption")).ToHaveTextAsync("Citiri ale datelor cetățenilor, pagina 1");
        await Expect(page.Locator("table.audit tbody tr")).ToHaveCountAsync(50);

        // Maria's access request (GDPR art. 15), answered by the export: a JSON file downloaded through a blob: link.
        var supervisorApi = await App.ClientFor(StaffRole.Supervisor);
        var registered = await supervisorApi.PostAsJsonAsync($"/api/citizens/{citizen.Id}/data-requests", new { kind = "access", receivedOn = BucharestToday(), channel = "desk" });
        Assert.That((int)registered.StatusCode, Is.EqualTo(201), await registered.Content.ReadAsStringAsync());
        await supervisor.Open("data-requests");
        await Expect(page.Locator("h1.screen-title")).ToHaveTextAsync("Cererile persoanelor vizate (GDPR)");
        var request = page.Locator("table.requests tbody tr");
        await Expect(request).ToHaveCountAsync(1);
        await Expect(request.Locator("th, td").Nth(0)).ToHaveTextAsync("access");
        await Expect(request.Locator("th, td").Nth(4)).ToHaveTextAsync("deschisă");
        await supervisor.CheckScreen("data-requests");
        await request.Locator("button[data-choose]").ClickAsync();
        var export = await page.RunAndWaitForDownloadAsync(() => page.Locator("#export-request").ClickAsync());
        Assert.That(export.SuggestedFilename, Is.EqualTo($"date-personale-{citizen.Id}-{BucharestToday()}.json"));
        Assert.That(await File.ReadAllTextAsync((await export.PathAsync())!), Does.Contain("\"lastName\": \"Ionescu\""));
        await Expect(page.Locator("p.notice")).ToHaveTextAsync($"Exportul a fost descărcat: date-personale-{citizen.Id}-{BucharestToday()}.json");
        await page.GetByLabel("Stare", new() { Exact = true }).SelectOptionAsync("completed");
        await Expect(request.Locator("th, td").Nth(4)).ToHaveTextAsync("soluționată");
        await Expect(request.Locator("th, td").Nth(6)).ToHaveTextAsync($"Copy of the personal data held delivered as JSON on {BucharestToday()} (GDPR art. 15, 20)");

        // The map moderation (the supervisors' and the dispatchers'): a pothole reported on the public map page, hidden
        // with its reason after a confirmation, then shown again.
        var form = new MultipartFormDataContent();
        foreach (var (k, v) in new Dictionary<string, string>
                 {
                     ["service_code"] = "pothole", ["lat"] = "46.0686", ["long"] = "23.5702", ["attribute[size]"] = "large", ["attribute[depth_cm]"] = "12",
                     ["address_string"] = "Str. Mihai Viteazul 12", ["description"] = "Groapă adâncă pe banda dinspre cetate.", ["website"] = "",
                 })
            form.Add(new StringContent(v), k);
        var reported = await App.CreateClient().PostAsync("/api/public/reports", form);
        Assert.That((int)reported.StatusCode, Is.EqualTo(201), await reported.Content.ReadAsStringAsync());
        var number = (await reported.ReadJson<System.Text.Json.JsonElement>()).GetProperty("registrationNumber").GetString()!;
        await supervisor.Open("moderation");
        await Expect(page.Locator("h1.screen-title")).ToHaveTextAsync("Moderarea hărții");
        await Expect(page.Locator("table.moderation caption")).ToHaveTextAsync("Sesizări cu locație (1)");
        var pothole = page.Locator($"tr[data-report='{number}']");
        await Expect(pothole.Locator("td").Nth(0)).ToHaveTextAsync("Groapă în carosabil");
        await Expect(pothole.Locator("td.state")).ToHaveTextAsync("publică acum");
        await supervisor.CheckScreen("moderation");
        await pothole.GetByLabel($"Motivul ascunderii: {number}").FillAsync("Adresa unei persoane în descriere");
        await pothole.Locator($"button[data-hide='{number}']").ClickAsync();
        await Expect(page.Locator("dialog.confirm")).ToContainTextAsync($"Ascundeți {number} de pe harta publică?");
        await page.Locator("dialog.confirm button[data-confirm='yes']").ClickAsync();
        await Expect(pothole.Locator("td.state")).ToHaveTextAsync("ascunsă: Adresa unei persoane în descriere");
        await pothole.Locator($"button[data-show='{number}']").ClickAsync();
        await Expect(pothole.Locator("td.state")).ToHaveTextAsync("publică acum");
        supervisor.AssertClean();
    }
}
