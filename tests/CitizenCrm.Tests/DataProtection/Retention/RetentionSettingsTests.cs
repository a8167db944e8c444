using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Infrastructure;
using CitizenCrm.Tests.Jobs;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Quartz;

namespace CitizenCrm.Tests.DataProtection.Retention;

/// <summary>The retention settings: checked at start, named when wrong; the phone call retention is one setting for both jobs that delete calls.</summary>
public sealed class RetentionSettingsTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 8, 0, 0, TimeSpan.Zero);

    private static string StartError(Dictionary<string, string?> settings)
    {
        using var app = new CrmTestApp(settings: settings);
        var error = Assert.Catch(() => _ = app.Services);
        return error!.ToString();
    }

    [TestCase("AuditLogDays", "0")]
    [TestCase("PhonePinFailureDays", "-1")]
    [TestCase("BackupDays", "0")]
    [TestCase("IdempotencyKeyDays", "-30")]
    public void A_retention_of_zero_or_fewer_days_stops_the_start_naming_the_setting(string setting, string days)
    {
        Assert.That(StartError(new() { ["DataProtection:Retention:" + setting] = days }),
            Does.Contain($"DataProtection:Retention:{setting} is {days}: give a number of days of at least 1"));
    }

    [Test]
    public void The_phone_housekeeping_jobs_older_setting_is_checked_the_same_way()
    {
        Assert.That(StartError(new() { ["Jobs:PhoneHousekeeping:RetentionDays"] = "0" }),
            Does.Contain("Jobs:PhoneHousekeeping:RetentionDays is 0: give a number of days of at least 1"));
    }

    [Test]
    public void Sign_in_failures_kept_for_less_than_the_lockout_counts_them_stop_the_start()
    {
        Assert.That(StartError(new() { ["DataProtection:Retention:LoginFailureDays"] = "1", ["Staff:FailureWindowMinutes"] = "2880" }),
            Does.Contain("DataProtection:Retention:LoginFailureDays is 1, shorter than Staff:FailureWindowMinutes (2880)"));
    }

    [Test]
    public void The_two_names_of_the_phone_call_retention_disagreeing_stop_the_start()
    {
        Assert.That(StartError(new() { ["DataProtection:Retention:PhoneCallDays"] = "30", ["Jobs:PhoneHousekeeping:RetentionDays"] = "7" }),
            Does.Contain("DataProtection:Retention:PhoneCallDays is 30 but Jobs:PhoneHousekeeping:RetentionDays is 7: they are one setting"));
    }

    private static async Task<(CrmTestApp App, FakeTimeProvider Clock, HttpClient Admin)> StartWithAnEndedCallAsync(Dictionary<string, string?> settings)
    {
        var clock = new FakeTimeProvider(Now);
        settings["Staff:TokenLifetimeHours"] = "100000";
        var app = new CrmTestApp(settings: settings, clock: clock);
        var admin = await app.ClientFor(StaffRole.Admin);
        using var db = app.OpenDatabase();
        db.Execute("""
            INSERT INTO ivr_calls (call_sid, caller_masked, caller_number, language, next_turn, state, status, outcome, started_at, updated_at, ended_at)
            VALUES ('CA-ended', '+407******67', '+40721234567', 'ro', 1, '{}', 'ended', 'anonymous', @at, @at, @at)
            """, new { at = Now.ToUnixTimeMilliseconds() });
        return (app, clock, admin);
    }

    [Test]
    public async Task The_phone_call_retention_set_under_DataProtection_rules_the_phone_housekeeping_job_too()
    {
        var (app, clock, admin) = await StartWithAnEndedCallAsync(new() { ["DataProtection:Retention:PhoneCallDays"] = "7" });
        using var _ = app;
        clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        Assert.That(await JobRunner.SummaryOfRunAsync(admin, "phone-housekeeping"),
            Is.EqualTo("0 silent call(s) closed as abandoned, 1 ended call(s) past retention pruned"));
    }

    [Test]
    public async Task The_phone_housekeeping_jobs_older_setting_rules_the_data_retention_job_too()
    {
        var (app, clock, admin) = await StartWithAnEndedCallAsync(new() { ["Jobs:PhoneHousekeeping:RetentionDays"] = "7" });
        using var _ = app;
        clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1));
        Assert.That(await JobRunner.SummaryOfRunAsync(admin, "data-retention"), Does.StartWith("Removed past retention: ended calls 0,"));
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.That(await JobRunner.SummaryOfRunAsync(admin, "data-retention"), Does.StartWith("Removed past retention: ended calls 1,"));
    }

    [Test]
    public async Task A_period_set_in_configuration_replaces_the_default()
    {
        var (app, clock, admin) = await StartWithAnEndedCallAsync(new() { ["DataProtection:Retention:LoginFailureDays"] = "2" });
        using var _ = app;
        using (var db = app.OpenDatabase())
            db.Execute("INSERT INTO login_failures (at, username, address) VALUES (@at, 'someone', '10.0.0.7')", new { at = Now.ToUnixTimeMilliseconds() });
        clock.Advance(TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1));
        Assert.That(await JobRunner.SummaryOfRunAsync(admin, "data-retention"), Does.Contain(", sign-in failures 1,"));
    }

    [Test]
    public async Task The_job_runs_every_night_at_03_30_Bucharest_time_by_default()
    {
        using var app = new CrmTestApp(settings: new Dictionary<string, string?> { ["Jobs:RunOnSchedule"] = "true" });
        var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var d = CitizenCrm.Server.Hosting.Jobs.Find("data-retention")!;
        var trigger = (ICronTrigger)(await scheduler.GetTrigger(CitizenCrm.Server.Hosting.Jobs.ScheduleKeyOf(d)))!;
        Assert.That(trigger.CronExpressionString, Is.EqualTo("0 30 3 ? * *"));
        Assert.That(trigger.TimeZone.Id, Is.EqualTo("Europe/Bucharest"));
        Assert.That((await scheduler.GetJobDetail(CitizenCrm.Server.Hosting.Jobs.KeyOf(d)))!.ConcurrentExecutionDisallowed, Is.True);
    }
}
