using CitizenCrm.Tests.Infrastructure;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Cases;
using Dapper;

namespace CitizenCrm.Tests.Jobs;

/// <summary>
/// The deadline sweep on literal dates. Monday 1 June 2026 is a legal holiday (Children's Day, and Whit Monday: Orthodox
/// Easter is 12 April 2026), so from Wednesday 27 May the third working day is Tuesday 2 June (Thu 28, Fri 29, then the
/// weekend and the holiday are skipped, Tue 2).
/// </summary>
public sealed class DeadlineSweepTests
{
    private static readonly Dictionary<string, string?> LongTokens = new() { ["Staff:TokenLifetimeHours"] = "100000" };

    private static async Task<(RegistryDesk Desk, HttpClient Admin, Guid CaseId)> CaseDueOn(string localNow, string dueOn)
    {
        var desk = await RegistryDesk.OpenAsync(localNow, LongTokens);
        var admin = await desk.App.ClientFor(StaffRole.Admin);
        var petition = await desk.Petition(await desk.NewCitizen());
        SetCase(desk, petition.Id, dueOn); // the term as the test needs it
        return (desk, admin, petition.Id);
    }

    private static void SetCase(RegistryDesk desk, Guid caseId, string dueOn, string? status = null)
    {
        using var db = desk.App.OpenDatabase();
        db.Execute("UPDATE cases SET due_on = @dueOn, status = COALESCE(@status, status) WHERE id = @caseId", new { dueOn = DateOnly.Parse(dueOn, System.Globalization.CultureInfo.InvariantCulture), status, caseId = DbKeys.Key(caseId) });
    }

    private sealed record Escalation(string? Stage, string? ForDueOn);

    private static Escalation EscalationOf(RegistryDesk desk, Guid caseId)
    {
        using var db = desk.App.OpenDatabase();
        return db.QuerySingle<Escalation>("SELECT escalation AS Stage, CAST(escalation_due_on AS VARCHAR(10)) AS ForDueOn FROM cases WHERE id = @id", new { id = DbKeys.Key(caseId) });
    }

    private static List<(string Kind, string Actor, string Channel, string Summary, string DedupKey)> SweepEvents(RegistryDesk desk, Guid caseId)
    {
        using var db = desk.App.OpenDatabase();
        return db.Query<(string, string, string, string, string)>(
            "SELECT kind, actor, channel, summary, dedup_key FROM timeline WHERE case_id = @id AND kind IN ('case.due_soon', 'case.overdue') ORDER BY seq",
            new { id = DbKeys.Key(caseId) }).ToList();
    }

    [Test]
    public async Task A_case_due_on_the_Tuesday_after_a_Monday_holiday_is_not_due_soon_on_the_Tuesday_before_but_is_on_the_Wednesday()
    {
        var (desk, admin, caseId) = await CaseDueOn("2026-05-26 07:00", "2026-06-02");
        using var _ = desk;

        // Tuesday 26 May: the third working day ahead is Friday 29 May, before the due date.
        Assert.That(await JobRunner.SummaryOfRunAsync(admin, "deadline-sweep"), Is.EqualTo("0 case(s) escalated as due soon, 0 flagged overdue"));
        Assert.That(EscalationOf(desk, caseId), Is.EqualTo(new Escalation(null, null)));

        // Wednesday 27 May: Thu 28, Fri 29, (Sat, Sun, Mon 1 June holiday), Tue 2 June: due within 3 working days.
        // Counting calendar days (Sat 30) or weekends only (Mon 1) would not reach it.
        desk.SetLocalTime("2026-05-27 07:00");
        Assert.That(await JobRunner.SummaryOfRunAsync(admin, "deadline-sweep"), Is.EqualTo("1 case(s) escalated as due soon, 0 flagged overdue"));
        Assert.That(EscalationOf(desk, caseId), Is.EqualTo(new Escalation("due_soon", "2026-06-02")));
        var events = SweepEvents(desk, caseId);
        Assert.That(events, Has.Count.EqualTo(1));
        Assert.That(events[0].Kind, Is.EqualTo("case.due_soon"));
        Assert.That(events[0].Actor, Is.EqualTo("system"));
        Assert.That(events[0].Channel, Is.EqualTo("system"));
        Assert.That(events[0].DedupKey, Is.EqualTo($"deadline:{caseId}:2026-06-02:due_soon"));
        Assert.That(events[0].Summary, Does.StartWith("Case 1/2026 is due soon: its term ends on 2026-06-02, within 3 working days"));
    }

