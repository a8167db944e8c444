using System.Net;
using System.Net.Http.Json;
using CitizenCrm.Core.Cases;
using CitizenCrm.Tests.Infrastructure;

namespace CitizenCrm.Tests.Cases;

public sealed class RegistrationNumberTests
{
    [Test]
    public async Task Hundred_clerks_registering_at_once_get_one_hundred_distinct_consecutive_numbers()
    {
        using var desk = await RegistryDesk.OpenAsync("2026-03-02 10:00");
        var citizen = await desk.NewCitizen();

        var responses = await Task.WhenAll(Enumerable.Range(1, 100).Select(i =>
            desk.Register(new { kind = "petition", channel = "desk", subject = $"Sesizarea {i}", citizenId = citizen })));

        foreach (var r in responses) Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.Created), await r.Content.ReadAsStringAsync());
        var cases = await Task.WhenAll(responses.Select(r => r.ReadJson<CaseDetails>()));
        Assert.That(cases.Select(c => c.Number).Order(), Is.EqualTo(Enumerable.Range(1, 100)));
        Assert.That(cases.Select(c => c.RegistrationNumber), Is.Unique);
        Assert.That(cases.All(c => c.Year == 2026 && c.RegistrationNumber == $"{c.Number}/2026"));
        Assert.That(desk.Scalar("SELECT value FROM registration_counters WHERE register_code = 'general' AND year = 2026"), Is.EqualTo(100));
    }

    [Test]
    public async Task Numbers_restart_at_1_in_the_new_Bucharest_year_even_while_it_is_still_the_old_year_in_UTC()
    {
        using var desk = await RegistryDesk.OpenAsync("2025-12-31 23:50");
        var citizen = await desk.NewCitizen();
        var december1 = await desk.Petition(citizen, "Prima");
        var december2 = await desk.Petition(citizen, "A doua");

        desk.SetLocalTime("2026-01-01 00:30"); // 22:30 UTC on 31 December
        Assert.That(desk.Clock.GetUtcNow().UtcDateTime.Year, Is.EqualTo(2025), "still 2025 in UTC");
        var january = await desk.Petition(citizen, "A treia");

        Assert.That(december1.RegistrationNumber, Is.EqualTo("1/2025"));
        Assert.That(december2.RegistrationNumber, Is.EqualTo("2/2025"));
        Assert.That(january.RegistrationNumber, Is.EqualTo("1/2026"));
        Assert.That(january.RegisteredOn, Is.EqualTo(new DateOnly(2026, 1, 1)));
        Assert.That(january.DueOn, Is.EqualTo(new DateOnly(2026, 1, 31)));
    }

    [Test]
    public async Task A_retried_registration_with_the_same_Idempotency_Key_does_not_burn_a_second_number()
    {
        using var desk = await RegistryDesk.OpenAsync();
        var citizen = await desk.NewCitizen();
        var body = new { kind = "petition", channel = "desk", subject = "Iluminat stradal", citizenId = citizen };

        async Task<HttpResponseMessage> Send()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/cases") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", "desk-3-0001");
            return await desk.Clerk.SendAsync(request);
        }

        var first = await (await Send()).ReadJson<CaseDetails>();
        var retry = await Send();
        var replayed = await retry.ReadJson<CaseDetails>();
        var next = await desk.Petition(citizen, "Alt subiect");

        Assert.That(retry.Headers.TryGetValues("Idempotent-Replayed", out _), Is.True);
        Assert.That(replayed.Id, Is.EqualTo(first.Id));
        Assert.That(replayed.RegistrationNumber, Is.EqualTo("1/2026"));
        Assert.That(next.RegistrationNumber, Is.EqualTo("2/2026"), "the retry took no number");
        Assert.That(desk.Scalar("SELECT COUNT(*) FROM cases"), Is.EqualTo(2));
        Assert.That(desk.Scalar("SELECT COUNT(*) FROM timeline WHERE kind = 'case.registered'"), Is.EqualTo(2));
    }

    [Test]
    public async Task A_failure_in_the_middle_of_a_registration_leaves_no_number_no_case_and_no_event()
    {
        using var desk = await RegistryDesk.OpenAsync();
        var citizen = await desk.NewCitizen();
        // The event is appended after the number was taken and the case inserted: make exactly that step fail.
        desk.Execute(Sabotage.RefuseInsert("fail_case_event", "timeline_events", "NEW.kind = 'case.registered'", "disk full"));

        var failed = await desk.Register(new { kind = "petition", channel = "desk", subject = "Se pierde?", citizenId = citizen });

        var problem = await failed.AssertProblem(HttpStatusCode.InternalServerError);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("nothing was saved"));
        Assert.That(desk.Scalar("SELECT COUNT(*) FROM registration_counters"), Is.EqualTo(0), "no number taken");
        Assert.That(desk.Scalar("SELECT COUNT(*) FROM cases"), Is.EqualTo(0), "no case");
        Assert.That(desk.Scalar("SELECT COUNT(*) FROM timeline WHERE case_id IS NOT NULL"), Is.EqualTo(0), "no event");

        desk.Execute(Sabotage.Remove("fail_case_event", "timeline_events"));
        var next = await desk.Petition(citizen, "Din nou");
        Assert.That(next.RegistrationNumber, Is.EqualTo("1/2026"), "the number the failure would have used is still free");
    }

    [Test]
    public async Task Each_register_numbers_on_its_own_and_an_answer_takes_the_next_number_of_its_register()
    {
        using var desk = await RegistryDesk.OpenAsync();
        var admin = await desk.App.ClientFor(Core.Common.StaffRole.Admin);
        var opened = await admin.PostAsJsonAsync("/api/registry/registers", new { code = "urbanism", name = "Registrul urbanism" });
        Assert.That(opened.StatusCode, Is.EqualTo(HttpStatusCode.Created), await opened.Content.ReadAsStringAsync());
        var citizen = await desk.NewCitizen();

        var general = await desk.Petition(citizen);
        var urbanism = await desk.RegisterOk(new { kind = "service_request", category = "urbanism_certificate", register = "urbanism", subject = "Certificat", citizenId = citizen });
        await desk.PostOk(general.Id, "assign", new { department = "Relații cu publicul" });
        var answered = await desk.PostOk(general.Id, "answer", new { text = "Răspuns", legalBasis = "OG 27/2002", signedBy = "Primar", sentVia = "email" });

        Assert.That(general.RegistrationNumber, Is.EqualTo("1/2026"));
        Assert.That(urbanism.RegistrationNumber, Is.EqualTo("1/2026"));
        Assert.That(urbanism.Register, Is.EqualTo("urbanism"));
        Assert.That(answered.Answer!.OutgoingNumber, Is.EqualTo("2/2026"), "the answer is numbered in the general (intrare-ieșire) register");
        var unknown = await desk.Register(new { kind = "petition", register = "nope", subject = "x", citizenId = citizen });
        Assert.That((await unknown.AssertProblem(HttpStatusCode.BadRequest)).ErrorFields(), Does.Contain("register"));
    }
}
