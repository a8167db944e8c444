using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Intake;
using CitizenCrm.Tests.Infrastructure;
using CitizenCrm.Tests.Intake;
using static CitizenCrm.Tests.Open311.Open311Client;

namespace CitizenCrm.Tests.Cases;

/// <summary>
/// The staff console's two additions to the registry desk: the search of a case by its registration number in every
/// register, and internal notes on a case, on its history and its citizen's timeline, never in a public answer.
/// Tuesday 10 March 2026 in Alba Iulia (WebForm's clock).
/// </summary>
public sealed class CaseNoteTests : WebForm
{
    private const string NoteText = "Am vorbit cu Direcția Tehnică: echipa ajunge joi. Nu spuneți petentului până nu confirmă șeful.";

    private async Task<CaseDetails> Register(object body)
    {
        var response = await Clerk.PostAsJsonAsync("/api/cases", body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return await response.ReadJson<CaseDetails>();
    }

    private static async Task<List<JsonElement>> Events(HttpResponseMessage response)
    {
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.ReadJson<JsonElement>()).GetProperty("events").EnumerateArray().ToList();
    }

    [Test]
    public async Task A_registration_number_finds_the_case_of_that_number_and_year_in_every_register_without_its_party()
    {
        var admin = await App.ClientFor(StaffRole.Admin);
        Assert.That((await admin.PostAsJsonAsync("/api/registry/registers", new { code = "urbanism", name = "Registrul Urbanism" })).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var citizen = (await Clerk.RegisterCitizen(firstName: "Ștefan", lastName: "Mureșanu")).Id;
        var general = await Register(new { kind = "petition", subject = "Iluminat stradal pe strada Teilor", citizenId = citizen });
        var urbanism = await Register(new { kind = "information_request", subject = "Planul urbanistic zonal Cetate", citizenId = citizen, register = "urbanism" });
        await Register(new { kind = "petition", subject = "Al doilea", citizenId = citizen });
        var dispatcher = await App.ClientFor(StaffRole.Dispatcher);

        var response = await dispatcher.GetAsync("/api/cases/by-registration-number/1/2026");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var body = await response.Content.ReadAsStringAsync();
        var items = JsonDocument.Parse(body).RootElement.GetProperty("items").EnumerateArray()
            .Select(i => $"{i.GetProperty("id").GetGuid() == (i.GetProperty("registerCode").GetString() == "general" ? general.Id : urbanism.Id)}|" +
                         $"{i.GetProperty("registrationNumber").GetString()}|{i.GetProperty("registerCode").GetString()}|{i.GetProperty("kind").GetString()}|" +
                         $"{i.GetProperty("status").GetString()}|{i.GetProperty("subject").GetString()}").ToList();
        Assert.That(items, Is.EqualTo(new[]
        {
            "True|1/2026|general|petition|registered|Iluminat stradal pe strada Teilor",
            "True|1/2026|urbanism|information_request|registered|Planul urbanistic zonal Cetate",
        }));
        Assert.That(body, Does.Not.Contain("Mureșanu").And.Not.Contain(citizen.ToString()), "no party in a search answer");
        Assert.That((await (await Clerk.GetAsync("/api/cases/by-registration-number/2/2026")).ReadJson<CasesFound>()).Items.Select(c => c.Subject),
            Is.EqualTo(new[] { "Al doilea" }));
        Assert.That((await (await Clerk.GetAsync("/api/cases/by-registration-number/1/2025")).ReadJson<CasesFound>()).Items, Is.Empty);
        Assert.That((await admin.GetAsync("/api/cases/by-registration-number/1/2026")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task An_internal_note_goes_on_the_cases_history_and_the_citizens_timeline_marked_internal()
    {
        var citizen = (await Clerk.RegisterCitizen(firstName: "Ana", lastName: "Pop")).Id;
        var petition = await Register(new { kind = "petition", subject = "Groapă pe strada Teilor", citizenId = citizen });
        var dispatcher = await App.ClientFor(StaffRole.Dispatcher);

        var response = await dispatcher.PostAsJsonAsync($"/api/cases/{petition.Id}/notes", new { text = "  " + NoteText + " " });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var note = await response.ReadJson<CaseNote>();
        Assert.That((note.RegistrationNumber, note.Author, note.Text, note.Internal), Is.EqualTo(("1/2026", "test-dispatcher", NoteText, true)));
        Assert.That(note.At, Is.EqualTo(TuesdayMorning));

        var history = await Events(await Clerk.GetAsync($"/api/timeline/cases/{petition.Id}"));
        Assert.That(history.Select(e => e.GetProperty("kind").GetString()), Is.EqualTo(new[] { "case.internal_note", "case.registered" }));
        var onCase = history[0];
        Assert.That(onCase.GetProperty("summary").GetString(), Is.EqualTo("Internal note on petition 1/2026 (staff only): " + NoteText));
        Assert.That(onCase.GetProperty("actor").GetString(), Is.EqualTo("test-dispatcher"));
        Assert.That(onCase.GetProperty("channel").GetString(), Is.EqualTo("desk"));
        Assert.That(onCase.GetProperty("payload").GetProperty("internal").GetBoolean(), Is.True);
        Assert.That(onCase.GetProperty("payload").GetProperty("text").GetString(), Is.EqualTo(NoteText));
        Assert.That(onCase.GetProperty("seq").GetInt64(), Is.EqualTo(note.Seq));

        var timeline = await Events(await Clerk.GetAsync($"/api/citizens/{citizen}/timeline"));
        Assert.That(timeline.Count(e => e.GetProperty("kind").GetString() == "case.internal_note" && e.GetProperty("seq").GetInt64() == note.Seq), Is.EqualTo(1));

        // A note changes nothing on the case and is allowed in any status, even after it was closed.
        var after = await (await Clerk.GetAsync($"/api/cases/{petition.Id}")).ReadJson<CaseDetails>();
        Assert.That((after.Status, after.Version), Is.EqualTo(("registered", petition.Version)));
    }

    [Test]
    public async Task A_note_that_is_empty_or_too_long_is_a_400_an_unknown_case_a_404_and_only_staff_of_the_desk_and_dispatch_write_one()
    {
        var petition = await Register(new { kind = "petition", subject = "Groapă", contact = new { name = "Ion Vasile", details = "Str. Teilor 4" } });

        var empty = await (await Clerk.PostAsJsonAsync($"/api/cases/{petition.Id}/notes", new { text = "   " })).AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(empty.GetProperty("errors").GetProperty("text")[0].GetString(), Is.EqualTo("The note's text is required."));
        var noBody = await (await Clerk.PostAsync($"/api/cases/{petition.Id}/notes", null)).AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(noBody.GetProperty("errors").GetProperty("text")[0].GetString(), Is.EqualTo("The note's text is required."));
        var tooLong = await (await Clerk.PostAsJsonAsync($"/api/cases/{petition.Id}/notes", new { text = new string('a', 4001) })).AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(tooLong.GetProperty("errors").GetProperty("text")[0].GetString(), Is.EqualTo("The note must be at most 4000 characters."));
        Assert.That((await Clerk.PostAsJsonAsync($"/api/cases/{petition.Id}/notes", new { text = new string('a', 4000) })).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        // The longest note is kept whole in the event's payload; its one-line summary is cut at 500 characters (the
        // server databases' column), which PostgreSQL would otherwise refuse.
        using (var history = System.Text.Json.JsonDocument.Parse(await Clerk.GetStringAsync($"/api/timeline/cases/{petition.Id}")))
        {
            var note = history.RootElement.GetProperty("events").EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "case.internal_note");
            var summary = note.GetProperty("summary").GetString()!;
            Assert.That(summary, Has.Length.EqualTo(500));
            Assert.That(summary, Does.StartWith("Internal note on petition ").And.EndWith("aaa…"));
            Assert.That(note.GetProperty("payload").GetProperty("text").GetString(), Is.EqualTo(new string('a', 4000)));
        }

        var unknown = await (await Clerk.PostAsJsonAsync("/api/cases/0b6c5f5e-9d1c-4c55-9a51-2b0f3c3a7d10/notes", new { text = "Notă" })).AssertProblem(HttpStatusCode.NotFound);
        Assert.That(unknown.GetProperty("title").GetString(), Is.EqualTo("Not found"));

        var admin = await App.ClientFor(StaffRole.Admin);
        Assert.That((await admin.PostAsJsonAsync($"/api/cases/{petition.Id}/notes", new { text = "Notă" })).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await Public.PostAsJsonAsync($"/api/cases/{petition.Id}/notes", new { text = "Notă" })).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var supervisor = await App.ClientFor(StaffRole.Supervisor);
        Assert.That((await supervisor.PostAsJsonAsync($"/api/cases/{petition.Id}/notes", new { text = "Notă" })).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(Count("timeline_events WHERE kind = 'case.internal_note'"), Is.EqualTo(2));
    }

    [Test]
    public async Task No_public_answer_shows_an_internal_note_not_the_web_status_nor_open311_updates_nor_the_maps_report()
    {
        // A web petition with its access code, and a map report sent by an Open311 app: both have public answers.
        var receipt = await (await Send(Form(Petition()))).ReadJson<WebRequestReceipt>();
        var key = await IssueKeyAsync(App);
        var reportId = await ReportAsync(Public, DumpingReport(key));
        Assert.That(reportId, Is.EqualTo("2026-2"));
        var webCase = (await (await Clerk.GetAsync("/api/cases/by-registration-number/1/2026")).ReadJson<CasesFound>()).Items.Single().Id;
        var mapCase = (await (await Clerk.GetAsync("/api/cases/by-registration-number/2/2026")).ReadJson<CasesFound>()).Items.Single().Id;
        foreach (var id in new[] { webCase, mapCase })
            Assert.That((await Clerk.PostAsJsonAsync($"/api/cases/{id}/notes", new { text = NoteText })).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await Clerk.PostAsJsonAsync($"/api/cases/{mapCase}/assign", new { department = "Direcția Tehnică" })).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var bodies = new Dictionary<string, string>();
        var status = await Status("/api/public/requests/2026/1", receipt.AccessCode);
        Assert.That(status.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        bodies["web status"] = await status.Content.ReadAsStringAsync();
        foreach (var path in new[] { $"{Base}/servicerequestupdates.json", $"{Base}/servicerequestupdates.xml", $"{Base}/requests/{reportId}.json",
                     $"/api/public/reports/{reportId}", $"/api/public/reports/{reportId}?lang=en" })
        {
            var response = await Public.GetAsync(path);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
            bodies[path] = await response.Content.ReadAsStringAsync();
        }

        foreach (var (where, body) in bodies)
        {
            Assert.That(body, Does.Not.Contain("Direcția Tehnică: echipa").And.Not.Contain("internal_note").And.Not.Contain("staff only"), where);
        }
        // The updates do list the report's public steps around the note: registered, then assigned.
        var updates = JsonDocument.Parse(bodies[$"{Base}/servicerequestupdates.json"]).RootElement.EnumerateArray()
            .Select(u => $"{u.GetProperty("service_request_id").GetString()}|{u.GetProperty("description").GetString()}").ToList();
        Assert.That(updates, Is.EqualTo(new[] { "2026-2|Sesizare înregistrată.", "2026-2|Sesizarea a fost repartizată unui angajat." }));
    }
}
