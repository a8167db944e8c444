using System.Net.Http.Json;
using CitizenCrm.Tests.Infrastructure;

namespace CitizenCrm.Tests.Map.Geo;

/// <summary>Item 7: a reporter who gave an e-mail hears of the registration and of each public step, by e-mail, through the outbox.</summary>
public sealed class ReportersHearBackTests : MapGeoTest
{
    private static string StatusBody(string name, string subject, string number, string status, string id) =>
        $"Bună ziua, {name},\n\nSesizarea „{subject}”, nr. {number}, are o noutate: {status}\n\n" +
        $"Puteți urmări sesizarea aici: https://sesizari.apulum.example/map/r/{id}\n\nPrimăria";

    [Test]
    public async Task A_reporter_with_an_email_gets_the_acknowledgement_and_an_email_at_each_public_step()
    {
        var report = await Report(first: "Ana", last: "Pop", email: "ana.pop@example.ro", phone: "0745 000 111");
        var ack = Notices("acknowledgement");
        Assert.That(ack.Select(n => (n.Recipient, n.Subject)), Is.EqualTo(new[]
            { ("ana.pop@example.ro", "Înregistrare 1/2026: Groapă în carosabil — Str. Mihai Viteazul 12") }));
        Assert.That(Notices("status_changed"), Is.Empty, "the registration is the acknowledgement's, not a status notice");

        await Post(Dispatcher, $"/api/dispatch/cases/{report.CaseId}/assign", new { department = "Direcția Tehnică" });
        await Post(Clerk, $"/api/cases/{report.CaseId}/start", null);
        await Post(Clerk, $"/api/cases/{report.CaseId}/file", new { reason = "Reparată." });

        var status = Notices("status_changed");
        Assert.That(status.Select(n => n.Recipient), Is.EqualTo(new[] { "ana.pop@example.ro", "ana.pop@example.ro", "ana.pop@example.ro" }));
        Assert.That(status.Select(n => n.Subject), Is.EqualTo(new[]
        {
            "Sesizarea 1/2026: Sesizarea a fost repartizată unui angajat.",
            "Sesizarea 1/2026: Lucrarea a început.",
            "Sesizarea 1/2026: Clasată.",
        }));
        Assert.That(status[0].Body, Is.EqualTo(StatusBody("Ana Pop", "Groapă în carosabil — Str. Mihai Viteazul 12", "1/2026",
            "Sesizarea a fost repartizată unui angajat.", "2026-1")));
        Assert.That(status.Select(n => n.CaseId), Is.All.EqualTo(report.CaseId));
    }

    [Test]
    public async Task A_reporter_matched_to_a_citizen_hears_back_at_the_citizens_email()
    {
        var created = await Clerk.PostAsJsonAsync("/api/citizens", new
        {
            nationalId = TestData.NewCnp(), firstName = "Ioana", lastName = "Mureșan", phones = new[] { "+40745111444" },
            emails = new[] { "ioana.muresan@example.ro" },
        });
        Assert.That((int)created.StatusCode, Is.EqualTo(201), await created.Content.ReadAsStringAsync());
        var report = await Report(phone: "0745 111 444");   // matched by the phone; the e-mail comes from the citizen's record
        await Post(Dispatcher, $"/api/dispatch/cases/{report.CaseId}/assign", new { department = "Direcția Tehnică" });

        Assert.That(Notices().Select(n => (n.Kind, n.Recipient)), Is.EqualTo(new[]
        {
            ("acknowledgement", "ioana.muresan@example.ro"),
            ("status_changed", "ioana.muresan@example.ro"),
        }));
        Assert.That(Notices("status_changed")[0].Body, Does.StartWith("Bună ziua, Ioana Mureșan,"));
    }

    [Test]
    public async Task A_reporter_who_gave_no_email_gets_no_status_email()
    {
        var anonymous = await Report(description: "Fără date de contact");
        var byPhone = await Report(46.08, 23.58, first: "Radu", phone: "0745 000 222");
        await Post(Dispatcher, $"/api/dispatch/cases/{anonymous.CaseId}/assign", new { department = "Direcția Tehnică" });
        await Post(Dispatcher, $"/api/dispatch/cases/{byPhone.CaseId}/assign", new { department = "Direcția Tehnică" });
        Assert.That(Notices(), Is.Empty);
    }

    [Test]
    public async Task When_a_dispatcher_merges_a_duplicate_both_reporters_receive_the_updates_of_the_case_that_stays()
    {
        var first = await Report(first: "Ana", last: "Pop", email: "ana.pop@example.ro");
        var second = await Report(46.07027, 23.57, first: "Dan", last: "Vlad", email: "dan.vlad@example.ro", address: "Str. Mihai Viteazul 14");
        Assert.That(second.PossibleDuplicateOf, Is.EqualTo(first.CaseId));

        // Two people, one pothole: merged although the reporters differ.
        await Post(Dispatcher, $"/api/dispatch/cases/{second.CaseId}/duplicate", new { ofCaseId = first.CaseId });
        Assert.That(TimelineKinds(second.CaseId), Is.EqualTo(new[] { "case.registered", "case.possible_duplicate", "case.joined" }));
        var joined = Notices("status_changed");
        Assert.That(joined.Select(n => (n.Recipient, n.Subject)), Is.EqualTo(new[]
            { ("dan.vlad@example.ro", "Sesizarea 2/2026: Conexată cu o sesizare despre aceeași problemă.") }));

        await Post(Dispatcher, $"/api/dispatch/cases/{first.CaseId}/assign", new { department = "Direcția Tehnică" });
        await Post(Clerk, $"/api/cases/{first.CaseId}/start", null);

        var updates = Notices("status_changed").Skip(1).ToList();
        Assert.That(updates.Select(n => (n.Recipient, n.Subject, n.CaseId)), Is.EqualTo(new[]
        {
            ("ana.pop@example.ro", "Sesizarea 1/2026: Sesizarea a fost repartizată unui angajat.", first.CaseId),
            ("dan.vlad@example.ro", "Sesizarea 1/2026: Sesizarea a fost repartizată unui angajat.", second.CaseId),
            ("ana.pop@example.ro", "Sesizarea 1/2026: Lucrarea a început.", first.CaseId),
            ("dan.vlad@example.ro", "Sesizarea 1/2026: Lucrarea a început.", second.CaseId),
        }));
        Assert.That(updates[3].Body, Is.EqualTo(StatusBody("Dan Vlad", "Groapă în carosabil — Str. Mihai Viteazul 12", "1/2026",
            "Lucrarea a început.", "2026-1")));
    }
}
