using System.Net;
using System.Net.Http.Json;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Infrastructure;

namespace CitizenCrm.Tests.Cases;

public sealed class DeadlineTests
{
    [Test]
    public async Task A_petition_registered_on_31_January_of_a_leap_year_is_due_on_1_March_counting_29_February()
    {
        using var desk = await RegistryDesk.OpenAsync("2028-01-31 16:45");
        var petition = await desk.Petition(await desk.NewCitizen());

        Assert.That(petition.RegisteredOn, Is.EqualTo(new DateOnly(2028, 1, 31)));
        Assert.That(petition.DueOn, Is.EqualTo(new DateOnly(2028, 3, 1)), "day 1 is 1 February, day 29 is 29 February, day 30 is 1 March");

        desk.SetLocalTime("2028-02-29 09:00");
        var onLeapDay = await desk.Get(petition.Id);
        Assert.That(onLeapDay.DaysLeft, Is.EqualTo(1));
        Assert.That(onLeapDay.Late, Is.False);

        desk.SetLocalTime("2028-03-02 09:00");
        var afterwards = await desk.Get(petition.Id);
        Assert.That(afterwards.DaysLeft, Is.EqualTo(-1));
        Assert.That(afterwards.Late, Is.True);
    }

    [Test]
    public async Task The_same_petition_in_a_common_year_is_due_on_2_March()
    {
        using var desk = await RegistryDesk.OpenAsync("2027-01-31 10:00");
        var petition = await desk.Petition(await desk.NewCitizen());

        Assert.That(petition.DueOn, Is.EqualTo(new DateOnly(2027, 3, 2)));
    }

    [Test]
    public async Task By_default_a_term_ending_on_a_Saturday_stays_there_and_a_city_can_choose_to_move_it_to_Monday()
    {
        // Registered Thursday 2026-03-05: 30 days later is Saturday 2026-04-04.
        using var strict = await RegistryDesk.OpenAsync("2026-03-05 10:00");
        var kept = await strict.Petition(await strict.NewCitizen());
        Assert.That(kept.DueOn, Is.EqualTo(new DateOnly(2026, 4, 4)));
        Assert.That(kept.DueOn!.Value.DayOfWeek, Is.EqualTo(DayOfWeek.Saturday));

        using var moving = await RegistryDesk.OpenAsync("2026-03-05 10:00",
            new Dictionary<string, string?> { ["Registry:MoveTermsOffNonWorkingDays"] = "true" });
        var moved = await moving.Petition(await moving.NewCitizen());
        Assert.That(moved.DueOn, Is.EqualTo(new DateOnly(2026, 4, 6)), "Saturday 4 April 2026 moves to Monday 6 April");
    }

    [Test]
    public async Task A_moving_term_also_skips_Orthodox_Easter_Monday()
    {
        // Orthodox Easter 2026 is 12 April; Easter Monday 13 April. Registered 14 March + 30 = Monday 13 April.
        using var desk = await RegistryDesk.OpenAsync("2026-03-14 10:00",
            new Dictionary<string, string?> { ["Registry:MoveTermsOffNonWorkingDays"] = "true" });
        var petition = await desk.Petition(await desk.NewCitizen());
        Assert.That(petition.DueOn, Is.EqualTo(new DateOnly(2026, 4, 14)));
    }

