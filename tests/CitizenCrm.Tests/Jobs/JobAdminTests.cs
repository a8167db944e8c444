using System.Net;
using System.Text.Json;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace CitizenCrm.Tests.Jobs;

/// <summary>
/// The admins' job board. These servers run the scheduler with real schedules that cannot fire during a test (1 January
/// 2099), so pause, resume and the next run are Quartz's own; runs are triggered through the endpoint.
/// </summary>
public sealed class JobAdminTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);
    private readonly List<CrmTestApp> _apps = [];

    private static Dictionary<string, string?> FarSchedules() => new()
    {
        ["Jobs:RunOnSchedule"] = "true",
        ["Jobs:PhoneHousekeeping:Schedule"] = "0 0 3 1 1 ? 2099",
        ["Jobs:DeadlineSweep:Schedule"] = "0 0 6 1 1 ? 2099",
        ["Jobs:StatisticsSnapshot:Schedule"] = "0 30 1 1 1 ? 2099",
    };

    private CrmTestApp Start(string? dataFolder = null, Dictionary<string, string?>? settings = null)
    {
        var app = new CrmTestApp(dataFolder, settings ?? FarSchedules(), new FakeTimeProvider(Now));
        _apps.Add(app);
        return app;
    }

    [TearDown]
    public void TearDown()
    {
        foreach (var app in _apps) app.Dispose();
        _apps.Clear();
    }

    private static async Task<Dictionary<string, JsonElement>> ListAsync(HttpClient admin)
    {
        var response = await admin.GetAsync("/api/jobs");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var jobs = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync(), Json.Options);
        return jobs.EnumerateArray().ToDictionary(j => j.GetProperty("name").GetString()!);
    }

    private static string? Text(JsonElement e, string property) =>
        e.GetProperty(property).ValueKind == JsonValueKind.Null ? null : e.GetProperty(property).ToString();

    [Test]
    public async Task Admin_lists_the_jobs_with_their_next_run_and_after_a_run_now_its_last_run()
    {
        var app = Start();
        var admin = await app.ClientFor(StaffRole.Admin);

        var jobs = await ListAsync(admin);
        Assert.That(jobs.Keys, Is.EqualTo(new[] { "phone-housekeeping", "deadline-sweep", "notification-sender", "mailbox-poll", "revenue-drop-folder", "statistics-snapshot", "data-retention" }));
        Assert.That(Text(jobs["phone-housekeeping"], "schedule"), Is.EqualTo("0 0 3 1 1 ? 2099"));
        Assert.That(jobs["phone-housekeeping"].GetProperty("paused").GetBoolean(), Is.False);
        Assert.That(jobs["phone-housekeeping"].GetProperty("nextRunAt").GetDateTimeOffset(), Is.EqualTo(new DateTimeOffset(2099, 1, 1, 1, 0, 0, TimeSpan.Zero)),
            "03:00 in Bucharest (UTC+2 in winter)");
        Assert.That(Text(jobs["deadline-sweep"], "lastRun"), Is.Null);

        var run = await JobRunner.RunAsync(admin, "deadline-sweep");
        Assert.That(run.GetProperty("triggered").GetString(), Is.EqualTo("admin"));
        Assert.That(run.GetProperty("startedAt").GetDateTimeOffset(), Is.EqualTo(Now));

        jobs = await ListAsync(admin);
        var last = jobs["deadline-sweep"].GetProperty("lastRun");
        Assert.That(last.GetProperty("id").GetInt64(), Is.EqualTo(run.GetProperty("id").GetInt64()));
        Assert.That(last.GetProperty("summary").GetString(), Is.EqualTo("0 case(s) escalated as due soon, 0 flagged overdue"));
        Assert.That(last.GetProperty("outcome").GetString(), Is.EqualTo("succeeded"));
        Assert.That(Text(jobs["phone-housekeeping"], "lastRun"), Is.Null);

        using var db = app.OpenDatabase();
        using var count = db.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM job_runs WHERE job_name = 'deadline-sweep' AND triggered = 'admin' AND outcome = 'succeeded'";
        Assert.That(count.ExecuteScalar(), Is.EqualTo(1L));
    }

    [Test]
    public async Task Admin_pauses_and_resumes_a_job_and_a_paused_job_still_runs_when_asked()
    {
        var app = Start();
        var admin = await app.ClientFor(StaffRole.Admin);

        var paused = JsonSerializer.Deserialize<JsonElement>(await (await admin.PostAsync("/api/jobs/phone-housekeeping/pause", null)).Content.ReadAsStringAsync(), Json.Options);
        Assert.That(paused.GetProperty("paused").GetBoolean(), Is.True);
        Assert.That(Text(paused, "nextRunAt"), Is.Null, "a paused job has no next run");
        var jobs = await ListAsync(admin);
        Assert.That(jobs["phone-housekeeping"].GetProperty("paused").GetBoolean(), Is.True);
        Assert.That(jobs["deadline-sweep"].GetProperty("paused").GetBoolean(), Is.False);

        await JobRunner.RunAsync(admin, "phone-housekeeping");

        var resumed = JsonSerializer.Deserialize<JsonElement>(await (await admin.PostAsync("/api/jobs/phone-housekeeping/resume", null)).Content.ReadAsStringAsync(), Json.Options);
        Assert.That(resumed.GetProperty("paused").GetBoolean(), Is.False);
        Assert.That(resumed.GetProperty("nextRunAt").GetDateTimeOffset(), Is.EqualTo(new DateTimeOffset(2099, 1, 1, 1, 0, 0, TimeSpan.Zero)));
    }

    [Test]
    public async Task An_unknown_job_is_404_and_other_roles_get_403_without_running_anything()
    {
        var app = Start();
        var admin = await app.ClientFor(StaffRole.Admin);
        foreach (var action in new[] { "run", "pause", "resume" })
        {
            var response = await admin.PostAsync($"/api/jobs/imap-poll/{action}", null);
            var problem = await response.AssertProblem(HttpStatusCode.NotFound);
            Assert.That(problem.GetProperty("title").GetString(), Is.EqualTo("Unknown job"));
        }
        foreach (var role in new[] { StaffRole.Clerk, StaffRole.Dispatcher, StaffRole.Supervisor })
        {
            var client = await app.ClientFor(role);
            Assert.That((await client.GetAsync("/api/jobs")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((await client.PostAsync("/api/jobs/deadline-sweep/run", null)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That((await client.PostAsync("/api/jobs/deadline-sweep/pause", null)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        }
        Assert.That((await app.CreateClient().PostAsync("/api/jobs/deadline-sweep/run", null)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));

        using var db = app.OpenDatabase();
        using var count = db.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM job_runs";
        Assert.That(count.ExecuteScalar(), Is.EqualTo(0L));
        Assert.That((await ListAsync(admin))["deadline-sweep"].GetProperty("paused").GetBoolean(), Is.False);
    }

    [Category("SqliteOnly")] // reads Quartz's tables from a copy of the SQLite file
    [Test]
    public async Task The_job_store_survives_a_restart_with_its_pause_and_its_run_log()
    {
        var first = Start();
        var admin = await first.ClientFor(StaffRole.Admin);
        await JobRunner.RunAsync(admin, "phone-housekeeping");
        await admin.PostAsync("/api/jobs/deadline-sweep/pause", null);

        // Stop this server (its folder is deleted on dispose: copy the database first) and start another on the copy.
        var copy = Path.Combine(Path.GetTempPath(), "citizencrm-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(copy);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        using (var db = first.OpenDatabase())
        using (var checkpoint = db.CreateCommand())
        {
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            checkpoint.ExecuteNonQuery();
        }
        foreach (var f in Directory.GetFiles(first.DataFolder)) File.Copy(f, Path.Combine(copy, Path.GetFileName(f)));
        first.Dispose();
        _apps.Remove(first);

        var second = Start(copy);
        var jobs = await ListAsync(second.WithToken(await second.SignIn("test-admin", CrmTestApp.Password))); // the account came along
        Assert.That(jobs.Keys, Is.EqualTo(new[] { "phone-housekeeping", "deadline-sweep", "notification-sender", "mailbox-poll", "revenue-drop-folder", "statistics-snapshot", "data-retention" }));
        Assert.That(jobs["deadline-sweep"].GetProperty("paused").GetBoolean(), Is.True, "the pause is in Quartz's tables");
        Assert.That(jobs["phone-housekeeping"].GetProperty("paused").GetBoolean(), Is.False);
        Assert.That(jobs["phone-housekeeping"].GetProperty("lastRun").GetProperty("summary").GetString(),
            Is.EqualTo("0 silent call(s) closed as abandoned, 0 ended call(s) past retention pruned"));
        using (var db = second.OpenDatabase())
        using (var count = db.CreateCommand())
        {
            count.CommandText = "SELECT COUNT(*) FROM qrtz_job_details";
            Assert.That(count.ExecuteScalar(), Is.EqualTo(7L));
        }
    }

    [Test]
    public async Task A_second_server_on_the_same_data_folder_starts_and_lists_the_jobs()
    {
        var first = Start();
        await JobRunner.RunAsync(await first.ClientFor(StaffRole.Admin), "deadline-sweep");
        using var second = new CrmTestApp(first.DataFolder, FarSchedules(), new FakeTimeProvider(Now));
        var jobs = await ListAsync(second.WithToken(await second.SignIn("test-admin", CrmTestApp.Password))); // the account came along
        Assert.That(jobs["deadline-sweep"].GetProperty("lastRun").GetProperty("summary").GetString(),
            Is.EqualTo("0 case(s) escalated as due soon, 0 flagged overdue"));
    }
}
