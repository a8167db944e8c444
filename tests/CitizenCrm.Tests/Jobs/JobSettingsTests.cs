using CitizenCrm.Server.Hosting;
using CitizenCrm.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace CitizenCrm.Tests.Jobs;

public sealed class JobSettingsTests
{
    [Test]
    public void A_schedule_that_is_neither_cron_nor_an_interval_stops_the_start_naming_the_setting()
    {
        using var app = new CrmTestApp(settings: new Dictionary<string, string?> { ["Jobs:DeadlineSweep:Schedule"] = "every morning" });
        var error = Assert.Catch(() => _ = app.Services);
        Assert.That(error!.ToString(), Does.Contain("Jobs:DeadlineSweep:Schedule is 'every morning'"));
    }

    [Test]
    public async Task Each_job_is_stored_never_to_run_twice_at_once_and_an_interval_or_a_cron_schedule_is_read()
    {
        using var app = new CrmTestApp(settings: new Dictionary<string, string?>
        {
            ["Jobs:RunOnSchedule"] = "true", ["Jobs:PhoneHousekeeping:Schedule"] = "00:30:00", ["Jobs:DeadlineSweep:Enabled"] = "false",
        });
        var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        foreach (var d in CitizenCrm.Server.Hosting.Jobs.All)
        {
            var detail = await scheduler.GetJobDetail(CitizenCrm.Server.Hosting.Jobs.KeyOf(d));
            Assert.That(detail!.ConcurrentExecutionDisallowed, Is.True, d.Name);
        }
        var housekeeping = await scheduler.GetTrigger(CitizenCrm.Server.Hosting.Jobs.ScheduleKeyOf(CitizenCrm.Server.Hosting.Jobs.Find("phone-housekeeping")!));
        Assert.That(housekeeping, Is.InstanceOf<ISimpleTrigger>());
        Assert.That(((ISimpleTrigger)housekeeping!).RepeatInterval, Is.EqualTo(TimeSpan.FromMinutes(30)));
        Assert.That(((ISimpleTrigger)housekeeping).MisfireInstruction, Is.EqualTo(SimpleTriggerMisfireInstruction.NowWithExistingCount));
        Assert.That(await scheduler.GetTrigger(CitizenCrm.Server.Hosting.Jobs.ScheduleKeyOf(CitizenCrm.Server.Hosting.Jobs.Find("deadline-sweep")!)), Is.Null,
            "a disabled job keeps no schedule");
    }

    [Test]
    public void A_cron_schedule_runs_in_Bucharest_time_and_fires_once_after_a_misfire()
    {
        var trigger = (ICronTrigger)CitizenCrm.Server.Hosting.Jobs.BuildSchedule(CitizenCrm.Server.Hosting.Jobs.Find("deadline-sweep")!, "0 0 6 ? * *");
        Assert.That(trigger.TimeZone.Id, Is.EqualTo("Europe/Bucharest"));
        Assert.That(trigger.MisfireInstruction, Is.EqualTo(CronTriggerMisfireInstruction.FireAndProceed));
    }

    [Test]
    public async Task A_run_that_fails_is_recorded_as_failed_with_its_reason()
    {
        using var app = new CrmTestApp();
        var admin = await app.ClientFor(CitizenCrm.Core.Common.StaffRole.Admin);
        using (var db = app.OpenDatabase())
        using (var drop = db.CreateCommand())
        {
            drop.CommandText = "ALTER TABLE ivr_calls RENAME TO ivr_calls_elsewhere"; // the job's table is gone
            drop.ExecuteNonQuery();
        }
        var response = await admin.PostAsync("/api/jobs/phone-housekeeping/run", null);
        var run = System.Text.Json.JsonSerializer.Deserialize<System.Text.Json.JsonElement>(await response.Content.ReadAsStringAsync(), CitizenCrm.Core.Common.Json.Options);
        Assert.That(run.GetProperty("outcome").GetString(), Is.EqualTo("failed"));
        Assert.That(run.GetProperty("summary").GetString(), Does.StartWith("Failed: ").And.Contain(TestDatabases.OnPostgres ? "relation \"ivr_calls\" does not exist" : "no such table: ivr_calls"));
    }
}
