using CitizenCrm.Core.Common;
using CitizenCrm.Core.DemoCity;
using CitizenCrm.Core.Dispatch;
using CitizenCrm.Tests.Infrastructure;
using CitizenCrm.Tests.Reports;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CitizenCrm.Tests.DemoCity;

/// <summary>
/// The demo city gives the dispatch centre something to show: requests from every channel, e-mails, notifications in
/// every state, escalations, claimed and prioritised cases and phone robot calls with surveys.
/// </summary>
public sealed class DemoCityDispatchTests
{
    // Sunday 10 May 2026, 12:00 in Bucharest.
    private static readonly DateTimeOffset Now = new(2026, 5, 10, 9, 0, 0, TimeSpan.Zero);

    private static CrmTestApp _app = null!;
    private static DemoCityReport _report = null!;

    [OneTimeSetUp]
    public async Task BuildASmallCity()
    {
        _app = new CrmTestApp(clock: new DemoClock(new FakeTimeProvider(Now)));
        await using var scope = _app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<RequestContext>().SystemActor = "demo-city";
        var generator = ActivatorUtilities.CreateInstance<DemoCityGenerator>(scope.ServiceProvider);
        _report = await generator.GenerateAsync(2026, citizenCount: 60, eventCount: 600, CancellationToken.None);
    }

    [OneTimeTearDown]
    public void Dispose() => _app.Dispose();

    private static long Count(string sql)
    {
        using var db = _app.OpenDatabase();
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        return (long)cmd.ExecuteScalar()!;
    }

