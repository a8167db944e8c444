using System.Net.Http.Json;
using CitizenCrm.Core.Audit;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Infrastructure;

namespace CitizenCrm.Tests.Citizens;

public sealed class AuditTests
{
    private CrmTestApp _app = null!;

    [SetUp]
    public void SetUp() => _app = new CrmTestApp();

    [TearDown]
    public void TearDown() => _app.Dispose();

    [Test]
    public async Task Every_staff_read_of_personal_data_is_audited_one_row_per_citizen_shown()
    {
        var clerk = await _app.ClientFor(StaffRole.Clerk);
        var dispatcher = await _app.ClientFor(StaffRole.Dispatcher);
        var supervisor = await _app.ClientFor(StaffRole.Supervisor);
        var ana = await clerk.RegisterCitizen(firstName: "Ana", lastName: "Marin");
        var andrei = await clerk.RegisterCitizen(firstName: "Andrei", lastName: "Marin");
        await clerk.RegisterCitizen(firstName: "Vasile", lastName: "Lupu");

        (await clerk.GetAsync($"/api/citizens/{ana.Id}")).EnsureSuccessStatusCode();
        (await clerk.PostAsJsonAsync("/api/citizens/search", new { name = "marin" })).EnsureSuccessStatusCode();
        (await dispatcher.GetAsync($"/api/citizens/{andrei.Id}/timeline")).EnsureSuccessStatusCode();

        var audit = await supervisor.GetFromJsonAsync<AuditPage>("/api/audit", Json.Options);
        var rows = audit!.Entries.Select(e => (e.Actor, e.CitizenId, e.Query)).ToList();
        Assert.That(rows, Is.EquivalentTo(new[]
        {
            ("test-clerk", ana.Id, "GetCitizen"),
            ("test-clerk", ana.Id, "FindCitizens"),
            ("test-clerk", andrei.Id, "FindCitizens"),
            ("test-dispatcher", andrei.Id, "GetCitizenTimeline"),
        }));
        Assert.That(audit.Entries.First(e => e.Query == "GetCitizen").Endpoint, Is.EqualTo("GET /api/citizens/{id:guid}"));

        var forAna = await supervisor.GetFromJsonAsync<AuditPage>($"/api/audit?citizenId={ana.Id}", Json.Options);
        Assert.That(forAna!.Entries, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Registering_is_not_a_read_and_a_search_with_no_hits_audits_nobody()
    {
        var clerk = await _app.ClientFor(StaffRole.Clerk);
        var supervisor = await _app.ClientFor(StaffRole.Supervisor);
        await clerk.RegisterCitizen();
        (await clerk.PostAsJsonAsync("/api/citizens/search", new { name = "nobody" })).EnsureSuccessStatusCode();

        var audit = await supervisor.GetFromJsonAsync<AuditPage>("/api/audit", Json.Options);

        Assert.That(audit!.Entries, Is.Empty);
    }
}
