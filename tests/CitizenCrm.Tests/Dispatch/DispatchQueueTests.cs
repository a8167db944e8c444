using System.Net;
using System.Net.Http.Json;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Dispatch;
using CitizenCrm.Tests.Infrastructure;
using CitizenCrm.Tests.Jobs;

namespace CitizenCrm.Tests.Dispatch;

public sealed class DispatchQueueTests : DispatchTest
{
    private CaseDetails _normal = null!, _urgentLater = null!;

    /// <summary>
    /// Everything that waits on Tuesday 24 November 2026 (registration numbers in the order registered):
    ///   1/2026 petition registered 20 October, due 19 November (30 days): 5 days overdue;
    ///   2/2026 information request by e-mail from an unidentified contact (unmatched), due 4 December (10 days);
    ///   3/2026 tax clearance certificate (2 days), due 26 November;
    ///   4/2026 and 5/2026 petitions registered a minute apart, both due 24 December; 5/2026 is then set to high;
    ///   a caller waiting for an operator since 07:50 UTC; a callback request from 07:00; an e-mail to 4/2026's
    ///   petitioner that failed for good at 07:30.
    /// </summary>
    private async Task ArrangeEverythingWaiting()
    {
        var ion = await Clerk.RegisterCitizen(firstName: "Ion", lastName: "Popescu");
        var ana = await Clerk.RegisterCitizen(firstName: "Ana", lastName: "Mureșan");
        await Petition(ion.Id, "Iluminat stradal defect"); // on 20 October
        Clock.SetUtcNow(Today);
        await Unmatched();
        await Register(new { kind = "service_request", channel = "web", subject = "Certificat fiscal", citizenId = ana.Id, service = "fiscal_certificate" });
        _normal = await Petition(ana.Id, "Zgomot de la terasă");
        _urgentLater = await Petition(ion.Id, "Copac căzut pe trotuar");
        var priority = await Dispatcher.PostAsJsonAsync($"/api/dispatch/cases/{_urgentLater.Id}/priority", new { priority = "high" });
        Assert.That(priority.StatusCode, Is.EqualTo(HttpStatusCode.OK), await priority.Content.ReadAsStringAsync());

        // The phone robot's side, written as its tables hold it (the phone tests drive the robot itself).
        Execute("""
            INSERT INTO ivr_calls (call_sid, caller_masked, language, citizen_id, next_turn, state, status, wait_reason, waiting_since, outcome, started_at, updated_at)
            VALUES ('CA00000000000000000000000000000001', '+4072*****67', 'ro', NULL, 3, '{}', 'waiting', 'operator', @at, 'in_progress', @at, @at)
            """, ("@at", Ms(24, 7, 50)));
        Execute("""
            INSERT INTO phone_requests (id, call_sid, kind, reason, citizen_id, caller_masked, language, created_at)
            VALUES (@id, 'CA00000000000000000000000000000002', 'callback', 'operator_closed', @citizen, '+4074*****21', 'ro', @at)
            """, ("@id", Guid.NewGuid()), ("@citizen", ion.Id), ("@at", Ms(24, 7)));
        InsertFailedNotification(_normal.Id, ana.Id, Ms(24, 6), Ms(24, 7, 30));
    }

    [Test]
    public async Task Dispatcher_sees_callers_first_then_by_time_left_then_priority_with_terms_and_escalations()
    {
        await ArrangeEverythingWaiting();
        await JobRunner.RunAsync(await App.ClientFor(StaffRole.Admin), "deadline-sweep");

        var queue = await Queue(Dispatcher);

        // Items with no term (the callback, the failed e-mail) are due at once: they sort with today, after the overdue petition.
        Assert.That(Labels(queue), Is.EqualTo(new[]
        {
            "caller_waiting", "petition 1/2026", "callback", "failed_notification 4/2026", "service_request 3/2026",
            "information_request 2/2026", "petition 5/2026", "petition 4/2026",
        }));
        Assert.That(queue.Total, Is.EqualTo(8));
        Assert.That(queue.Items.Select(i => i.DaysLeft), Is.EqualTo(new int?[] { null, -5, null, null, 2, 10, 30, 30 }));
        Assert.That(queue.Items.Select(i => i.DueOn?.ToString("yyyy-MM-dd")), Is.EqualTo(new[]
            { null, "2026-11-19", null, null, "2026-11-26", "2026-12-04", "2026-12-24", "2026-12-24" }));
        Assert.That(queue.Items.Select(i => i.Priority), Is.EqualTo(new[] { "normal", "normal", "normal", "normal", "normal", "normal", "high", "normal" }));
        // The sweep's marks: 1/2026 overdue; 3/2026 due within 3 working days (25, 26, 27 November).
        Assert.That(queue.Items.Select(i => i.Escalation), Is.EqualTo(new[] { null, "overdue", null, null, "due_soon", null, null, null }));
        Assert.That(queue.Items.Select(i => i.Channel), Is.EqualTo(new[] { "phone", "desk", "ivr", "email", "web", "email", "desk", "desk" }));
        Assert.That(queue.Items.Select(i => i.PartyName), Is.EqualTo(new[]
            { "+4072*****67", "Ion Popescu", "Ion Popescu", "Ana Mureșan", "Ana Mureșan", "Maria Ionescu", "Ion Popescu", "Ana Mureșan" }));
        Assert.That(queue.Items.Select(i => i.Unmatched), Is.EqualTo(new[] { false, false, false, false, false, true, false, false }));
        Assert.That(queue.Items[4].Department, Is.EqualTo("Direcția de Impozite și Taxe Locale"), "an unassigned service request shows its service's department");
        Assert.That(queue.Items[1].Overdue, Is.True);
    }

