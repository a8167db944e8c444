using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Infrastructure;

namespace CitizenCrm.Tests.Cases;

/// <summary>Lists a person works from say how many there are and page by cursor: nothing hides behind a cut-off.</summary>
public sealed class PagedListTests
{
    private static async Task<JsonElement> GetJson(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Registers fiscal-certificate requests (2 working days each) through the core, 50 a day from 2 March 2026.</summary>
    private static async Task<List<Guid>> RegisterCertificates(RegistryDesk desk, Guid citizen, int count)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            if (i % 50 == 0) desk.SetLocalTime($"2026-03-{2 + i / 50:00} 08:00");
            else desk.Clock.Advance(TimeSpan.FromMinutes(1));
            var c = await desk.App.Send(new RegisterCase("service_request", "desk", $"Certificat {i}", null, citizen, null, null, false,
                "fiscal_certificate", null, false, null));
            ids.Add(c.Id);
        }
        return ids;
    }

    [Test]
    public async Task Two_hundred_and_fifty_overdue_cases_come_as_200_then_50_with_the_total_and_none_twice_or_missing()
    {
        using var desk = await RegistryDesk.OpenAsync("2026-03-02 07:00");
        var citizen = await desk.NewCitizen();
        var overdue = await RegisterCertificates(desk, citizen, 250);          // due 4 to 10 March
        desk.SetLocalTime("2026-03-30 10:00");
        await desk.Petition(citizen);                                          // due in April: not overdue
        var dispatcher = await desk.App.ClientFor(StaffRole.Dispatcher);

        var first = await GetJson(dispatcher, "/api/cases?overdue=true&limit=200");
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await GetJson(dispatcher, $"/api/cases?overdue=true&limit=200&cursor={Uri.EscapeDataString(cursor!)}");

        Assert.That(first.GetProperty("total").GetInt64(), Is.EqualTo(250));
        Assert.That(second.GetProperty("total").GetInt64(), Is.EqualTo(250));
        Assert.That(first.GetProperty("items").GetArrayLength(), Is.EqualTo(200));
        Assert.That(second.GetProperty("items").GetArrayLength(), Is.EqualTo(50));
        Assert.That(second.GetProperty("nextCursor").ValueKind, Is.EqualTo(JsonValueKind.Null));
        var items = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray()).ToList();
        Assert.That(items.Select(i => i.GetProperty("caseId").GetGuid()), Is.EquivalentTo(overdue), "every overdue case once, no other");
        var dueDates = items.Select(i => i.GetProperty("dueOn").GetString()).ToList();
        Assert.That(dueDates, Is.Ordered, "oldest deadline first, across the page boundary");
        Assert.That(dueDates.Distinct().Count(), Is.LessThan(250), "cases share due dates, so the cursor must break ties");
    }

    [Test]
    public async Task The_queue_pages_by_50_unless_told_otherwise_and_refuses_a_page_over_200_or_a_forged_cursor()
    {
        using var desk = await RegistryDesk.OpenAsync("2026-03-02 07:00");
        var citizen = await desk.NewCitizen();
        await RegisterCertificates(desk, citizen, 51);
        desk.SetLocalTime("2026-03-30 10:00");
        var dispatcher = await desk.App.ClientFor(StaffRole.Dispatcher);

        var page = await GetJson(dispatcher, "/api/cases?overdue=true");
        Assert.That(page.GetProperty("items").GetArrayLength(), Is.EqualTo(50));
        Assert.That(page.GetProperty("total").GetInt64(), Is.EqualTo(51));

        var tooBig = await (await dispatcher.GetAsync("/api/cases?overdue=true&limit=201")).AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(tooBig.ErrorFields(), Is.EqualTo(new[] { "limit" }));
        foreach (var forged in new[] { "abc", "!!!", "Y2FzZS1xdWV1ZQp4CnkK", Convert.ToBase64String("staff-users\nion"u8.ToArray()).TrimEnd('=') })
        {
            var problem = await (await dispatcher.GetAsync($"/api/cases?cursor={Uri.EscapeDataString(forged)}")).AssertProblem(HttpStatusCode.BadRequest);
            Assert.That(problem.GetProperty("errors").GetProperty("cursor")[0].GetString(), Does.StartWith("This cursor is not one this list gave out."), forged);
        }
    }

    [Test]
    public async Task A_citizens_cases_page_newest_first_with_their_total()
    {
        using var desk = await RegistryDesk.OpenAsync("2026-03-02 07:00");
        var citizen = await desk.NewCitizen();
        var ids = await RegisterCertificates(desk, citizen, 60);
        await desk.PostOk(ids[0], "assign", new { department = "Taxe" });
        await desk.PostOk(ids[0], "answer", new { text = "Eliberat", legalBasis = "Legea 207/2015", signedBy = "Șef serviciu", sentVia = "in_person" });

        var first = await GetJson(desk.Clerk, $"/api/citizens/{citizen}/cases");
        var second = await GetJson(desk.Clerk, $"/api/citizens/{citizen}/cases?cursor={Uri.EscapeDataString(first.GetProperty("nextCursor").GetString()!)}");
        var open = await GetJson(desk.Clerk, $"/api/citizens/{citizen}/cases?openOnly=true&limit=200");

        Assert.That(first.GetProperty("total").GetInt64(), Is.EqualTo(60));
        Assert.That(first.GetProperty("items").GetArrayLength(), Is.EqualTo(50));
        Assert.That(second.GetProperty("items").GetArrayLength(), Is.EqualTo(10));
        var all = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray())
            .Select(i => i.GetProperty("caseId").GetGuid()).ToList();
        Assert.That(all, Is.EquivalentTo(ids));
        Assert.That(all[0], Is.EqualTo(ids[59]), "the newest case first");
        Assert.That(all[^1], Is.EqualTo(ids[0]), "the oldest case last");
        Assert.That(open.GetProperty("total").GetInt64(), Is.EqualTo(59));
        Assert.That(open.GetProperty("items").GetArrayLength(), Is.EqualTo(59));
    }

    [Test]
    public async Task Staff_accounts_page_by_username_with_their_total()
    {
        using var app = new CrmTestApp();
        var admin = await app.ClientFor(StaffRole.Admin);
        await app.ClientFor(StaffRole.Clerk);
        await app.ClientFor(StaffRole.Dispatcher);

        var first = await GetJson(admin, "/api/staff-users?limit=2");
        var second = await GetJson(admin, $"/api/staff-users?limit=2&cursor={Uri.EscapeDataString(first.GetProperty("nextCursor").GetString()!)}");

        Assert.That(first.GetProperty("total").GetInt64(), Is.EqualTo(3));
        Assert.That(first.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("username").GetString()),
            Is.EqualTo(new[] { "test-admin", "test-clerk" }));
        Assert.That(second.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("username").GetString()),
            Is.EqualTo(new[] { "test-dispatcher" }));
        Assert.That(second.GetProperty("nextCursor").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public async Task The_phone_queues_open_callbacks_page_oldest_first_with_their_total()
    {
        using var app = new CrmTestApp();
        var dispatcher = await app.ClientFor(StaffRole.Dispatcher);
        // Arranged in SQL, with ids as Microsoft.Data.Sqlite writes a Guid (upper-case TEXT); pairs share created_at.
        using (var db = app.OpenDatabase())
        {
            for (var i = 0; i < 7; i++)
            {
                using var insert = db.CreateCommand();
                insert.CommandText = "INSERT INTO phone_requests (id, call_sid, kind, reason, caller_masked, language, created_at, handled_at) " +
                                     $"VALUES ('{Guid.NewGuid().ToString().ToUpperInvariant()}', 'CA{i:00}', 'callback', 'operator_closed', '+40 7** *** *{i:00}', 'ro', {1_700_000_000_000 + i / 2}, {(i == 6 ? "1" : "NULL")})";
                insert.ExecuteNonQuery();
            }
        }

        var first = await GetJson(dispatcher, "/api/phone/queue?limit=4");
        var second = await GetJson(dispatcher, $"/api/phone/queue?limit=4&cursor={Uri.EscapeDataString(first.GetProperty("nextCursor").GetString()!)}");

        Assert.That(first.GetProperty("requestsTotal").GetInt64(), Is.EqualTo(6), "the handled one is not counted");
        var sids = first.GetProperty("requests").EnumerateArray().Concat(second.GetProperty("requests").EnumerateArray())
            .Select(r => r.GetProperty("callSid").GetString()).ToList();
        Assert.That(sids.Take(4), Is.EquivalentTo(new[] { "CA00", "CA01", "CA02", "CA03" }));
        Assert.That(sids.Skip(4), Is.EquivalentTo(new[] { "CA04", "CA05" }));
        Assert.That(second.GetProperty("nextCursor").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public async Task A_citizens_timeline_and_the_audit_say_how_many_match_and_the_feed_says_nothing_it_cannot_count_cheaply()
    {
        using var app = new CrmTestApp();
        var clerk = await app.ClientFor(StaffRole.Clerk);
        var supervisor = await app.ClientFor(StaffRole.Supervisor);
        var citizen = await clerk.RegisterCitizen();
        for (var i = 0; i < 3; i++)
            (await clerk.PostAsJsonAsync($"/api/citizens/{citizen.Id}/interactions", new { type = "call_note", channel = "phone", summary = $"Call {i}" }))
                .EnsureSuccessStatusCode();

        var timeline = await GetJson(clerk, $"/api/citizens/{citizen.Id}/timeline?limit=2");
        var calls = await GetJson(clerk, $"/api/citizens/{citizen.Id}/timeline?channel=phone");
        var audit = await GetJson(supervisor, $"/api/audit?citizenId={citizen.Id}&limit=1");
        var feed = await GetJson(supervisor, "/api/timeline?limit=2");

        Assert.That(timeline.GetProperty("total").GetInt64(), Is.EqualTo(4), "registration and three calls");
        Assert.That(timeline.GetProperty("events").GetArrayLength(), Is.EqualTo(2));
        Assert.That(calls.GetProperty("total").GetInt64(), Is.EqualTo(3));
        Assert.That(feed.GetProperty("total").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(audit.GetProperty("total").GetInt64(), Is.EqualTo(2), "the two timeline reads above");
        Assert.That(audit.GetProperty("entries").GetArrayLength(), Is.EqualTo(1));
    }
}
