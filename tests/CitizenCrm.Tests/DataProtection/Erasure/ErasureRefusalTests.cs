using System.Net;
using System.Net.Http.Json;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.DataProtection;
using CitizenCrm.Tests.Infrastructure;

namespace CitizenCrm.Tests.DataProtection.Erasure;

/// <summary>What the erasure refuses, each with a problem that says what to do, and what it refuses after.</summary>
[TestFixture]
public sealed class ErasureRefusalTests
{
    private CrmTestApp _app = null!;
    private HttpClient _clerk = null!, _supervisor = null!;

    [SetUp]
    public async Task Start()
    {
        _app = new CrmTestApp();
        _clerk = await _app.ClientFor(StaffRole.Clerk);
        _supervisor = await _app.ClientFor(StaffRole.Supervisor);
    }

    [TearDown]
    public void Stop() => _app.Dispose();

    private async Task<Guid> Citizen() => (await _clerk.RegisterCitizen(firstName: "Ilie", lastName: "Moldovan")).Id;

    [Test]
    public async Task An_unknown_request_is_404()
    {
        var problem = await (await _supervisor.Erase(Guid.Parse("0b6c5f5e-9d1c-4c55-9a51-2b0f3c3a7d10"))).AssertProblem(HttpStatusCode.NotFound);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("data-subject request"));
    }

    [Test]
    public async Task A_missing_legal_basis_is_400_with_an_example()
    {
        var request = await _app.RegisterRequest(await Citizen());
        var problem = await (await _supervisor.Erase(request, legalBasis: " ")).AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "legalBasis" }));
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("GDPR art. 17(1)(a)"));
    }

    [Test]
    public async Task A_clerk_may_not_erase()
    {
        var request = await _app.RegisterRequest(await Citizen());
        Assert.That((int)(await _clerk.Erase(request)).StatusCode, Is.EqualTo(403));
        var dispatcher = await _app.ClientFor(StaffRole.Dispatcher);
        Assert.That((int)(await dispatcher.Erase(request)).StatusCode, Is.EqualTo(403));
        Assert.That(_app.Scalar("SELECT status FROM data_subject_requests WHERE id = @id", ("@id", request)), Is.EqualTo("open"));
    }

    [Test]
    public async Task An_access_request_is_not_an_erasure_request()
    {
        var request = await _app.RegisterRequest(await Citizen(), DataSubjectRequestKinds.Access);
        var problem = await (await _supervisor.Erase(request)).AssertProblem(HttpStatusCode.Conflict);
        Assert.That(problem.GetProperty("title").GetString(), Is.EqualTo("Not an erasure request"));
    }

    [Test]
    public async Task A_completed_request_is_not_erased_again_and_an_erased_citizen_cannot_be_erased_twice()
    {
        var citizen = await Citizen();
        var request = await _app.RegisterRequest(citizen);
        await _supervisor.EraseOk(request);

        var again = await (await _supervisor.Erase(request)).AssertProblem(HttpStatusCode.Conflict);
        Assert.That(again.GetProperty("title").GetString(), Is.EqualTo("Request not open"));

        var second = await _app.RegisterRequest(citizen);
        var twice = await (await _supervisor.Erase(second)).AssertProblem(HttpStatusCode.Conflict);
        Assert.That(twice.GetProperty("title").GetString(), Is.EqualTo("Citizen already erased"));
        Assert.That(_app.Scalar("SELECT COUNT(*) FROM citizen_erasures WHERE citizen_id = @id", ("@id", citizen)), Is.EqualTo(1L));
    }

    [Test]
    public async Task Open_cases_are_listed_by_number_and_nothing_is_erased()
    {
        var citizen = await Citizen();
        var first = await _clerk.RegisterPetition(citizen, "Groapă pe strada Teilor");
        await _clerk.RegisterPetition(citizen, "Iluminat stradal");
        var filed = await _clerk.RegisterPetition(citizen, "Zgomot noaptea");
        await _clerk.FileCase(filed);
        var request = await _app.RegisterRequest(citizen);

        var problem = await (await _supervisor.Erase(request)).AssertProblem(HttpStatusCode.Conflict);
        var detail = problem.GetProperty("detail").GetString();
        Assert.That(detail, Does.Contain("cases 1/2026, 2/2026 are still open"));
        Assert.That(detail, Does.Not.Contain("3/2026"));
        Assert.That(detail, Does.Contain("OG 27/2002").And.Contain("Law 544/2001").And.Contain("answer, file or close them first"));
        Assert.That(_app.Scalar("SELECT first_name FROM citizens WHERE id = @id", ("@id", citizen)), Is.EqualTo("Ilie"));
        Assert.That(_app.Scalar("SELECT subject FROM cases WHERE id = @id", ("@id", first)), Is.EqualTo("Groapă pe strada Teilor"));
        Assert.That(_app.Scalar("SELECT status FROM data_subject_requests WHERE id = @id", ("@id", request)), Is.EqualTo("open"));
    }

    [Test]
    public async Task Unpaid_taxes_are_refused_until_paid()
    {
        var citizen = await Citizen();
        _app.AddTax(citizen, dueBani: 45_000, paidBani: 20_000);
        var request = await _app.RegisterRequest(citizen);

        var problem = await (await _supervisor.Erase(request)).AssertProblem(HttpStatusCode.Conflict);
        Assert.That(problem.GetProperty("title").GetString(), Is.EqualTo("Debts owed"));
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("1 unpaid local tax (years 2025)")
            .And.Contain("Law 207/2015").And.Contain("erase after payment"));

        _app.Exec("UPDATE tax_obligations SET amount_paid = amount_due");
        await _supervisor.EraseOk(request);
        Assert.That(_app.Scalar("SELECT description FROM tax_obligations"), Is.EqualTo("[erased]"));
        Assert.That(_app.Scalar("SELECT amount_due FROM tax_obligations"), Is.EqualTo(45_000L));
    }

    [Test]
    public async Task An_unpaid_fine_is_refused()
    {
        var citizen = await Citizen();
        _app.AddTax(citizen, dueBani: 45_000, paidBani: 45_000);
        _app.AddFine(citizen, appliedBani: 100_000, paidBani: 0, reportNumber: "PV 0042");
        var request = await _app.RegisterRequest(citizen);

        var problem = await (await _supervisor.Erase(request)).AssertProblem(HttpStatusCode.Conflict);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("1 unpaid fine (reports PV 0042)").And.Not.Contain("tax"));
    }

    [Test]
    public async Task Commands_on_an_erased_citizen_are_refused_with_the_date()
    {
        var citizen = await Citizen();
        var unmatched = await _clerk.PostAsJsonAsync("/api/cases", new
        {
            kind = "petition", channel = "desk", subject = "Scrisoare fără CNP", contact = new { name = "Ilie Moldovan", details = "Str. Teilor 4" },
        });
        Assert.That((int)unmatched.StatusCode, Is.EqualTo(201), await unmatched.Content.ReadAsStringAsync());
        var unmatchedId = (await unmatched.ReadJson<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid();
        await _supervisor.EraseOk(await _app.RegisterRequest(citizen));
        var today = Calendar.Today(TimeProvider.System).ToString("yyyy-MM-dd");

        var update = await _clerk.PutAsJsonAsync($"/api/citizens/{citizen}", new { firstName = "Ilie", lastName = "Moldovan" });
        var pin = await _clerk.PostAsync($"/api/citizens/{citizen}/phone-pin", null);
        var petition = await _clerk.PostAsJsonAsync("/api/cases", new { kind = "petition", channel = "desk", subject = "Din nou", citizenId = citizen });
        var interaction = await _clerk.PostAsJsonAsync($"/api/citizens/{citizen}/interactions",
            new { type = "desk_visit", channel = "desk", summary = "A venit la ghișeu" });
        var link = await (await _app.ClientFor(StaffRole.Dispatcher)).PostAsJsonAsync($"/api/dispatch/cases/{unmatchedId}/link", new { citizenId = citizen });
        foreach (var response in new[] { update, pin, petition, interaction, link })
        {
            var problem = await response.AssertProblem(HttpStatusCode.Conflict);
            Assert.That(problem.GetProperty("detail").GetString(), Does.StartWith($"This citizen's data was erased on {today}"));
        }
        Assert.That(_app.Scalar("SELECT COUNT(*) FROM cases"), Is.EqualTo(1L), "only the unmatched letter, still unmatched");
        Assert.That(_app.Scalar("SELECT party_kind FROM cases"), Is.EqualTo("contact"));
    }
}
