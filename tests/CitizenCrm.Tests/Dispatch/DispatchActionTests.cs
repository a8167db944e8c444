using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Dispatch;
using CitizenCrm.Tests.Infrastructure;

namespace CitizenCrm.Tests.Dispatch;

public sealed class DispatchActionTests : DispatchTest
{
    private async Task<DispatchCaseResult> Ok(HttpResponseMessage response)
    {
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await response.ReadJson<DispatchCaseResult>();
    }

    [Test]
    public async Task Dispatcher_claims_a_case_and_a_second_dispatcher_claiming_it_gets_409_naming_the_first()
    {
        var ion = await Clerk.RegisterCitizen();
        var petition = await Petition(ion.Id);
        var dana = await AnotherUser("dana", StaffRole.Dispatcher);

        var claimed = await Ok(await Dispatcher.PostAsJsonAsync($"/api/dispatch/cases/{petition.Id}/claim", new { version = 1 }));
        var second = await dana.PostAsJsonAsync($"/api/dispatch/cases/{petition.Id}/claim", new { version = 1 });

        var item = (await Queue(Dispatcher)).Items.Single();
        Assert.That((item.Id, item.CaseId, item.AssignedTo, item.Version), Is.EqualTo((petition.Id.ToString(), (Guid?)petition.Id, "test-dispatcher", (int?)2)));
        Assert.That(claimed.Case.AssignedTo, Is.EqualTo("test-dispatcher"));
        Assert.That(claimed.Case.Status, Is.EqualTo("assigned"));
        Assert.That(claimed.Case.Version, Is.EqualTo(2));
        var problem = await second.AssertProblem(HttpStatusCode.Conflict);
        Assert.That(problem.GetProperty("detail").GetString(), Is.EqualTo("Case 1/2026 was already claimed by test-dispatcher. Pick another case, or ask a supervisor to reassign it."));
        var history = History(petition.Id);
        Assert.That(history.Select(e => (e.Kind, e.Actor)), Is.EqualTo(new[] { ("case.registered", "test-clerk"), ("case.claimed", "test-dispatcher") }));
        Assert.That(history[1].Summary, Is.EqualTo("Petition 1/2026 claimed by test-dispatcher"));
        Assert.That(claimed.TimelineSeq, Is.EqualTo(Scalar("SELECT MAX(seq) FROM timeline WHERE case_id = @id", ("@id", petition.Id))));
    }

