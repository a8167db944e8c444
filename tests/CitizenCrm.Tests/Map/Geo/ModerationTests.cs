using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Infrastructure;

namespace CitizenCrm.Tests.Map.Geo;

public sealed class ModerationTests : MapGeoTest
{
    [Test]
    public async Task A_dispatcher_hides_a_report_with_a_reason_and_shows_it_again_each_step_on_the_timeline()
    {
        var report = await Report();
        var noReason = await Dispatcher.PostAsJsonAsync($"/api/map/reports/{report.CaseId}/hide", new { reason = " " });
        Assert.That((await noReason.AssertProblem(HttpStatusCode.BadRequest)).ErrorFields(), Is.EqualTo(new[] { "reason" }));
        Assert.That(TimelineKinds(report.CaseId), Is.EqualTo(new[] { "case.registered" }), "nothing written when refused");

        var hidden = await Dispatcher.PostAsJsonAsync($"/api/map/reports/{report.CaseId}/hide", new { reason = "Conține un număr de telefon." });
        Assert.That((int)hidden.StatusCode, Is.EqualTo(200));
        var state = JsonDocument.Parse(await hidden.Content.ReadAsStringAsync()).RootElement;
        Assert.That(state.GetProperty("hidden").GetBoolean(), Is.True);
        Assert.That(state.GetProperty("hiddenBy").GetString(), Is.EqualTo("test-dispatcher"));
        Assert.That(state.GetProperty("hiddenReason").GetString(), Is.EqualTo("Conține un număr de telefon."));
        Assert.That(Ids(await Json(App.CreateClient(), "/api/public/map/incidents")), Is.Empty);
        await (await Dispatcher.PostAsJsonAsync($"/api/map/reports/{report.CaseId}/hide", new { reason = "Din nou." })).AssertProblem(HttpStatusCode.Conflict);

        await Post(Dispatcher, $"/api/map/reports/{report.CaseId}/show", null);
        Assert.That(Ids(await Json(App.CreateClient(), "/api/public/map/incidents")), Is.EqualTo(new[] { "2026-1" }));
        await (await Dispatcher.PostAsJsonAsync($"/api/map/reports/{report.CaseId}/show", new { })).AssertProblem(HttpStatusCode.Conflict);

        Assert.That(TimelineKinds(report.CaseId), Is.EqualTo(new[] { "case.registered", "map.report_hidden", "map.report_shown" }));
        var history = await Json(Dispatcher, $"/api/timeline/cases/{report.CaseId}");
        Assert.That(history.ToString(), Does.Contain("Report 1/2026 hidden from the public map: Conține un număr de telefon."));
    }

    [Test]
    public async Task Only_dispatchers_and_supervisors_moderate_and_only_reports_on_the_map()
    {
        var report = await Report();
        Assert.That((int)(await Clerk.PostAsJsonAsync($"/api/map/reports/{report.CaseId}/hide", new { reason = "x" })).StatusCode, Is.EqualTo(403));
        Assert.That((int)(await App.CreateClient().PostAsJsonAsync($"/api/map/reports/{report.CaseId}/hide", new { reason = "x" })).StatusCode, Is.EqualTo(401));
        var supervisor = await App.ClientFor(StaffRole.Supervisor);
        await Post(supervisor, $"/api/map/reports/{report.CaseId}/hide", new { reason = "Jignitor." });
        await (await Dispatcher.PostAsJsonAsync($"/api/map/reports/{Guid.NewGuid()}/hide", new { reason = "x" })).AssertProblem(HttpStatusCode.NotFound);
    }
}

public sealed class ReviewBeforePublishingTests : MapGeoTest
{
    protected override Dictionary<string, string?> Settings => new() { ["Map:TextPublicAtOnce"] = "false" };

    [Test]
    public async Task A_report_waiting_for_review_reaches_the_public_map_when_a_dispatcher_publishes_it()
    {
        var report = await Report();
        Assert.That(report.Public, Is.False);
        Assert.That(Ids(await Json(App.CreateClient(), "/api/public/map/incidents")), Is.Empty);
        var staff = await Json(Dispatcher, "/api/map/incidents");
        Assert.That(staff.GetProperty("features")[0].GetProperty("properties").GetProperty("under_review").GetBoolean(), Is.True);

        await Post(Dispatcher, $"/api/map/reports/{report.CaseId}/publish", null);
        Assert.That(Ids(await Json(App.CreateClient(), "/api/public/map/incidents")), Is.EqualTo(new[] { "2026-1" }));
        await (await Dispatcher.PostAsJsonAsync($"/api/map/reports/{report.CaseId}/publish", new { })).AssertProblem(HttpStatusCode.Conflict);
        Assert.That(TimelineKinds(report.CaseId), Is.EqualTo(new[] { "case.registered", "map.report_published" }));
    }
}
