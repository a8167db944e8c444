using System.Net;
using System.Net.Http.Json;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Staff;
using CitizenCrm.Tests.Api;
using CitizenCrm.Tests.Infrastructure;
using CitizenCrm.Tests.Staff;
using Dapper;

namespace CitizenCrm.Tests.Intake;

/// <summary>Volunteers have accounts of their own (role volunteer) and register requests in the field for a citizen.</summary>
public sealed class FieldIntakeTests : WebForm
{
    private async Task<HttpClient> Volunteer()
    {
        var admin = await App.ClientFor(StaffRole.Admin);
        var created = await admin.PostAsJsonAsync("/api/staff-users", new { username = "radu.voluntar", displayName = "Radu Ionescu", role = "volunteer", password = "parola-radu-1" });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        return App.WithToken(await App.SignIn("radu.voluntar", "parola-radu-1"));
    }

    [Test]
    public async Task A_volunteer_registers_a_request_for_a_citizen_and_the_case_and_timeline_say_who_acted_for_whom()
    {
        var citizen = await Clerk.RegisterCitizen(firstName: "Elena", lastName: "Bogdan");
        var volunteer = await Volunteer();

        var response = await volunteer.PostAsJsonAsync("/api/intake/field", new
        {
            kind = "service_request", service = "pothole", subject = "Groapă în fața blocului", description = "Doamna Bogdan nu se poate deplasa.", citizenId = citizen.Id,
        });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var c = await response.ReadJson<CaseDetails>();
        Assert.That((c.RegistrationNumber, c.Channel, c.DueOn, c.Party.CitizenId), Is.EqualTo(("1/2026", "field", (DateOnly?)new DateOnly(2026, 3, 20), (Guid?)citizen.Id)));

        var dispatcher = await App.ClientFor(StaffRole.Dispatcher);
        var queue = await (await dispatcher.GetAsync("/api/cases?dueWithinDays=30")).ReadJson<CaseQueue>();
        Assert.That(queue.Items.Select(i => (i.RegistrationNumber, i.DueOn, i.PartyName)), Is.EqualTo(new[] { ("1/2026", new DateOnly(2026, 3, 20), "Elena Bogdan") }));

        using var db = App.OpenDatabase();
        var events = db.Query<(string Kind, string Actor, string? OnBehalfOf, string Channel)>(
            "SELECT kind, actor, on_behalf_of, channel FROM timeline WHERE case_id = @Id ORDER BY seq", new { c.Id }).ToList();
        Assert.That(events, Is.EqualTo(new[]
        {
            ("case.registered", "radu.voluntar", (string?)null, "field"),
            ("case.registered_on_behalf", "radu.voluntar", (string?)"Elena Bogdan", "field"),
        }));
        var intake = db.QuerySingle<(string, string, string)>("SELECT registered_by, on_behalf_of, CAST(on_behalf_of_id AS VARCHAR(64)) FROM case_intake WHERE case_id = @Id", new { c.Id });
        Assert.That((intake.Item1, intake.Item2, Guid.Parse(intake.Item3)), Is.EqualTo(("radu.voluntar", "Elena Bogdan", citizen.Id)));
    }

    [Test]
    public async Task A_mobile_team_registers_for_someone_not_in_the_register_as_a_contact()
    {
        var dispatcher = await App.ClientFor(StaffRole.Dispatcher);

        var c = await (await dispatcher.PostAsJsonAsync("/api/intake/field", new
        {
            kind = "petition", subject = "Cerere de ajutor pentru lemne de foc", contact = new { name = "Gheorghe Stan", details = "Str. Morii 12, Alba Iulia" },
        })).ReadJson<CaseDetails>();

        Assert.That((c.Channel, c.Party.Kind, c.DueOn), Is.EqualTo(("field", "contact", (DateOnly?)new DateOnly(2026, 4, 9))));
        using var db = App.OpenDatabase();
        Assert.That(db.QuerySingle<(string, string)>("SELECT actor, on_behalf_of FROM timeline WHERE kind = 'case.registered_on_behalf'"),
            Is.EqualTo(("test-dispatcher", "Gheorghe Stan")));
    }

    [Test]
    public async Task A_field_request_says_for_whom_and_a_service_the_field_cannot_take_is_refused()
    {
        var volunteer = await Volunteer();

        var noParty = await (await volunteer.PostAsJsonAsync("/api/intake/field", new { kind = "petition", subject = "Ceva" })).AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(noParty.ErrorFields(), Does.Contain("party"));
        var marriage = await (await volunteer.PostAsJsonAsync("/api/intake/field", new
        {
            kind = "service_request", service = "marriage", subject = "Căsătorie", contact = new { name = "Ana Pop", details = "0745 000 111" },
        })).AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(marriage.ErrorFields(), Is.EqualTo(new[] { "channel" }));
        Assert.That(Count("cases"), Is.EqualTo(0));
    }

    [Test]
    public async Task A_volunteer_may_register_field_requests_and_nothing_a_staff_role_is_needed_for()
    {
        var volunteer = await Volunteer();
        var table = AccessTests.WhoMayCallByOperation();
        var wrong = new List<string>();
        foreach (var operation in await ApiDocument.OperationsAsync(App))
        {
            if (operation is "POST /api/auth/sign-out") continue; // would end the volunteer's session
            var who = table[operation];
            var method = operation[..operation.IndexOf(' ')];
            using var request = new HttpRequestMessage(new HttpMethod(method), ApiDocument.Fill(operation[(method.Length + 1)..], AccessTests.AnyIds));
            if (method is "POST" or "PUT") request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
            var status = (int)(await volunteer.SendAsync(request)).StatusCode;
            var allowed = who is "anyone" or "signed in" || who.Split(", ").Contains("volunteer");
            if (who is "Twilio signature" or "the console's header") allowed = false;
            if (allowed == status is 401 or 403) wrong.Add($"{operation}: {status} ({who})");
        }
        Assert.That(wrong, Is.Empty);
    }
}
