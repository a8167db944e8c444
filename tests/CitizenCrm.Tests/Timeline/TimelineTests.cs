using System.Net;
using System.Net.Http.Json;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using CitizenCrm.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using TimelineService = CitizenCrm.Core.Timeline.Timeline;

namespace CitizenCrm.Tests.Timeline;

public sealed class TimelineTests : ClerkTest
{
    private Task<HttpResponseMessage> LogCall(Guid citizenId, string summary) =>
        Clerk.PostAsJsonAsync($"/api/citizens/{citizenId}/interactions", new { type = "call_note", channel = "phone", summary });

    [Test]
    public async Task A_volunteers_field_visit_records_who_acted_for_whom()
    {
        var citizen = await Clerk.RegisterCitizen(firstName: "Elena", lastName: "Dobre");

        var response = await Clerk.PostAsJsonAsync($"/api/citizens/{citizen.Id}/interactions",
            new { type = "field_visit", channel = "field", summary = "Helped fill in the heating aid form", performedBy = "Radu (volunteer)" });

        var e = await response.ReadJson<TimelineEvent>();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(e.Actor, Is.EqualTo("Radu (volunteer)"));
        Assert.That(e.OnBehalfOf, Is.EqualTo("Elena Dobre"));
        Assert.That(e.Payload.GetProperty("recordedBy").GetString(), Is.EqualTo("test-clerk"));
        Assert.That(e.Kind, Is.EqualTo("interaction.field_visit"));
    }

