using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Cases;
using CitizenCrm.Tests.Infrastructure;
using CitizenCrm.Tests.Jobs;
using CitizenCrm.Tests.Notifications;

namespace CitizenCrm.Tests.Reports;

/// <summary>
/// The notifications report over notifications made the real way: petitions registered for citizens with an e-mail
/// address or a phone (their acknowledgements), one term extended, and the sender job run once against the SMTP sink
/// (CITIZENCRM_SMTP) and the Twilio stand-in, which refuses one number for good. Monday 2 March 2026, 10:00 in Bucharest.
/// </summary>
public sealed class NotificationReportTests : TwilioStandInTest
{
    private static async Task<Guid> Citizen(RegistryDesk desk, string firstName, string? email = null, string? phone = null)
    {
        var response = await desk.Clerk.PostAsJsonAsync("/api/citizens", new
        {
            nationalId = TestData.NewCnp(), firstName, lastName = "Popescu", preferredLanguage = "ro",
            emails = email is null ? Array.Empty<string>() : [email],
            phones = phone is null ? Array.Empty<string>() : [phone],
        });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.ReadJson<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static List<(string Channel, string Kind, long Sent, long Failed)> Rows(JsonElement report) =>
        report.GetProperty("byChannelAndKind").EnumerateArray()
            .Select(r => (r.GetProperty("channel").GetString()!, r.GetProperty("kind").GetString()!, r.GetProperty("sent").GetInt64(), r.GetProperty("failed").GetInt64()))
            .ToList();

    private static (long Sent, long Failed) Totals(JsonElement report) => (report.GetProperty("sent").GetInt64(), report.GetProperty("failed").GetInt64());

    [Test]
    public async Task Acknowledgements_and_a_term_notice_sent_by_email_and_sms_and_one_sms_refused_for_good_are_counted_per_channel_and_kind_on_their_day()
    {
        var sink = SmtpSink.Require();
        using var desk = await NotificationDesk.OpenAsync(Twilio, sink);
        var ana = await desk.Petition(await Citizen(desk, "Ana", email: NotificationDesk.NewAddress("ana")));
        await desk.Petition(await Citizen(desk, "Ion", email: NotificationDesk.NewAddress("ion")));
        await desk.Petition(await Citizen(desk, "Maria", phone: "0745 123 456"));
        await desk.Petition(await Citizen(desk, "Elena", phone: TwilioStandIn.InvalidNumber));
        await desk.PostOk(ana.Id, "extend", new { days = 15, reason = "Necesită o expertiză tehnică.", noticeVia = "post" });

        var admin = await desk.App.ClientFor(StaffRole.Admin);
        Assert.That(await JobRunner.SummaryOfRunAsync(admin, "notification-sender"), Is.EqualTo("4 sent, 0 to retry later, 1 given up"));

        var supervisor = await desk.App.ClientFor(StaffRole.Supervisor);
        var today = await ReportDataset.GetJson(supervisor, "/api/reports/notifications?from=2026-03-02&to=2026-03-02");
        Assert.That(Rows(today), Is.EqualTo(new[]
        {
            ("email", "acknowledgement", 2L, 0L),  // Ana, Ion
            ("email", "term_extended", 1L, 0L),    // Ana's extension
            ("sms", "acknowledgement", 1L, 1L),    // Maria sent; Elena's number refused by Twilio (21211), given up
        }));
        Assert.That(Totals(today), Is.EqualTo((4L, 1L)));
        Assert.That(today.TryGetProperty("available", out _), Is.False, "the outbox always exists now (migration 0010)");

        var sms = await ReportDataset.GetJson(supervisor, "/api/reports/notifications?from=2026-03-01&to=2026-03-31&channel=sms");
        Assert.That(Rows(sms), Is.EqualTo(new[] { ("sms", "acknowledgement", 1L, 1L) }));
        Assert.That(Totals(sms), Is.EqualTo((1L, 1L)));

        var email = await ReportDataset.GetJson(supervisor, "/api/reports/notifications?from=2026-03-01&to=2026-03-31&channel=email");
        Assert.That(Totals(email), Is.EqualTo((3L, 0L)));

        var afterwards = await ReportDataset.GetJson(supervisor, "/api/reports/notifications?from=2026-03-03&to=2026-03-31");
        Assert.That(Rows(afterwards), Is.Empty, "everything was sent or given up on 2 March");
        Assert.That(Totals(afterwards), Is.EqualTo((0L, 0L)));

        var csv = await supervisor.GetStringAsync("/api/reports/notifications?from=2026-03-02&to=2026-03-02&format=csv");
        Assert.That(ReportFiguresTests.ReadCsv(csv).Select(r => string.Join(",", r)), Is.EqualTo(new[]
        {
            "channel,kind,sent,failed", "email,acknowledgement,2,0", "email,term_extended,1,0", "sms,acknowledgement,1,1", "all,all,4,1",
        }));
    }
}
