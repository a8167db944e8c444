using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Infrastructure;
using CitizenCrm.Tests.Jobs;
using CitizenCrm.Tests.Notifications;

namespace CitizenCrm.Tests.DataProtection.Requests;

/// <summary>The extension notice, which belongs to no case, goes out through the same sender job as every notice.</summary>
public sealed class ExtensionNoticeDeliveryTests : TwilioStandInTest
{
    [Test]
    public async Task A_citizen_with_only_a_mobile_number_is_told_of_the_extension_by_SMS_through_Twilio()
    {
        using var desk = await NotificationDesk.OpenAsync(Twilio, sink: null, localTime: "2026-03-02 10:00");
        var created = await desk.Clerk.PostAsJsonAsync("/api/citizens",
            new { nationalId = TestData.NewCnp(), firstName = "Maria", lastName = "Ionescu", phones = new[] { "0745 123 456" } });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var citizen = (await created.ReadJson<JsonElement>()).GetProperty("id").GetGuid();
        var supervisor = await desk.App.ClientFor(StaffRole.Supervisor);
        var registered = await supervisor.PostAsJsonAsync($"/api/citizens/{citizen}/data-requests", new { kind = "erasure", receivedOn = "2026-02-27", channel = "email" });
        var request = (await registered.ReadJson<JsonElement>()).GetProperty("id").GetGuid();
        var extended = await supervisor.PostAsJsonAsync($"/api/data-requests/{request}/extend", new { months = 1, reason = "Date în arhiva de hârtie." });
        Assert.That(extended.StatusCode, Is.EqualTo(HttpStatusCode.OK), await extended.Content.ReadAsStringAsync());

        Assert.That(await JobRunner.SummaryOfRunAsync(await desk.App.ClientFor(StaffRole.Admin), Sender),
            Is.EqualTo("1 sent, 0 to retry later, 0 given up; not configured, left waiting: e-mail (Notifications:Email:Host)"));
        var sms = Twilio.Messages.Single();
        Assert.That(sms.To, Is.EqualTo("+40745123456"));
        Assert.That(sms.Body, Is.EqualTo("Primaria: termenul de raspuns la cererea dvs. privind datele personale, primita pe 27.02.2026, a fost prelungit pana la 27.04.2026 (GDPR art. 12)."));
        Assert.That(desk.Scalar($"SELECT COUNT(*) FROM timeline WHERE kind = 'notification.sent' AND case_id IS NULL AND citizen_id = '{citizen.ToString().ToUpperInvariant()}' " +
                                "AND summary = 'Data-request extension notice sent by SMS'"), Is.EqualTo(1));
    }
}