    private static List<string> Column(string sql)
    {
        using var db = _app.OpenDatabase();
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var values = new List<string>();
        while (r.Read()) values.Add(r.IsDBNull(0) ? "" : Convert.ToString(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        return values;
    }

    [Test]
    public void Requests_arrive_from_every_channel_each_through_its_own_door()
    {
        Assert.That(Column("SELECT DISTINCT channel FROM cases ORDER BY channel"),
            Is.EqualTo(new[] { "desk", "email", "field", "ivr", "phone", "post", "web" }));

        // The web form keeps only the access code's keyed hash (64 hex characters), for every web request.
        Assert.That(Count("SELECT COUNT(*) FROM cases WHERE channel = 'web'"), Is.GreaterThan(0));
        Assert.That(Count("SELECT COUNT(*) FROM cases c LEFT JOIN case_intake i ON i.case_id = c.id " +
                          "WHERE c.channel = 'web' AND (i.access_code_hash IS NULL OR length(i.access_code_hash) <> 64)"), Is.EqualTo(0));
        Assert.That(Column("SELECT DISTINCT registered_by FROM case_intake i JOIN cases c ON c.id = i.case_id WHERE c.channel = 'web'"),
            Is.EqualTo(new[] { "citizen" }));

        // Every e-mail case has the mailbox's "registered once" key, and one key per case.
        Assert.That(Count("SELECT COUNT(*) FROM cases c WHERE c.channel = 'email' AND NOT EXISTS " +
                          "(SELECT 1 FROM mail_messages m WHERE m.case_id = c.id AND m.direction = 'received' AND m.outcome = 'registered')"), Is.EqualTo(0));
        Assert.That(Count("SELECT COUNT(*) FROM mail_messages WHERE direction = 'received'"),
            Is.EqualTo(Count("SELECT COUNT(*) FROM cases WHERE channel = 'email'")));
        Assert.That(Count("SELECT COUNT(*) FROM timeline WHERE kind = 'case.email_received'"), Is.EqualTo(Count("SELECT COUNT(*) FROM cases WHERE channel = 'email'")));

        // A dispatcher logged each phone request; a volunteer or the mobile team registered each field request on someone's behalf.
        Assert.That(Column("SELECT DISTINCT registered_by FROM case_intake i JOIN cases c ON c.id = i.case_id WHERE c.channel = 'phone' ORDER BY 1"),
            Is.EqualTo(new[] { "dispecer1", "dispecer2" }));
        Assert.That(Count("SELECT COUNT(*) FROM cases c JOIN case_intake i ON i.case_id = c.id " +
                          "WHERE c.channel = 'field' AND i.registered_by IN ('voluntar1', 'echipa.mobila') AND i.on_behalf_of IS NOT NULL"),
            Is.EqualTo(Count("SELECT COUNT(*) FROM cases WHERE channel = 'field'")));
        Assert.That(Count("SELECT COUNT(*) FROM timeline WHERE kind = 'case.registered_on_behalf' AND on_behalf_of IS NOT NULL"),
            Is.EqualTo(Count("SELECT COUNT(*) FROM cases WHERE channel = 'field'")));

        // Unmatched: a contact, no citizen, from the web and the mailbox among others, for a dispatcher to link.
        Assert.That(Column("SELECT DISTINCT channel FROM cases WHERE party_kind = 'contact' AND citizen_id IS NULL AND channel IN ('web', 'email') ORDER BY 1"),
            Is.EqualTo(new[] { "email", "web" }));
        Assert.That(Count("SELECT COUNT(*) FROM cases WHERE party_kind = 'contact' AND status IN ('registered', 'assigned', 'in_progress')"), Is.GreaterThan(0));
    }

    [Test]
    public void The_outbox_holds_notifications_sent_pending_and_failed_and_nothing_left_the_machine()
    {
        Assert.That(Column("SELECT DISTINCT status FROM notifications ORDER BY status"), Is.EqualTo(new[] { "failed", "pending", "sent" }));
        Assert.That(Count("SELECT COUNT(*) FROM notifications WHERE status = 'sent'"),
            Is.GreaterThan(Count("SELECT COUNT(*) FROM notifications WHERE status <> 'sent'")), "most were sent");
        Assert.That(Column("SELECT DISTINCT channel FROM notifications ORDER BY channel"), Is.EqualTo(new[] { "email", "sms" }));
        // Recorded as the sender records them: sent with its time and provider id, failed with its reason, each on the timeline.
        Assert.That(Count("SELECT COUNT(*) FROM notifications WHERE status = 'sent' AND (sent_at IS NULL OR provider_id IS NULL)"), Is.EqualTo(0));
        Assert.That(Count("SELECT COUNT(*) FROM notifications WHERE status = 'failed' AND (failed_at IS NULL OR last_error IS NULL)"), Is.EqualTo(0));
        Assert.That(Count("SELECT COUNT(*) FROM notifications WHERE claimed_by IS NOT NULL"), Is.EqualTo(0), "no claim left behind");
        Assert.That(Count("SELECT COUNT(*) FROM timeline WHERE kind = 'notification.sent'"), Is.EqualTo(Count("SELECT COUNT(*) FROM notifications WHERE status = 'sent'")));
        Assert.That(Count("SELECT COUNT(*) FROM timeline WHERE kind = 'notification.failed'"), Is.EqualTo(Count("SELECT COUNT(*) FROM notifications WHERE status = 'failed'")));
        // Every e-mail recipient of the demo city is on a domain reserved for examples (RFC 2606): none can reach a person.
        Assert.That(Column("SELECT recipient FROM notifications WHERE channel = 'email'"),
            Has.All.Matches<string>(r => r.EndsWith("@example.com") || r.EndsWith("@example.net") || r.EndsWith("@example.org")));
    }

    [Test]
    public void The_deadline_sweep_ran_at_the_demo_s_now_and_the_dispatchers_have_been_at_work()
    {
        Assert.That(Count("SELECT COUNT(*) FROM cases WHERE escalation = 'overdue'"), Is.GreaterThan(0));
        Assert.That(Count("SELECT COUNT(*) FROM timeline WHERE kind = 'case.overdue' AND actor = 'system'"), Is.EqualTo(Count("SELECT COUNT(*) FROM cases WHERE escalation = 'overdue'")));
        // Every late open case is marked, as the sweep marks them (the term's last day itself is still in time).
        Assert.That(Count("SELECT COUNT(*) FROM cases WHERE status IN ('registered', 'assigned', 'in_progress') AND due_on < '2026-05-10' " +
                          "AND (escalation IS NULL OR escalation <> 'overdue')"), Is.EqualTo(0));

        Assert.That(Count("SELECT COUNT(*) FROM timeline WHERE kind = 'case.claimed' AND actor IN ('dispecer1', 'dispecer2')"), Is.GreaterThan(0));
        Assert.That(Count("SELECT COUNT(*) FROM cases WHERE assigned_to IN ('dispecer1', 'dispecer2') AND status IN ('assigned', 'in_progress')"), Is.GreaterThan(0));
        Assert.That(Count("SELECT COUNT(*) FROM cases WHERE priority <> 1 AND status IN ('registered', 'assigned', 'in_progress')"), Is.GreaterThan(0));
        Assert.That(Count("SELECT COUNT(*) FROM timeline WHERE kind = 'case.priority_set'"), Is.GreaterThan(0));
        Assert.That(_report.Staff.Select(s => s.Username), Does.Contain("dispecer1").And.Contain("sef.fiscal"));
        Assert.That(_report.StaffPassword, Has.Length.EqualTo(16));
    }

    [Test]
    public void Phone_robot_calls_are_identified_and_not_contained_and_transferred_and_surveyed()
    {
        Assert.That(_report.PhoneRobotCalls, Is.EqualTo(30), "at least 30 calls, one in 25 citizens for a larger city");
        Assert.That(Count("SELECT COUNT(*) FROM timeline WHERE kind = 'ivr.call_started'"), Is.EqualTo(30));
        Assert.That(Count("SELECT COUNT(DISTINCT correlation) FROM timeline WHERE kind = 'ivr.identity_verified' AND correlation IN " +
                          "(SELECT correlation FROM timeline WHERE kind = 'ivr.call_started')"), Is.GreaterThan(0).And.LessThan(30));
        Assert.That(Count("SELECT COUNT(*) FROM timeline WHERE kind = 'ivr.transferred' AND correlation IN (SELECT correlation FROM timeline WHERE kind = 'ivr.call_started')"),
            Is.GreaterThan(0));
        // Callback and message requests through the robot's own command: a row for the dispatchers and its event, one each.
        Assert.That(Count("SELECT COUNT(*) FROM phone_requests"), Is.GreaterThan(0));
        Assert.That(Count("SELECT COUNT(*) FROM timeline WHERE kind IN ('ivr.callback_requested', 'ivr.message_left')"), Is.EqualTo(Count("SELECT COUNT(*) FROM phone_requests")));
        Assert.That(Count("SELECT COUNT(*) FROM phone_requests WHERE handled_at IS NOT NULL AND handled_by IN ('dispecer1', 'dispecer2')"),
            Is.EqualTo(Count("SELECT COUNT(*) FROM phone_requests WHERE created_at < 1778144400000")), "those older than three days (7 May 09:00 UTC) were dealt with");
        Assert.That(Column("SELECT DISTINCT payload FROM timeline WHERE kind = 'ivr.survey_answered'")
                .Select(p => System.Text.Json.JsonDocument.Parse(p).RootElement.GetProperty("score").ToString()).Distinct(),
            Has.All.Matches<string>(s => s is "1" or "2" or "3" or "4" or "5"));
    }

    [Test]
    public async Task The_queue_and_the_supervisors_reports_show_figures_on_the_demo_city()
    {
        var dispatcher = await _app.ClientFor(StaffRole.Dispatcher);
        var queue = await (await Ok(dispatcher, "/api/dispatch/queue?limit=200")).ReadJson<DispatchQueue>();
        Assert.That(queue.Total, Is.GreaterThan(0));
        var kinds = queue.Items.Select(i => i.ItemKind).Distinct().ToList();
        Assert.That(kinds, Does.Contain(ItemKinds.FailedNotification).And.Contain(ItemKinds.Petition));
        Assert.That(queue.Items.Where(i => i.Unmatched), Is.Not.Empty, "unmatched items to link");
        Assert.That(queue.Items.Select(i => i.Channel).Distinct().Count(), Is.GreaterThanOrEqualTo(5), "open cases from many channels");
        var failedOnly = await (await Ok(dispatcher, "/api/dispatch/queue?kind=failed_notification")).ReadJson<DispatchQueue>();
        Assert.That(failedOnly.Total, Is.EqualTo(Count("SELECT COUNT(*) FROM notifications WHERE status = 'failed'")));

        var supervisor = await _app.ClientFor(StaffRole.Supervisor);
        var robot = await ReportDataset.GetJson(supervisor, "/api/reports/phone-robot?from=2026-02-09&to=2026-05-10");
        Assert.That(robot.GetProperty("calls").GetInt64(), Is.EqualTo(30), "the 90 days of calls");
        Assert.That(robot.GetProperty("identified").GetInt64(), Is.GreaterThan(0));
        Assert.That(robot.GetProperty("contained").GetInt64(), Is.GreaterThan(0));
        Assert.That(robot.GetProperty("surveyAnswers").GetInt64(), Is.GreaterThan(0));
        Assert.That(robot.GetProperty("satisfactionAverage").GetDecimal(), Is.InRange(1m, 5m));
        Assert.That(robot.GetProperty("outcomes").EnumerateObject().Select(p => p.Name), Does.Contain("transferred"));
        Assert.That(robot.GetProperty("asked").EnumerateObject().Count(), Is.GreaterThan(0));

        // A report covers at most 366 days: the last year, from 00:00 on 11 May 2025 in Bucharest (21:00 UTC the day before).
        var notices = await ReportDataset.GetJson(supervisor, "/api/reports/notifications?from=2025-05-11&to=2026-05-10");
        const long yearAgoMs = 1_746_910_800_000; // 2025-05-10T21:00:00Z
        Assert.That(notices.GetProperty("sent").GetInt64(), Is.EqualTo(Count($"SELECT COUNT(*) FROM notifications WHERE status = 'sent' AND sent_at >= {yearAgoMs}")));
        Assert.That(notices.GetProperty("failed").GetInt64(), Is.EqualTo(Count($"SELECT COUNT(*) FROM notifications WHERE status = 'failed' AND failed_at >= {yearAgoMs}")));
        Assert.That(notices.GetProperty("sent").GetInt64(), Is.GreaterThan(0));
        Assert.That(notices.GetProperty("failed").GetInt64(), Is.GreaterThan(0));

        var interactions = await ReportDataset.GetJson(supervisor, "/api/reports/interactions?from=2026-02-09&to=2026-05-10");
        Assert.That(interactions.GetProperty("total").GetInt64(), Is.GreaterThan(0));
        Assert.That(interactions.GetProperty("totalsByChannel").EnumerateObject().Select(p => p.Name), Does.Contain("ivr").And.Contain("web").And.Contain("email"));
    }

    private static async Task<HttpResponseMessage> Ok(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        return response;
    }
}
