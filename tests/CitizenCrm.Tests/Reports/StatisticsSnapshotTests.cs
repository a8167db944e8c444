using CitizenCrm.Core.Common;
using CitizenCrm.Core.Reports;
using CitizenCrm.Tests.Cases;
using CitizenCrm.Tests.Jobs;
using Dapper;

namespace CitizenCrm.Tests.Reports;

public sealed class StatisticsSnapshotTests
{
    private sealed record SnapshotRow(string Channel, string Department, long Interactions, long CasesOpened, long CasesAnswered, long AnsweredWithinTerm, long OverdueOpen);

    private static List<SnapshotRow> Rows(RegistryDesk desk, string day)
    {
        using var db = desk.App.OpenDatabase();
        return db.Query<SnapshotRow>("""
            SELECT channel AS Channel, department AS Department, interactions AS Interactions, cases_opened AS CasesOpened, cases_answered AS CasesAnswered,
                   answered_within_term AS AnsweredWithinTerm, overdue_open AS OverdueOpen
            FROM statistics_snapshots WHERE day = @day ORDER BY channel, department
            """, new { day = DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture) }).ToList();
    }

    [Test]
    public async Task The_nightly_snapshot_run_twice_for_the_same_day_keeps_one_row_set_and_both_runs_are_recorded()
    {
        using var desk = await RegistryDesk.OpenAsync("2026-03-02 10:00");
        await ReportDataset.BuildAsync(desk);   // the clock is now Wednesday 8 April 2026, 12:00
        var admin = await desk.App.ClientFor(StaffRole.Admin);

        // Yesterday, 7 April: nothing registered or answered; P4 (desk, Urbanism, due 1 April) is open and overdue.
        Assert.That(await JobRunner.SummaryOfRunAsync(admin, "statistics-snapshot"), Is.EqualTo("Statistics for 2026-04-07: 1 row(s) stored"));
        Assert.That(await JobRunner.SummaryOfRunAsync(admin, "statistics-snapshot"),
            Is.EqualTo("Statistics for 2026-04-07: 1 row(s) stored, replacing 1 from an earlier run"));
        Assert.That(Rows(desk, "2026-04-07"), Is.EqualTo(new[] { new SnapshotRow("desk", ReportDataset.Urbanism, 0, 0, 0, 0, 1) }));
        Assert.That(desk.Scalar("SELECT COUNT(*) FROM job_runs WHERE job_name = 'statistics-snapshot' AND outcome = 'succeeded'"), Is.EqualTo(2));
        Assert.That(desk.Scalar("SELECT COUNT(*) FROM timeline WHERE actor = 'system'"), Is.EqualTo(0), "a snapshot changes no case or citizen");

        // A busy day, twice: Monday 2 March, the seven registrations, grouped by channel and the department each case has now.
        await desk.App.Send(new TakeStatisticsSnapshot(new DateOnly(2026, 3, 2)), "system");
        var second = await desk.App.Send(new TakeStatisticsSnapshot(new DateOnly(2026, 3, 2)), "system");
        Assert.That(second, Is.EqualTo(new StatisticsSnapshotResult(new DateOnly(2026, 3, 2), 6, 6)));
        Assert.That(Rows(desk, "2026-03-02"), Is.EqualTo(new[]
        {
            new SnapshotRow("desk", ReportDataset.Taxes, 1, 1, 0, 0, 0),            // S1
            new SnapshotRow("desk", ReportDataset.Urbanism, 2, 2, 0, 0, 0),         // P1, P4
            new SnapshotRow("email", ReportDataset.PublicRelations, 1, 1, 0, 0, 0), // I1
            new SnapshotRow("email", ReportDataset.Urbanism, 1, 1, 0, 0, 0),        // P2
            new SnapshotRow("post", "", 1, 1, 0, 0, 0),                             // P3, anonymous, no department
            new SnapshotRow("web", "", 1, 1, 0, 0, 0),                              // P5, forwarded unassigned
        }));

        var supervisor = await desk.App.ClientFor(StaffRole.Supervisor);
        var read = await ReportDataset.GetJson(supervisor, "/api/reports/daily-snapshots?from=2026-03-01&to=2026-04-30&channel=desk");
        Assert.That(read.GetProperty("rows").GetArrayLength(), Is.EqualTo(3), "two rows of 2 March and one of 7 April on the desk");
    }

    [Test]
    public async Task A_department_name_that_a_spreadsheet_would_run_as_a_formula_comes_out_of_the_csv_as_text()
    {
        using var desk = await RegistryDesk.OpenAsync("2026-03-02 10:00");
        var petition = await desk.Petition(await desk.NewCitizen());
        await desk.PostOk(petition.Id, "assign", new { department = "=HYPERLINK(\"http://evil.example\")" });
        desk.SetLocalTime("2026-03-03 02:00");
        await desk.App.Send(new TakeStatisticsSnapshot(), "system");   // yesterday, 2 March

        var supervisor = await desk.App.ClientFor(StaffRole.Supervisor);
        var csv = await (await supervisor.GetAsync("/api/reports/daily-snapshots?from=2026-03-02&to=2026-03-02&format=csv")).Content.ReadAsStringAsync();
        var rows = ReportFiguresTests.ReadCsv(csv);
        Assert.That(rows, Has.Count.EqualTo(2), csv);
        Assert.That(rows[1][..8], Is.EqualTo(new[] { "2026-03-02", "desk", "'=HYPERLINK(\"http://evil.example\")", "1", "1", "0", "0", "0" }));
    }
}
