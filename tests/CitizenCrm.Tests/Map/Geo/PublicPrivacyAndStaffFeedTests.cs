using System.Net.Http.Json;
using System.Text.Json;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Infrastructure;
using Dapper;

namespace CitizenCrm.Tests.Map.Geo;

public sealed class PublicPrivacyAndStaffFeedTests : MapGeoTest
{
    [Test]
    public async Task The_public_feed_carries_no_reporter_name_email_or_phone_not_even_when_the_description_holds_them()
    {
        await Report(first: "Zenovia", last: "Testescu", email: "zenovia.unica@example.ro", phone: "0745 987 654",
            description: "Sunt Zenovia Testescu, tel. 0745 987 654, zenovia.unica@example.ro: groapa e în fața casei mele.");

        var body = await (await App.CreateClient().GetAsync("/api/public/map/incidents")).Content.ReadAsStringAsync();
        Assert.That(JsonDocument.Parse(body).RootElement.GetProperty("numberReturned").GetInt32(), Is.EqualTo(1), body);
        foreach (var secret in new[] { "Zenovia", "Testescu", "zenovia.unica", "example.ro", "987 654", "987654", "casei mele" })
            Assert.That(body, Does.Not.Contain(secret).IgnoreCase);

        // Staff read the description as the reporter wrote it (the case's own text); the contact fields stay in the case.
        var staff = await Json(Dispatcher, "/api/map/incidents");
        var p = staff.GetProperty("features")[0].GetProperty("properties");
        Assert.That(p.GetProperty("description").GetString(), Does.EndWith("casei mele."));
        Assert.That(p.EnumerateObject().Select(x => x.Name).Intersect(new[] { "first_name", "last_name", "name", "email", "phone", "contact_name", "contact_details" }),
            Is.Empty);
    }

    [Test]
    public async Task The_staff_feed_shows_the_case_details_and_its_read_of_a_citizen_is_audited()
    {
        var citizen = await Clerk.RegisterCitizen(firstName: "Ioana", lastName: "Mureșan", phone: "+40745111333");
        var first = await Report(46.07, 23.57, phone: "0745 111 333");                 // matched by phone: the citizen's report
        var second = await Report(46.07027, 23.57, email: "vecin@example.ro");          // 30 m north: a possible duplicate
        await Post(Dispatcher, $"/api/dispatch/cases/{first.CaseId}/assign", new { department = "Direcția Tehnică", staffUsername = "test-dispatcher" });
        await Post(Dispatcher, $"/api/map/reports/{second.CaseId}/hide", new { reason = "Fotografia arată numărul unei mașini." });

        // The public sees one report; staff see both, the hidden one flagged.
        Assert.That(Ids(await Json(App.CreateClient(), "/api/public/map/incidents")), Is.EqualTo(new[] { "2026-1" }));
        var feed = await Json(Dispatcher, "/api/map/incidents");
        Assert.That(Ids(feed), Is.EqualTo(new[] { "2026-2", "2026-1" }));
        var hidden = feed.GetProperty("features")[0].GetProperty("properties");
        Assert.That(hidden.GetProperty("registration_number").GetString(), Is.EqualTo("2/2026"));
        Assert.That(hidden.GetProperty("hidden").GetBoolean(), Is.True);
        Assert.That(hidden.GetProperty("hidden_by").GetString(), Is.EqualTo("test-dispatcher"));
        Assert.That(hidden.GetProperty("hidden_reason").GetString(), Is.EqualTo("Fotografia arată numărul unei mașini."));
        Assert.That(hidden.GetProperty("hidden_at").GetString(), Is.EqualTo("2026-12-01T10:02:00+02:00"));
        Assert.That(hidden.GetProperty("under_review").GetBoolean(), Is.False);
        Assert.That(hidden.GetProperty("party_kind").GetString(), Is.EqualTo("contact"));
        Assert.That(hidden.GetProperty("citizen_id").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(hidden.GetProperty("possible_duplicate_of").GetProperty("case_id").GetString(), Is.EqualTo(first.CaseId.ToString()));
        Assert.That(hidden.GetProperty("possible_duplicate_of").GetProperty("registration_number").GetString(), Is.EqualTo("1/2026"));
        var assigned = feed.GetProperty("features")[1].GetProperty("properties");
        Assert.That(assigned.GetProperty("case_status").GetString(), Is.EqualTo("assigned"));
        Assert.That(assigned.GetProperty("status").GetString(), Is.EqualTo("open"));
        Assert.That(assigned.GetProperty("department").GetString(), Is.EqualTo("Direcția Tehnică"));
        Assert.That(assigned.GetProperty("assigned_to").GetString(), Is.EqualTo("test-dispatcher"));
        Assert.That(assigned.GetProperty("priority").GetString(), Is.EqualTo("normal"));
        Assert.That(assigned.GetProperty("due_on").GetString(), Is.EqualTo("2026-12-11"), "pothole: 10 days from the day after 1 December");
        Assert.That(assigned.GetProperty("party_kind").GetString(), Is.EqualTo("citizen"));
        Assert.That(assigned.GetProperty("citizen_id").GetString(), Is.EqualTo(citizen.Id.ToString()));
        Assert.That(assigned.GetProperty("possible_duplicate_of").ValueKind, Is.EqualTo(JsonValueKind.Null));

        using var db = App.OpenDatabase();
        var audited = db.Query<string>("SELECT actor FROM audit_log WHERE citizen_id = @Id AND query = 'GetStaffMapIncidents'", new { citizen.Id }).ToList();
        Assert.That(audited, Is.EqualTo(new[] { "test-dispatcher" }));
    }

    [Test]
    public async Task The_staff_feed_is_for_staff_who_read_cases_only()
    {
        Assert.That((int)(await App.CreateClient().GetAsync("/api/map/incidents")).StatusCode, Is.EqualTo(401));
        Assert.That((int)(await (await App.ClientFor(StaffRole.Admin)).GetAsync("/api/map/incidents")).StatusCode, Is.EqualTo(403));
        Assert.That((int)(await Clerk.GetAsync("/api/map/incidents")).StatusCode, Is.EqualTo(200));
        Assert.That((int)(await (await App.ClientFor(StaffRole.Supervisor)).GetAsync("/api/map/incidents")).StatusCode, Is.EqualTo(200));
    }
}