    [Test]
    public async Task Two_dispatchers_claiming_the_same_case_at_the_same_moment_one_wins_and_the_other_gets_409()
    {
        var petition = await Petition((await Clerk.RegisterCitizen()).Id);
        var dana = await AnotherUser("dana", StaffRole.Dispatcher);

        var answers = await Task.WhenAll(
            Dispatcher.PostAsJsonAsync($"/api/dispatch/cases/{petition.Id}/claim", new { version = 1 }),
            dana.PostAsJsonAsync($"/api/dispatch/cases/{petition.Id}/claim", new { version = 1 }));

        Assert.That(answers.Select(a => (int)a.StatusCode).Order(), Is.EqualTo(new[] { 200, 409 }));
        var holder = (string)Scalar("SELECT assigned_to FROM cases WHERE id = @id", ("@id", petition.Id))!;
        var loser = answers.Single(a => a.StatusCode == HttpStatusCode.Conflict);
        Assert.That((await loser.AssertProblem(HttpStatusCode.Conflict)).GetProperty("detail").GetString(), Does.Contain(holder));
        Assert.That(History(petition.Id).Count(e => e.Kind == "case.claimed"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_claim_with_the_version_the_queue_showed_is_refused_with_409_when_the_case_changed_meanwhile()
    {
        var petition = await Petition((await Clerk.RegisterCitizen()).Id);
        await Ok(await Dispatcher.PostAsJsonAsync($"/api/dispatch/cases/{petition.Id}/priority", new { priority = "urgent" }));

        var stale = await Dispatcher.PostAsJsonAsync($"/api/dispatch/cases/{petition.Id}/claim", new { version = 1 });

        var problem = await stale.AssertProblem(HttpStatusCode.Conflict);
        Assert.That(problem.GetProperty("detail").GetString(), Does.StartWith("Case 1/2026 was changed by someone else since you loaded it (your version 1, now 2)."));
        Assert.That(Scalar("SELECT assigned_to FROM cases WHERE id = @id", ("@id", petition.Id)), Is.InstanceOf<DBNull>());
    }

    [Test]
    public async Task Dispatcher_assigns_and_reassigns_a_case_to_a_department_and_a_person()
    {
        var petition = await Petition((await Clerk.RegisterCitizen()).Id);
        await AnotherUser("dana", StaffRole.Clerk);

        var assigned = await Ok(await Dispatcher.PostAsJsonAsync($"/api/dispatch/cases/{petition.Id}/assign", new { department = "Urbanism", staffUsername = "test-clerk" }));
        var reassigned = await Ok(await Dispatcher.PostAsJsonAsync($"/api/dispatch/cases/{petition.Id}/assign", new { staffUsername = "DANA" }));

        Assert.That((assigned.Case.AssignedDepartment, assigned.Case.AssignedTo), Is.EqualTo(("Urbanism", "test-clerk")));
        Assert.That((reassigned.Case.AssignedDepartment, reassigned.Case.AssignedTo), Is.EqualTo(("Urbanism", "dana")), "the department stays when only the person changes");
        Assert.That(History(petition.Id).Skip(1).Select(e => e.Summary), Is.EqualTo(new[]
        {
            "Petition 1/2026 assigned to Urbanism / test-clerk",
            "Petition 1/2026 reassigned to Urbanism / dana",
        }));
    }

    [Test]
    public async Task Bulk_assign_is_all_or_nothing_and_names_every_refused_case()
    {
        var ion = await Clerk.RegisterCitizen();
        var first = await Petition(ion.Id);
        var anonymous = await Register(new { kind = "petition", channel = "post", subject = "Anonim", anonymous = true }); // filed at once (OG 27/2002 art. 7)
        var third = await Petition(ion.Id);
        var unknown = Guid.Parse("7d1b6770-0000-4000-8000-000000000001");

        var refused = await Dispatcher.PostAsJsonAsync("/api/dispatch/cases/assign",
            new { caseIds = new[] { first.Id, anonymous.Id, third.Id, unknown }, department = "Relații cu publicul" });

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        var problem = await refused.ReadJson<JsonElement>();
        Assert.That(problem.GetProperty("detail").GetString(), Does.StartWith("2 of 4 case(s) cannot be assigned, so none was: 2/2026: Case 2/2026 was filed away"));
        Assert.That(problem.GetProperty("refused").EnumerateArray().Select(r => r.GetProperty("caseId").GetGuid()), Is.EqualTo(new[] { anonymous.Id, unknown }));
        Assert.That(Scalar("SELECT COUNT(*) FROM cases WHERE assigned_department IS NOT NULL"), Is.EqualTo(0L), "nothing half-written");
        Assert.That(History(first.Id).Select(e => e.Kind), Is.EqualTo(new[] { "case.registered" }));

        var done = await Dispatcher.PostAsJsonAsync("/api/dispatch/cases/assign",
            new { caseIds = new[] { first.Id, third.Id }, department = "Relații cu publicul", staffUsername = "test-clerk" });

        Assert.That(done.StatusCode, Is.EqualTo(HttpStatusCode.OK), await done.Content.ReadAsStringAsync());
        var result = await done.ReadJson<BulkAssignResult>();
        Assert.That(result.Cases.Select(c => (c.Case.RegistrationNumber, c.Case.AssignedTo, c.Case.Status)),
            Is.EqualTo(new[] { ("1/2026", "test-clerk", "assigned"), ("3/2026", "test-clerk", "assigned") }));
        Assert.That(History(third.Id).Select(e => e.Summary).Last(), Is.EqualTo("Petition 3/2026 assigned to Relații cu publicul / test-clerk (with 1 other case(s))"));
    }

    [Test]
    public async Task Dispatcher_sets_a_priority_on_the_low_normal_high_urgent_scale()
    {
        var petition = await Petition((await Clerk.RegisterCitizen()).Id);

        var urgent = await Ok(await Dispatcher.PostAsJsonAsync($"/api/dispatch/cases/{petition.Id}/priority", new { priority = "urgent" }));
        var wrong = await Dispatcher.PostAsJsonAsync($"/api/dispatch/cases/{petition.Id}/priority", new { priority = "5" });

        Assert.That(urgent.Priority, Is.EqualTo("urgent"));
        Assert.That(Scalar("SELECT priority FROM cases WHERE id = @id", ("@id", petition.Id)), Is.EqualTo(3L));
        Assert.That(History(petition.Id).Last().Summary, Is.EqualTo("Petition 1/2026: priority normal → urgent"));
        var problem = await wrong.AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").GetProperty("priority")[0].GetString(), Is.EqualTo("The priority must be low, normal, high or urgent."));
    }

    [Test]
    public async Task Dispatcher_links_an_unmatched_case_to_a_citizen_and_it_shows_on_the_citizens_timeline()
    {
        var maria = await Clerk.RegisterCitizen(firstName: "Maria", lastName: "Ionescu");
        var unmatched = await Unmatched();

        var linked = await Ok(await Dispatcher.PostAsJsonAsync($"/api/dispatch/cases/{unmatched.Id}/link", new { citizenId = maria.Id }));
        var again = await Dispatcher.PostAsJsonAsync($"/api/dispatch/cases/{unmatched.Id}/link", new { citizenId = maria.Id });

        Assert.That((linked.Case.Party.Kind, linked.Case.Party.CitizenId, linked.Case.Party.DisplayName), Is.EqualTo(("citizen", (Guid?)maria.Id, "Maria Ionescu")));
        var last = History(unmatched.Id).Last();
        Assert.That((last.Kind, last.Actor, last.Summary), Is.EqualTo(("case.linked_to_citizen", "test-dispatcher",
            "Information request 1/2026 linked to citizen Maria Ionescu; it came from contact Maria Ionescu")));
        Assert.That(Guid.Parse(last.CitizenId!), Is.EqualTo(maria.Id), "on the citizen's own timeline");
        Assert.That((await Queue(Dispatcher, "?unmatched=true")).Total, Is.EqualTo(0));
        Assert.That((await again.AssertProblem(HttpStatusCode.Conflict)).GetProperty("detail").GetString(), Is.EqualTo("Case 1/2026 is already linked to a citizen (Maria Ionescu)."));
    }

    [Test]
    public async Task Dispatcher_registers_the_citizen_from_an_unmatched_case_and_links_it_in_one_step()
    {
        var unmatched = await Unmatched();
        var cnp = TestData.NewCnp(sex: 2);

        var linked = await Ok(await Dispatcher.PostAsJsonAsync($"/api/dispatch/cases/{unmatched.Id}/link",
            new { citizen = new { nationalId = cnp, firstName = "Maria", lastName = "Ionescu" } }));
        var twice = await Dispatcher.PostAsJsonAsync($"/api/dispatch/cases/{(await Unmatched()).Id}/link",
            new { citizen = new { nationalId = cnp, firstName = "Maria", lastName = "Ionescu" } });

        var citizenId = linked.Case.Party.CitizenId!.Value;
        Assert.That(Scalar("SELECT emails FROM citizens WHERE id = @id", ("@id", citizenId)), Is.EqualTo("[\"maria.ionescu@example.ro\"]"),
            "the address the e-mail came from is the citizen's");
        Assert.That(Scalar("SELECT kind || ' ' || actor FROM timeline WHERE citizen_id = @id AND case_id IS NULL", ("@id", citizenId)), Is.EqualTo("citizen.registered test-dispatcher"));
        Assert.That(History(unmatched.Id).Last().Summary, Is.EqualTo(
            "Information request 1/2026 linked to citizen Maria Ionescu (registered from the case's details); it came from contact Maria Ionescu"));
        await twice.AssertProblem(HttpStatusCode.Conflict); // the CNP is registered now: link to that citizen instead
        Assert.That(Scalar("SELECT COUNT(*) FROM citizens WHERE national_id = @cnp", ("@cnp", cnp)), Is.EqualTo(1L));
        Assert.That(Scalar("SELECT party_kind FROM cases WHERE number = 2"), Is.EqualTo("contact"), "nothing half-written");
    }

    [Test]
    public async Task Dispatcher_marks_a_petition_as_a_duplicate_and_it_is_joined_under_OG_27_2002_art_10()
    {
        var ion = await Clerk.RegisterCitizen();
        var first = await Petition(ion.Id);
        var again = await Petition(ion.Id);
        var other = await Petition((await Clerk.RegisterCitizen(firstName: "Vasile")).Id);

        var joined = await Ok(await Dispatcher.PostAsJsonAsync($"/api/dispatch/cases/{again.Id}/duplicate", new { ofCaseId = first.Id }));
        var notSame = await Dispatcher.PostAsJsonAsync($"/api/dispatch/cases/{other.Id}/duplicate", new { ofCaseId = first.Id });

        Assert.That((joined.Case.Status, joined.Case.JoinedToCaseId), Is.EqualTo(("joined", (Guid?)first.Id)));
        var last = History(again.Id).Last();
        Assert.That((last.Kind, last.Actor, last.Summary), Is.EqualTo(("case.joined", "test-dispatcher", "Petition 2/2026 joined to 1/2026, answered once with it")));
        Assert.That(joined.TimelineSeq, Is.EqualTo(Scalar("SELECT MAX(seq) FROM timeline WHERE case_id = @id", ("@id", again.Id))));
        await notSame.AssertProblem(HttpStatusCode.Conflict);
        Assert.That(Labels(await Queue(Dispatcher, "?kind=petition")), Is.EqualTo(new[] { "petition 1/2026", "petition 3/2026" }));
    }

    [Test]
    public async Task Dispatcher_marks_the_same_service_request_registered_twice_as_a_duplicate()
    {
        var ion = await Clerk.RegisterCitizen();
        var web = await Register(new { kind = "service_request", channel = "web", subject = "Certificat fiscal", citizenId = ion.Id, service = "fiscal_certificate" });
        var email = await Register(new { kind = "service_request", channel = "email", subject = "Certificat fiscal", citizenId = ion.Id, service = "fiscal_certificate" });

        var joined = await Ok(await Dispatcher.PostAsJsonAsync($"/api/dispatch/cases/{email.Id}/duplicate", new { ofCaseId = web.Id }));

        Assert.That(joined.Case.Status, Is.EqualTo("joined"));
        Assert.That(History(email.Id).Last().Summary, Is.EqualTo("Service request 2/2026 marked as a duplicate of 1/2026, answered once with it"));
    }

    [Test]
    public async Task A_petition_reclassified_as_an_information_request_gets_Law_544s_ten_days_from_its_registration()
    {
        Clock.SetUtcNow(new DateTimeOffset(2026, 11, 10, 8, 0, 0, TimeSpan.Zero));
        var petition = await Petition((await Clerk.RegisterCitizen()).Id, "Cât a costat reabilitarea parcului?");
        Assert.That(petition.DueOn, Is.EqualTo(new DateOnly(2026, 12, 10)));
        Clock.SetUtcNow(Today);

        var reclassified = await Ok(await Dispatcher.PostAsJsonAsync($"/api/dispatch/cases/{petition.Id}/reclassify",
            new { kind = "information_request", reason = "Cere o informație de interes public, nu o rezolvare" }));

        // 10 days from 10 November: 20 November, already past on 24 November — shown as overdue, not quietly extended.
        Assert.That((reclassified.Case.Kind, reclassified.Case.TermDays, reclassified.Case.DueOn, reclassified.Case.DaysLeft, reclassified.Case.Late),
            Is.EqualTo(("information_request", (int?)10, (DateOnly?)new DateOnly(2026, 11, 20), (int?)-4, true)));
        Assert.That(reclassified.Case.RegistrationNumber, Is.EqualTo("1/2026"));
        var last = History(petition.Id).Last();
        Assert.That((last.Kind, last.Actor, last.Summary), Is.EqualTo(("case.reclassified", "test-dispatcher",
            "Case 1/2026 reclassified from petition to information request; term 10 days from registration, due 2026-11-20: Cere o informație de interes public, nu o rezolvare")));
    }

    [Test]
    public async Task A_service_request_reclassified_to_another_service_gets_that_services_term()
    {
        Clock.SetUtcNow(Today);
        var request = await Register(new { kind = "service_request", channel = "desk", subject = "Certificat", citizenId = (await Clerk.RegisterCitizen()).Id, service = "fiscal_certificate" });

        var reclassified = await Ok(await Dispatcher.PostAsJsonAsync($"/api/dispatch/cases/{request.Id}/reclassify",
            new { kind = "service_request", service = "urbanism_certificate", reason = "Cere certificat de urbanism" }));
        var noReason = await Dispatcher.PostAsJsonAsync($"/api/dispatch/cases/{request.Id}/reclassify", new { kind = "petition" });

        // Law 50/1991: 15 days for a town-planning certificate, from 24 November.
        Assert.That((reclassified.Case.Category, reclassified.Case.DueOn), Is.EqualTo(("urbanism_certificate", (DateOnly?)new DateOnly(2026, 12, 9))));
        Assert.That((await noReason.AssertProblem(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("reason", out _), Is.True);
    }

    [Test]
    public async Task A_phone_service_request_is_not_reclassified_into_a_petition()
    {
        var call = await Register(new { kind = "service_request", channel = "phone", subject = "Reclamație", citizenId = (await Clerk.RegisterCitizen()).Id, service = "general" });

        var refused = await Dispatcher.PostAsJsonAsync($"/api/dispatch/cases/{call.Id}/reclassify", new { kind = "petition", reason = "E o reclamație" });

        Assert.That((await refused.AssertProblem(HttpStatusCode.Conflict)).GetProperty("detail").GetString(), Does.Contain("OG 27/2002 art. 2"));
    }

    [Test]
    public async Task A_clerk_may_claim_but_not_give_cases_to_others()
    {
        var petition = await Petition((await Clerk.RegisterCitizen()).Id);

        await Ok(await Clerk.PostAsJsonAsync($"/api/dispatch/cases/{petition.Id}/claim", new { }));
        var assign = await Clerk.PostAsJsonAsync($"/api/dispatch/cases/{petition.Id}/assign", new { staffUsername = "test-dispatcher" });

        await assign.AssertProblem(HttpStatusCode.Forbidden);
    }
}