    [Test]
    public async Task An_interaction_with_an_unknown_channel_or_kind_is_refused_with_field_errors()
    {
        var citizen = await Clerk.RegisterCitizen();
        var problem = await (await Clerk.PostAsJsonAsync($"/api/citizens/{citizen.Id}/interactions", new { type = "gossip", channel = "pigeon" }))
            .AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.SupersetOf(new[] { "type", "channel", "summary" }));
    }

    [Test]
    public void The_database_refuses_to_update_or_delete_a_timeline_event()
    {
        using var db = App.OpenDatabase();
        long Count(string table)
        {
            using var count = db.CreateCommand();
            count.CommandText = $"SELECT COUNT(*) FROM {table}";
            return (long)count.ExecuteScalar()!;
        }
        void Run(string sql)
        {
            using var command = db.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
        var before = Count("timeline_events");
        Assert.That(before, Is.GreaterThan(0), "the clerk's account creation is on the timeline");

        Assert.That(() => Run("UPDATE timeline_events SET kind = 'rewritten'"), Throws.InstanceOf<System.Data.Common.DbException>().With.Message.Contains("append-only"));
        Assert.That(() => Run("DELETE FROM timeline_events"), Throws.InstanceOf<System.Data.Common.DbException>().With.Message.Contains("append-only"));
        // The details of an event are erased, never rewritten; the view that joins them is read-only.
        Assert.That(() => Run("UPDATE timeline_details SET summary = 'rewritten'"), Throws.InstanceOf<System.Data.Common.DbException>().With.Message.Contains("never rewritten"));
        Assert.That(() => Run("UPDATE timeline SET summary = 'rewritten'"), Throws.InstanceOf<System.Data.Common.DbException>()
            .With.Message.Contains(TestDatabases.OnPostgres ? "cannot update view \"timeline\"" : "cannot modify timeline because it is a view"));
        Assert.That(() => Run("DELETE FROM timeline"), Throws.InstanceOf<System.Data.Common.DbException>()
            .With.Message.Contains(TestDatabases.OnPostgres ? "cannot delete from view \"timeline\"" : "cannot modify timeline because it is a view"));
        Assert.That(Count("timeline_events"), Is.EqualTo(before));
        Assert.That(Count("timeline_details"), Is.EqualTo(before));
    }

    [Test]
    public async Task A_retriedAppend_returns_the_original_event()
    {
        var citizen = await Clerk.RegisterCitizen();
        var entry = new TimelineEntry { Kind = "email.received", Channel = Channels.Email, Summary = "Asked about parking", CitizenId = citizen.Id, DedupKey = "mail:<abc@example.ro>:1" };

        var first = await AppendInOwnTransaction(entry);
        var retry = await AppendInOwnTransaction(entry with { Summary = "a retry never rewrites" });

        Assert.That(retry.EventId, Is.EqualTo(first.EventId));
        Assert.That(retry.Seq, Is.EqualTo(first.Seq));
        Assert.That(retry.Summary, Is.EqualTo("Asked about parking"));
        using var db = App.OpenDatabase();
        using var count = db.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM timeline WHERE dedup_key = 'mail:<abc@example.ro>:1'";
        Assert.That(count.ExecuteScalar(), Is.EqualTo(1L));
    }

    private async Task<TimelineEvent> AppendInOwnTransaction(TimelineEntry entry)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var uow = scope.ServiceProvider.GetRequiredService<UnitOfWork>();
        var timeline = scope.ServiceProvider.GetRequiredService<TimelineService>();
        return await uow.InTransactionAsync(() => timeline.AppendAsync(entry, CancellationToken.None), CancellationToken.None);
    }

    [Test]
    public async Task Keyset_pages_neither_skip_nor_repeat_while_new_events_arrive()
    {
        var citizen = await Clerk.RegisterCitizen();
        for (var i = 1; i <= 24; i++) (await LogCall(citizen.Id, $"call {i}")).EnsureSuccessStatusCode();
        var expected = new List<string> { "call 24" };

        var seen = new List<TimelineEvent>();
        string url = $"/api/citizens/{citizen.Id}/timeline?limit=10";
        var newOnes = 0;
        while (true)
        {
            var page = await (await Clerk.GetAsync(url)).ReadJson<TimelinePage>();
            seen.AddRange(page.Events);
            (await LogCall(citizen.Id, $"arrived meanwhile {++newOnes}")).EnsureSuccessStatusCode();
            if (page.NextBefore is null) break;
            url = $"/api/citizens/{citizen.Id}/timeline?limit=10&before={page.NextBefore}";
        }

        Assert.That(seen.Select(e => e.Seq), Is.Unique);
        Assert.That(seen.Select(e => e.Seq), Is.Ordered.Descending);
        Assert.That(seen, Has.Count.EqualTo(25), "24 calls and the registration, each once");
        Assert.That(seen.First().Summary, Is.EqualTo(expected[0]));
        Assert.That(seen.Last().Kind, Is.EqualTo("citizen.registered"));
        Assert.That(seen.Select(e => e.Summary), Has.None.StartsWith("arrived meanwhile"));
    }

    [Test]
    public async Task Filters_by_channel_kind_and_date_range()
    {
        var citizen = await Clerk.RegisterCitizen();
        (await LogCall(citizen.Id, "by phone")).EnsureSuccessStatusCode();
        (await Clerk.PostAsJsonAsync($"/api/citizens/{citizen.Id}/interactions",
            new { type = "desk_visit", channel = "desk", summary = "old visit", occurredAt = "2025-02-03T09:00:00+02:00" })).EnsureSuccessStatusCode();

        var phone = await Clerk.GetFromJsonAsync<TimelinePage>($"/api/citizens/{citizen.Id}/timeline?channel=phone", Json.Options);
        var visits = await Clerk.GetFromJsonAsync<TimelinePage>($"/api/citizens/{citizen.Id}/timeline?kind=interaction.desk_visit", Json.Options);
        var february2025 = await Clerk.GetFromJsonAsync<TimelinePage>($"/api/citizens/{citizen.Id}/timeline?from=2025-02-01&to=2025-02-28", Json.Options);

        Assert.That(phone!.Events.Select(e => e.Summary), Is.EqualTo(new[] { "by phone" }));
        Assert.That(visits!.Events.Select(e => e.Summary), Is.EqualTo(new[] { "old visit" }));
        Assert.That(february2025!.Events.Select(e => e.Summary), Is.EqualTo(new[] { "old visit" }));
        await (await Clerk.GetAsync($"/api/citizens/{citizen.Id}/timeline?channel=pigeon")).AssertProblem(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task A_failure_in_the_middle_of_a_command_leaves_neither_its_state_change_nor_its_event()
    {
        using (var db = App.OpenDatabase())
        using (var sabotage = db.CreateCommand())
        {
            // The citizen row and the event row are written first; the event's details then fail inside the same transaction.
            sabotage.CommandText = Sabotage.RefuseInsert("sabotage", "timeline_details", "NEW.summary LIKE 'Citizen Ana Pop registered%'", "disk on fire");
            sabotage.ExecuteNonQuery();
        }

        var response = await Clerk.PostAsJsonAsync("/api/citizens", new { nationalId = TestData.NewCnp(), firstName = "Ana", lastName = "Pop", phones = new[] { "0722000111" } });

        var problem = await response.AssertProblem(HttpStatusCode.InternalServerError);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("nothing was saved"));
        using var check = App.OpenDatabase();
        foreach (var table in new[] { "citizens", "citizen_phones", "citizen_name_tokens", "timeline_events WHERE kind = 'citizen.registered'" })
        {
            using var count = check.CreateCommand();
            count.CommandText = $"SELECT COUNT(*) FROM {table}";
            Assert.That(count.ExecuteScalar(), Is.EqualTo(0L), table);
        }
    }

    [Test]
    public async Task The_history_of_one_call_is_read_by_its_correlation()
    {
        var citizen = await Clerk.RegisterCitizen();
        var dispatcher = await App.ClientFor(StaffRole.Dispatcher);
        await AppendInOwnTransaction(new TimelineEntry { Kind = "call.started", Channel = Channels.Ivr, Summary = "Call started", CitizenId = citizen.Id, Correlation = "CA123", DedupKey = "twilio:CA123:0:1" });
        await AppendInOwnTransaction(new TimelineEntry { Kind = "call.ended", Channel = Channels.Ivr, Summary = "Call ended", CitizenId = citizen.Id, Correlation = "CA123", DedupKey = "twilio:CA123:5:1" });

        var call = await dispatcher.GetFromJsonAsync<TimelinePage>("/api/timeline/calls/CA123", Json.Options);
        var feed = await dispatcher.GetFromJsonAsync<TimelinePage>("/api/timeline?channel=ivr", Json.Options);

        Assert.That(call!.Events.Select(e => e.Kind), Is.EqualTo(new[] { "call.ended", "call.started" }));
        Assert.That(feed!.Events, Has.Count.EqualTo(2));
        await (await dispatcher.GetAsync("/api/timeline/calls/CA999")).AssertProblem(HttpStatusCode.NotFound);
    }
}