    [Test]
    public async Task Each_stage_fires_once_the_due_date_itself_is_in_time_and_the_day_after_it_is_overdue()
    {
        var (desk, admin, caseId) = await CaseDueOn("2026-05-27 07:00", "2026-06-02");
        using var _ = desk;

        await JobRunner.RunAsync(admin, "deadline-sweep");
        Assert.That(await JobRunner.SummaryOfRunAsync(admin, "deadline-sweep"), Is.EqualTo("0 case(s) escalated as due soon, 0 flagged overdue"),
            "a second run the same day changes nothing");

        desk.SetLocalTime("2026-06-02 16:00"); // the due date: still in time
        Assert.That(await JobRunner.SummaryOfRunAsync(admin, "deadline-sweep"), Is.EqualTo("0 case(s) escalated as due soon, 0 flagged overdue"));

        desk.SetLocalTime("2026-06-03 07:00");
        Assert.That(await JobRunner.SummaryOfRunAsync(admin, "deadline-sweep"), Is.EqualTo("0 case(s) escalated as due soon, 1 flagged overdue"));
        Assert.That(await JobRunner.SummaryOfRunAsync(admin, "deadline-sweep"), Is.EqualTo("0 case(s) escalated as due soon, 0 flagged overdue"));
        desk.SetLocalTime("2026-06-10 07:00");
        Assert.That(await JobRunner.SummaryOfRunAsync(admin, "deadline-sweep"), Is.EqualTo("0 case(s) escalated as due soon, 0 flagged overdue"));

        Assert.That(EscalationOf(desk, caseId), Is.EqualTo(new Escalation("overdue", "2026-06-02")));
        Assert.That(SweepEvents(desk, caseId).Select(e => e.Kind), Is.EqualTo(new[] { "case.due_soon", "case.overdue" }));
    }

    [Test]
    public async Task Across_a_weekend_a_case_due_on_Wednesday_is_due_soon_from_the_Friday_before()
    {
        // Due Wednesday 11 March 2026. Thursday 5 March: Fri 6, Mon 9, Tue 10 -> not yet. Friday 6 March: Mon 9, Tue 10, Wed 11 -> due soon.
        var (desk, admin, caseId) = await CaseDueOn("2026-03-05 07:00", "2026-03-11");
        using var _ = desk;

        Assert.That(await JobRunner.SummaryOfRunAsync(admin, "deadline-sweep"), Is.EqualTo("0 case(s) escalated as due soon, 0 flagged overdue"));
        desk.SetLocalTime("2026-03-06 07:00");
        Assert.That(await JobRunner.SummaryOfRunAsync(admin, "deadline-sweep"), Is.EqualTo("1 case(s) escalated as due soon, 0 flagged overdue"));
        Assert.That(EscalationOf(desk, caseId), Is.EqualTo(new Escalation("due_soon", "2026-03-11")));
    }

    [Test]
    public async Task A_case_answered_in_time_is_never_escalated_and_an_extended_term_is_escalated_again_for_its_new_date()
    {
        var (desk, admin, caseId) = await CaseDueOn("2026-03-06 07:00", "2026-03-11");
        using var _ = desk;
        var other = (await desk.Petition(await desk.NewCitizen(), "Iluminat public stins")).Id;
        SetCase(desk, other, "2026-03-10", "answered");

        Assert.That(await JobRunner.SummaryOfRunAsync(admin, "deadline-sweep"), Is.EqualTo("1 case(s) escalated as due soon, 0 flagged overdue"));
        Assert.That(EscalationOf(desk, other), Is.EqualTo(new Escalation(null, null)));

        SetCase(desk, caseId, "2026-03-26"); // the term extended (OG 27/2002 art. 9)
        desk.SetLocalTime("2026-03-23 07:00"); // Mon: Tue 24, Wed 25, Thu 26
        Assert.That(await JobRunner.SummaryOfRunAsync(admin, "deadline-sweep"), Is.EqualTo("1 case(s) escalated as due soon, 0 flagged overdue"));
        Assert.That(SweepEvents(desk, caseId).Select(e => e.DedupKey), Is.EqualTo(new[]
        {
            $"deadline:{caseId}:2026-03-11:due_soon", $"deadline:{caseId}:2026-03-26:due_soon",
        }));
    }
}