    [Test]
    public async Task An_extension_notified_before_the_term_ends_adds_up_to_15_days_once()
    {
        using var desk = await RegistryDesk.OpenAsync("2026-03-02 10:00");
        var petition = await desk.Petition(await desk.NewCitizen());

        desk.SetLocalTime("2026-04-01 15:00"); // the last day of the term
        var tooLong = await desk.Post(petition.Id, "extend", new { days = 16, reason = "Verificări pe teren", noticeVia = "email" });
        Assert.That((await tooLong.AssertProblem(HttpStatusCode.BadRequest)).ErrorFields(), Does.Contain("days"));
        var extended = await desk.PostOk(petition.Id, "extend", new { days = 15, reason = "Verificări pe teren", noticeVia = "email" });

        Assert.That(extended.DueOn, Is.EqualTo(new DateOnly(2026, 4, 16)));
        Assert.That(extended.ExtendedByDays, Is.EqualTo(15));
        var again = await desk.Post(petition.Id, "extend", new { days = 5, reason = "Încă o dată", noticeVia = "email" });
        var problem = await again.AssertProblem(HttpStatusCode.Conflict);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("one extension"));
        Assert.That(await desk.HistoryKinds(petition.Id), Is.EqualTo(new[] { "case.registered", "case.term_extended" }));
    }

    [Test]
    public async Task An_extension_given_after_the_term_ended_is_refused_with_a_reason_a_clerk_understands()
    {
        using var desk = await RegistryDesk.OpenAsync("2026-03-02 10:00");
        var petition = await desk.Petition(await desk.NewCitizen());

        desk.SetLocalTime("2026-04-02 08:00"); // the day after the term
        var late = await desk.Post(petition.Id, "extend", new { days = 10, reason = "Prea târziu", noticeVia = "post" });

        var problem = await late.AssertProblem(HttpStatusCode.Conflict);
        Assert.That(problem.GetProperty("detail").GetString(),
            Does.Contain("ended on 2026-04-01").And.Contain("before the term expires").And.Contain("answer the petition now"));
        var unchanged = await desk.Get(petition.Id);
        Assert.That(unchanged.DueOn, Is.EqualTo(new DateOnly(2026, 4, 1)));
        Assert.That(unchanged.Late, Is.True);
        Assert.That(await desk.HistoryKinds(petition.Id), Is.EqualTo(new[] { "case.registered" }));
    }

    [Test]
    public async Task An_information_request_whose_requester_is_told_within_10_days_is_due_in_30()
    {
        using var desk = await RegistryDesk.OpenAsync("2026-03-02 10:00");
        var request = await desk.RegisterOk(new { kind = "information_request", channel = "email", subject = "Cheltuieli cu iluminatul", citizenId = await desk.NewCitizen() });
        Assert.That(request.DueOn, Is.EqualTo(new DateOnly(2026, 3, 12)));

        desk.SetLocalTime("2026-03-12 17:00"); // day 10
        var told = await desk.PostOk(request.Id, "notify-extended-term", new { reason = "Date de la trei direcții", noticeVia = "email" });

        Assert.That(told.DueOn, Is.EqualTo(new DateOnly(2026, 4, 1)));
        Assert.That(told.TermDays, Is.EqualTo(30));
        Assert.That(told.Late, Is.False);
    }

    [Test]
    public async Task An_information_request_whose_requester_is_told_after_day_10_keeps_its_10_day_term()
    {
        using var desk = await RegistryDesk.OpenAsync("2026-03-02 10:00");
        var request = await desk.RegisterOk(new { kind = "information_request", channel = "email", subject = "Cheltuieli cu iluminatul", citizenId = await desk.NewCitizen() });

        desk.SetLocalTime("2026-03-13 09:00"); // day 11
        var late = await desk.Post(request.Id, "notify-extended-term", new { reason = "Date de la trei direcții", noticeVia = "email" });

        var problem = await late.AssertProblem(HttpStatusCode.Conflict);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("within 10 days").And.Contain("2026-03-12"));
        var unchanged = await desk.Get(request.Id);
        Assert.That(unchanged.DueOn, Is.EqualTo(new DateOnly(2026, 3, 12)));
        Assert.That(unchanged.Late, Is.True);
    }

    [Test]
    public async Task The_dispatchers_queue_lists_cases_due_soon_and_overdue_oldest_deadline_first()
    {
        using var desk = await RegistryDesk.OpenAsync("2026-03-02 10:00");
        var citizen = await desk.NewCitizen();
        var info = await desk.RegisterOk(new { kind = "information_request", subject = "Info", citizenId = citizen });          // due 12 March
        var fiscal = await desk.RegisterOk(new { kind = "service_request", category = "fiscal_certificate", subject = "Fiscal", citizenId = citizen }); // due 4 March
        var petition = await desk.Petition(citizen);                                                                            // due 1 April
        var answeredFiscal = await desk.RegisterOk(new { kind = "service_request", category = "fiscal_certificate", subject = "Fiscal 2", citizenId = citizen });
        await desk.PostOk(answeredFiscal.Id, "assign", new { department = "Taxe" });
        await desk.PostOk(answeredFiscal.Id, "answer", new { text = "Eliberat", legalBasis = "Legea 207/2015", signedBy = "Șef serviciu", sentVia = "in_person" });

        desk.SetLocalTime("2026-03-06 09:00");
        var dispatcher = await desk.App.ClientFor(StaffRole.Dispatcher);
        var soon = await dispatcher.GetFromJsonAsync<CaseQueue>("/api/cases?dueWithinDays=7", Json.Options);
        var overdue = await dispatcher.GetFromJsonAsync<CaseQueue>("/api/cases?overdue=true", Json.Options);

        Assert.That(soon!.Items.Select(c => c.CaseId), Is.EqualTo(new[] { fiscal.Id, info.Id }), "answered and far-off cases are not in the queue");
        Assert.That(soon.Items[0].Late, Is.True);
        Assert.That(soon.Items[0].DaysLeft, Is.EqualTo(-2));
        Assert.That(soon.Items[1].DaysLeft, Is.EqualTo(6));
        Assert.That(soon.Items[0].PartyName, Is.EqualTo("Ion Popescu"));
        Assert.That(overdue!.Items.Select(c => c.CaseId), Is.EqualTo(new[] { fiscal.Id }));
        Assert.That(petition.DueOn, Is.EqualTo(new DateOnly(2026, 4, 1)));
    }
}
