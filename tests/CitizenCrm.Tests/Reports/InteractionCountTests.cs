using System.Net;
using System.Net.Http.Json;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Infrastructure;
using CitizenCrm.Tests.Intake;

namespace CitizenCrm.Tests.Reports;

/// <summary>
/// One contact with the public is one interaction, whatever the door writes on the timeline around it: a volunteer's
/// request is case.registered plus case.registered_on_behalf, a web request queues an acknowledgement, and the
/// dispatchers' claiming and prioritising is back-office work. On Tuesday 10 March 2026, by hand: field 1, web 1.
/// </summary>
public sealed class InteractionCountTests : WebForm
{
    [Test]
    public async Task A_volunteers_request_and_a_web_request_count_once_each_and_the_dispatchers_work_not_at_all()
    {
        var admin = await App.ClientFor(StaffRole.Admin);
        var created = await admin.PostAsJsonAsync("/api/staff-users", new { username = "radu.voluntar", displayName = "Radu Ionescu", role = "volunteer", password = "parola-radu-1" });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var volunteer = App.WithToken(await App.SignIn("radu.voluntar", "parola-radu-1"));

        var field = await volunteer.PostAsJsonAsync("/api/intake/field", new
        {
            kind = "service_request", service = "pothole", subject = "Groapă în fața blocului", contact = new { name = "Elena Bogdan", details = "Str. Morii 12" },
        });
        Assert.That(field.StatusCode, Is.EqualTo(HttpStatusCode.Created), await field.Content.ReadAsStringAsync());
        var fieldCase = await field.ReadJson<CaseDetails>();

        var web = await Public.PostAsJsonAsync("/api/public/requests", new
        {
            kind = "petition", name = "Maria Ionescu", email = "maria.ionescu@example.ro", subject = "Iluminat stins pe strada Teilor",
        });
        Assert.That(web.StatusCode, Is.EqualTo(HttpStatusCode.Created), await web.Content.ReadAsStringAsync());

        var dispatcher = await App.ClientFor(StaffRole.Dispatcher);
        var claim = await dispatcher.PostAsJsonAsync($"/api/dispatch/cases/{fieldCase.Id}/claim", new { version = 1 });
        Assert.That(claim.StatusCode, Is.EqualTo(HttpStatusCode.OK), await claim.Content.ReadAsStringAsync());
        var priority = await dispatcher.PostAsJsonAsync($"/api/dispatch/cases/{fieldCase.Id}/priority", new { priority = "urgent" });
        Assert.That(priority.StatusCode, Is.EqualTo(HttpStatusCode.OK), await priority.Content.ReadAsStringAsync());

        var supervisor = await App.ClientFor(StaffRole.Supervisor);
        var report = await ReportDataset.GetJson(supervisor, "/api/reports/interactions?from=2026-03-10&to=2026-03-10");
        Assert.That(report.GetProperty("totalsByChannel").EnumerateObject().Select(p => $"{p.Name} {p.Value.GetInt64()}"),
            Is.EquivalentTo(new[] { "field 1", "web 1" }));
        Assert.That(report.GetProperty("total").GetInt64(), Is.EqualTo(2));
    }
}
