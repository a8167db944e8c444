using System.Net;
using CitizenCrm.Tests.Cases;
using CitizenCrm.Tests.Infrastructure;

namespace CitizenCrm.Tests.Reports;

/// <summary>The ground of a refusal, which the Law 544/2001 yearly report counts (HG 123/2002 annex art. 27 lit. d).</summary>
public sealed class RefusalGroundTests
{
    private static object Refusal(string? ground) => new
    {
        reason = "Nu deținem această informație.", legalBasis = "Legea 544/2001 art. 7", signedBy = "Secretarul general", sentVia = "email", refusalGround = ground,
    };

    [Test]
    public async Task An_information_request_refused_as_nonexistent_counts_there_and_a_wrong_ground_or_a_ground_on_a_petition_is_refused()
    {
        using var desk = await RegistryDesk.OpenAsync("2026-05-04 10:00");
        var citizen = await desk.NewCitizen();
        var request = (await desk.RegisterOk(new { kind = "information_request", channel = "web", subject = "Contracte 2025", citizenId = citizen })).Id;
        var petition = (await desk.Petition(citizen)).Id;
        await desk.PostOk(request, "assign", new { department = "Relații cu publicul" });
        await desk.PostOk(petition, "assign", new { department = "Relații cu publicul" });

        var wrong = await (await desk.Post(request, "reject", Refusal("secret"))).AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(wrong.GetProperty("errors").GetProperty("refusalGround")[0].GetString(), Does.StartWith("The refusal ground is exempt"));
        var onPetition = await (await desk.Post(petition, "reject", Refusal("other"))).AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(onPetition.GetProperty("errors").GetProperty("refusalGround")[0].GetString(), Does.Contain("not an information request"));
        Assert.That(desk.Scalar("SELECT COUNT(*) FROM cases WHERE status = 'rejected'"), Is.EqualTo(0), "nothing half-written");
        Assert.That(desk.Scalar("SELECT COUNT(*) FROM timeline WHERE kind = 'case.rejected'"), Is.EqualTo(0));

        await desk.PostOk(request, "reject", Refusal("nonexistent"));
        await desk.PostOk(petition, "reject", Refusal(null));   // a petition is refused without a ground, as before

        var supervisor = await desk.App.ClientFor(CitizenCrm.Core.Common.StaffRole.Supervisor);
        var report = await ReportDataset.GetJson(supervisor, "/api/reports/law-544?year=2026");
        var figures = report.GetProperty("figures").EnumerateArray().ToDictionary(f => f.GetProperty("key").GetString()!, f => f.GetProperty("value"));
        Assert.That(figures["requests_refused_total"].GetInt64(), Is.EqualTo(1), "the petition is not an information request");
        Assert.That(figures["requests_refused_nonexistent"].GetInt64(), Is.EqualTo(1));
        Assert.That(figures["requests_refused_exempt"].GetInt64(), Is.EqualTo(0));
        Assert.That(figures["requests_refused_unclassified"].GetInt64(), Is.EqualTo(0));
    }
}
