using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Cases;
using CitizenCrm.Tests.Infrastructure;
using CitizenCrm.Tests.Jobs;

namespace CitizenCrm.Tests.Notifications;

/// <summary>When the sender stops trying: after MaxAttempts transient failures, and after runs that kept dying mid-send.</summary>
public sealed class GivingUpTests : TwilioStandInTest
{
    /// <summary>A desk whose mail server never answers (a loopback port nobody listens on).</summary>
    private async Task<(RegistryDesk Desk, Guid CaseId)> DeskWithMailServerDown(string maxAttempts)
    {
        var closed = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var desk = await NotificationDesk.OpenAsync(Twilio, sink: null, more: new Dictionary<string, string?>
        {
            ["Notifications:Email:Host"] = "127.0.0.1",
            ["Notifications:Email:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Notifications:MaxAttempts"] = maxAttempts,
        });
        var response = await desk.Clerk.PostAsJsonAsync("/api/cases", new
        {
            kind = "petition", channel = "email", subject = "Zgomot noaptea", contact = new { name = "Ana Rus", details = "ana.rus@exemplu.ro" },
        });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (desk, (await response.ReadJson<JsonElement>()).GetProperty("id").GetGuid());
    }

    [Test]
    public async Task After_the_last_allowed_attempt_fails_the_notification_is_given_up_with_the_last_error()
    {
        var (desk, caseId) = await DeskWithMailServerDown(maxAttempts: "2");
        using var _ = desk;
        var admin = await desk.App.ClientFor(StaffRole.Admin);

        Assert.That(await JobRunner.SummaryOfRunAsync(admin, Sender), Is.EqualTo("0 sent, 1 to retry later, 0 given up"));
        desk.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.That(await JobRunner.SummaryOfRunAsync(admin, Sender), Is.EqualTo("0 sent, 0 to retry later, 1 given up"));

        var row = desk.Notifications(caseId).Single();
        Assert.That((row.Status, row.Attempts), Is.EqualTo(("failed", 2L)));
        Assert.That(row.FailedAt, Is.EqualTo(RegistryDesk.Local("2026-03-02 10:01").ToUnixTimeMilliseconds()));
        Assert.That(row.LastError, Does.StartWith("Given up after 2 attempts. Last error: E-mail could not be sent (SocketException)"));
        desk.Clock.Advance(TimeSpan.FromHours(1));
        Assert.That(await JobRunner.SummaryOfRunAsync(admin, Sender), Is.EqualTo("0 sent, 0 to retry later, 0 given up"), "a failed one is not retried by itself");
    }

    [Test]
    public async Task A_notification_whose_runs_all_died_mid_send_ends_failed_instead_of_being_retried_forever()
    {
        var (desk, caseId) = await DeskWithMailServerDown(maxAttempts: "3");
        using var _ = desk;
        var admin = await desk.App.ClientFor(StaffRole.Admin);
        // Three runs claimed it (attempts are counted at the claim) and none reported back; the last claim has run out.
        var expired = RegistryDesk.Local("2026-03-02 09:59").ToUnixTimeMilliseconds();
        desk.Execute($"UPDATE notifications SET claimed_by = 'third-run-that-died', claimed_until = {expired}, attempts = 3");

        await JobRunner.RunAsync(admin, Sender);

        var row = desk.Notifications(caseId).Single();
        Assert.That((row.Status, row.Attempts, row.ClaimedBy), Is.EqualTo(("failed", 3L, (string?)null)));
        Assert.That(row.LastError, Is.EqualTo("Given up after 3 attempts; the last run that took it never reported back (it stopped mid-send)."));
        Assert.That(await desk.HistoryKinds(caseId), Is.EqualTo(new[] { "case.registered", "notification.failed" }));
    }
}