    [TestCase("?kind=petition", new[] { "petition 1/2026", "petition 5/2026", "petition 4/2026" })]
    [TestCase("?unmatched=true", new[] { "information_request 2/2026" })]
    [TestCase("?overdue=true", new[] { "petition 1/2026" })]
    [TestCase("?dueWithinDays=2", new[] { "petition 1/2026", "service_request 3/2026" })]
    [TestCase("?channel=ivr", new[] { "callback" })]
    [TestCase("?channel=email", new[] { "failed_notification 4/2026", "information_request 2/2026" })]
    [TestCase("?status=waiting", new[] { "caller_waiting" })]
    [TestCase("?status=registered&kind=petition", new[] { "petition 1/2026", "petition 5/2026", "petition 4/2026" })]
    [TestCase("?service=fiscal_certificate", new[] { "service_request 3/2026" })]
    [TestCase("?department=Direc%C8%9Bia%20de%20Impozite%20%C8%99i%20Taxe%20Locale", new[] { "service_request 3/2026" })]
    [TestCase("?kind=failed_notification", new[] { "failed_notification 4/2026" })]
    public async Task Dispatcher_filters_the_queue(string query, string[] expected)
    {
        await ArrangeEverythingWaiting();

        var queue = await Queue(Dispatcher, query);

        Assert.That(Labels(queue), Is.EqualTo(expected));
        Assert.That(queue.Total, Is.EqualTo(expected.Length));
    }

    [Test]
    public async Task Dispatcher_filters_by_assignee_me_unassigned_or_a_colleague()
    {
        await ArrangeEverythingWaiting();
        var claimed = await Dispatcher.PostAsJsonAsync($"/api/dispatch/cases/{_normal.Id}/claim", new { });
        Assert.That(claimed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await claimed.Content.ReadAsStringAsync());

        // The failed e-mail is about 4/2026, so it is the claimer's too.
        Assert.That(Labels(await Queue(Dispatcher, "?assignee=me")), Is.EqualTo(new[] { "failed_notification 4/2026", "petition 4/2026" }));
        Assert.That(Labels(await Queue(Clerk, "?assignee=test-dispatcher")), Is.EqualTo(new[] { "failed_notification 4/2026", "petition 4/2026" }));
        Assert.That(Labels(await Queue(Clerk, "?assignee=me")), Is.Empty);
        Assert.That(Labels(await Queue(Dispatcher, "?assignee=unassigned")), Is.EqualTo(new[]
            { "caller_waiting", "petition 1/2026", "callback", "service_request 3/2026", "information_request 2/2026", "petition 5/2026" }));
        Assert.That((await Queue(Dispatcher, "?assignee=anyone")).Total, Is.EqualTo(8));
    }

    [Test]
    public async Task Dispatcher_pages_through_the_queue_with_a_total_and_nothing_repeated_or_lost()
    {
        await ArrangeEverythingWaiting();

        var first = await Queue(Dispatcher, "?limit=3");
        var second = await Queue(Dispatcher, "?limit=3&cursor=" + first.NextCursor);
        var third = await Queue(Dispatcher, "?limit=3&cursor=" + second.NextCursor);

        Assert.That(Labels(first), Is.EqualTo(new[] { "caller_waiting", "petition 1/2026", "callback" }));
        Assert.That(Labels(second), Is.EqualTo(new[] { "failed_notification 4/2026", "service_request 3/2026", "information_request 2/2026" }));
        Assert.That(Labels(third), Is.EqualTo(new[] { "petition 5/2026", "petition 4/2026" }));
        Assert.That(new[] { first.Total, second.Total, third.Total }, Is.EqualTo(new long[] { 8, 8, 8 }));
        Assert.That(third.NextCursor, Is.Null);
    }

    [Test]
    public async Task A_page_starts_after_the_last_item_shown_even_when_items_came_in_meanwhile()
    {
        await ArrangeEverythingWaiting();
        var first = await Queue(Dispatcher, "?kind=petition&limit=2");
        Assert.That(Labels(first), Is.EqualTo(new[] { "petition 1/2026", "petition 5/2026" }));

        // A new petition today is due 24 December too, normal, registered last: it sorts after 4/2026.
        Clock.Advance(TimeSpan.FromMinutes(30));
        await Petition((await Clerk.RegisterCitizen()).Id, "Câini fără stăpân");

        var second = await Queue(Dispatcher, "?kind=petition&limit=2&cursor=" + first.NextCursor);
        Assert.That(Labels(second), Is.EqualTo(new[] { "petition 4/2026", "petition 6/2026" }));
        Assert.That(second.Total, Is.EqualTo(4));
    }

    [TestCase("?status=closed", "status")]
    [TestCase("?kind=complaint", "kind")]
    [TestCase("?channel=fax", "channel")]
    [TestCase("?dueWithinDays=400", "dueWithinDays")]
    [TestCase("?limit=0", "limit")]
    [TestCase("?cursor=bm90LW91cnM", "cursor")]
    [TestCase("?overdue=perhaps", "overdue")]
    [TestCase("?service=nope", "service")]
    [TestCase("?assignee=nobody", "assignee")]
    public async Task A_filter_the_queue_does_not_know_gets_a_400_naming_it(string query, string field)
    {
        var response = await Dispatcher.GetAsync("/api/dispatch/queue" + query);

        var problem = await response.AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").TryGetProperty(field, out _), Is.True, problem.ToString());
    }

    [Test]
    public async Task The_old_case_queue_still_answers()
    {
        await ArrangeEverythingWaiting();

        var response = await Clerk.GetAsync("/api/cases?overdue=true");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var queue = await response.ReadJson<CaseQueue>();
        Assert.That(queue.Items.Select(i => i.RegistrationNumber), Is.EqualTo(new[] { "1/2026" }));
    }
}
