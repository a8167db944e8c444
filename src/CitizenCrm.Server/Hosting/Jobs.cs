using System.Collections.Concurrent;
using System.Diagnostics;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Notifications;
using CitizenCrm.Core.Phone;
using CitizenCrm.Core.Reports;
using CitizenCrm.Core.Storage;
using Dapper;
using Microsoft.Data.Sqlite;
using Quartz;

namespace CitizenCrm.Server.Hosting;

/// <summary>
/// The scheduled jobs, on Quartz.NET with its persistent ADO.NET job store in the application's own database file
/// (its QRTZ_ tables), so a schedule, a pause and a missed run survive a restart, and the same configuration serves a
/// cluster on a server database later (DESIGN.md). Settings: the "Jobs" section, see the README's admin section.
/// </summary>
public static class Jobs
{
    public const string Group = "citizencrm";

    /// <summary>A job the admins can see and run: its name in the API, its class, what it does, and its default schedule.</summary>
    public sealed record Definition(string Name, string SettingsKey, Type JobType, string Description, string DefaultSchedule);

    /// <summary>
    /// Misfires (a run missed while the server was down, or busy past its time): every job does "everything due as of
    /// now", so one catch-up run replaces any number of missed ones. Cron triggers therefore fire once now and go on
    /// (FireAndProceed); interval triggers fire now and keep their period (NowWithExistingCount). Running each missed
    /// run in turn would only repeat the same work.
    /// </summary>
    public static readonly IReadOnlyList<Definition> All =
    [
        new(PhoneHousekeepingJob.Name, "PhoneHousekeeping", typeof(PhoneHousekeepingJob),
            "Closes calls silent for more than 2 hours as abandoned and removes ended calls' state past its retention.", "00:15:00"),
        new(DeadlineSweepJob.Name, "DeadlineSweep", typeof(DeadlineSweepJob),
            "Escalates open cases due within 3 working days as due soon and flags overdue ones, once per stage.", "0 0 6,13 ? * *"),
        new(NotificationSenderJob.Name, "NotificationSender", typeof(NotificationSenderJob),
            "Sends the queued notifications (e-mail, SMS), retrying with backoff; gives up after Notifications:MaxAttempts.", "00:00:30"),
        new(CitizenCrm.Core.Intake.PollMailboxJob.Name, "MailboxPoll", typeof(CitizenCrm.Core.Intake.PollMailboxJob),
            "Reads the registry mailbox over IMAP: registers each new e-mail once (or adds a reply to its case) and moves it to the processed folder.", "00:01:00"),
        new(CitizenCrm.Core.Revenue.RevenueDropFolderJob.Name, "RevenueDropFolder", typeof(CitizenCrm.Core.Revenue.RevenueDropFolderJob),
            "Imports the revenue system's CSV exports dropped into the drop folder and moves each aside with its import report.", "00:05:00"),
        new(StatisticsSnapshotJob.Name, "StatisticsSnapshot", typeof(StatisticsSnapshotJob),
            "Stores yesterday's figures per channel and department (interactions, cases opened and answered, overdue); a rerun replaces the day's rows.", "0 30 1 ? * *"),
        new(CitizenCrm.Core.DataProtection.Retention.RetentionJob.Name, "DataRetention", typeof(CitizenCrm.Core.DataProtection.Retention.RetentionJob),
            "Deletes the records whose retention has run out (DataProtection:Retention): ended calls, handled phone requests and their recording links, the audit log, unmatched e-mails, sign-in failures, idempotency keys, old staff tokens, phone PIN failures.", "0 30 3 ? * *"),
    ];

    public static Definition? Find(string name) => All.FirstOrDefault(d => d.Name == name);

    public static JobKey KeyOf(Definition d) => new(d.Name, Group);
    public static TriggerKey ScheduleKeyOf(Definition d) => new(d.Name + "-schedule", Group);

    /// <summary>Registers Quartz, the jobs and their run log; called once from ServerApp.</summary>
    public static IServiceCollection AddScheduledJobs(this IServiceCollection services, IConfiguration configuration)
    {
        var database = configuration.GetSection("Database").Get<DatabaseOptions>() ?? new DatabaseOptions();
        services.Configure<JobsOptions>(configuration.GetSection("Jobs"));
        services.Configure<PhoneHousekeepingOptions>(configuration.GetSection("Jobs:PhoneHousekeeping"));
        services.Configure<NotificationOptions>(configuration.GetSection("Notifications"));
        services.Configure<CitizenCrm.Core.Intake.MailboxOptions>(configuration.GetSection("Mailbox"));
        services.Configure<CitizenCrm.Core.Revenue.RevenueDropFolderOptions>(configuration.GetSection("Jobs:RevenueDropFolder"));
        AddRetentionSettings(services, configuration);
        services.AddSingleton<JobRunRecorder>();
        services.AddSingleton<JobBoard>();
        // Clustered nodes share the scheduler's name and need each its own id: AUTO is host name and start time.
        services.AddQuartz(new System.Collections.Specialized.NameValueCollection { ["quartz.scheduler.instanceId"] = "AUTO" }, q =>
        {
            q.AddJobType<PhoneHousekeepingJob>();
            q.AddJobType<DeadlineSweepJob>();
            q.AddJobType<NotificationSenderJob>();
            q.AddJobType<CitizenCrm.Core.Intake.PollMailboxJob>();
            q.AddJobType<CitizenCrm.Core.Revenue.RevenueDropFolderJob>();
            q.AddJobType<StatisticsSnapshotJob>();
            q.AddJobType<CitizenCrm.Core.DataProtection.Retention.RetentionJob>();
            // The scheduler keeps real time even where the application's clock is a test's fixed one: Quartz would
            // otherwise take the container's TimeProvider. The jobs themselves read the application's clock.
            q.UseTimeProvider(TimeProvider.System);
            q.UsePersistentStore(store =>
            {
                switch (database.Provider)
                {
                    case DatabaseProvider.Postgres:
                        store.UsePostgres(RequiredConnectionString(database));
                        break;
                    case DatabaseProvider.SqlServer:
                        store.UseSqlServer(RequiredConnectionString(database));
                        break;
                    default:
                        store.UseSqlite(QuartzConnectionString(database));
                        break;
                }
                // On a server database every node runs a scheduler on the same tables: clustering makes each firing
                // taken by one node only (row locks on QRTZ_LOCKS), and a node that dies hands its jobs to the others.
                if (database.Provider != DatabaseProvider.Sqlite) store.UseClustering();
                store.UseSystemTextJsonSerializer();
                // Quartz's own schema (embedded in Quartz.dll) is created on the first start; our migrations never touch it.
                store.ProvisionSchema();
            });
            q.AddJobListener(sp => sp.GetRequiredService<JobRunRecorder>());
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        // After Quartz's hosted service (registration order): the scheduler is up, its schema there.
        services.AddHostedService<JobSchedules>();
        return services;
    }

    /// <summary>
    /// The retention periods, checked at start (a bad one stops it, named). The phone housekeeping job's older
    /// RetentionDays is the same setting as DataProtection:Retention:PhoneCallDays: whichever is given rules both jobs.
    /// </summary>
    public static void AddRetentionSettings(IServiceCollection services, IConfiguration configuration)
    {
        var section = CitizenCrm.Core.DataProtection.Retention.RetentionOptions.Section;
        services.AddOptions<CitizenCrm.Core.DataProtection.Retention.RetentionOptions>()
            .Bind(configuration.GetSection(section))
            .PostConfigure(o => o.AdoptPhoneHousekeepingSetting(configuration[section + ":PhoneCallDays"],
                configuration[CitizenCrm.Core.DataProtection.Retention.RetentionOptions.PhoneHousekeepingSetting]))
            .ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<CitizenCrm.Core.DataProtection.Retention.RetentionOptions>,
            CitizenCrm.Core.DataProtection.Retention.RetentionOptionsValidation>();
        services.AddOptions<PhoneHousekeepingOptions>()
            .PostConfigure<Microsoft.Extensions.Options.IOptions<CitizenCrm.Core.DataProtection.Retention.RetentionOptions>>(
                (phone, retention) => phone.RetentionDays = retention.Value.PhoneCallDays);
        services.AddSingleton<CitizenCrm.Core.DataProtection.Retention.Backups>();
    }

    private static string RequiredConnectionString(DatabaseOptions o) => o.ConnectionString
        ?? throw new InvalidOperationException($"Database:Provider is {o.Provider}: give Database:ConnectionString.");

    private static string QuartzConnectionString(DatabaseOptions o)
    {
        if (o.ConnectionString is not null) return o.ConnectionString;
        Directory.CreateDirectory(o.DataFolder);
        return new SqliteConnectionStringBuilder
        {
            DataSource = o.SqliteFile, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true,
            DefaultTimeout = Math.Max(1, o.BusyTimeoutMilliseconds / 1000),
        }.ToString();
    }

    /// <summary>
    /// Reads a schedule: a Quartz cron expression (seconds first, in Europe/Bucharest time), or an interval as
    /// hh:mm:ss. Anything else stops the start with the setting's name.
    /// </summary>
    public static ITrigger BuildSchedule(Definition d, string schedule)
    {
        var trigger = TriggerBuilder.Create().WithIdentity(ScheduleKeyOf(d)).ForJob(KeyOf(d)).WithDescription(schedule);
        if (!schedule.Contains(' ', StringComparison.Ordinal)
            && TimeSpan.TryParse(schedule, System.Globalization.CultureInfo.InvariantCulture, out var every) && every >= TimeSpan.FromSeconds(10))
            return trigger.StartNow().WithSimpleSchedule(s => s.WithInterval(every).RepeatForever()
                .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NowWithExistingCount)).Build();
        if (CronExpression.TryParse(schedule, out _))
            return trigger.WithCronSchedule(schedule, c => c.InTimeZone(CitizenCrm.Core.Common.Calendar.Bucharest)
                .WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)).Build();
        throw new InvalidOperationException(
            $"Jobs:{d.SettingsKey}:Schedule is '{schedule}': give a Quartz cron expression (\"0 0 6 ? * *\", seconds first) or an interval of at least 10 seconds (\"00:15:00\").");
    }
}

/// <summary>The "Jobs" section.</summary>
public sealed class JobsOptions
{
    /// <summary>False: no job runs by itself; admins still run them with POST /api/jobs/{name}/run (the tests' setting).</summary>
    public bool RunOnSchedule { get; set; } = true;
    public JobSettings PhoneHousekeeping { get; set; } = new();
    public JobSettings DeadlineSweep { get; set; } = new();
    public JobSettings NotificationSender { get; set; } = new();
    public JobSettings MailboxPoll { get; set; } = new();
    public JobSettings RevenueDropFolder { get; set; } = new();
    public JobSettings StatisticsSnapshot { get; set; } = new();
    public JobSettings DataRetention { get; set; } = new();

    public JobSettings For(Jobs.Definition d) => d.SettingsKey switch
    {
        "PhoneHousekeeping" => PhoneHousekeeping,
        "DeadlineSweep" => DeadlineSweep,
        "NotificationSender" => NotificationSender,
        "MailboxPoll" => MailboxPoll,
        "RevenueDropFolder" => RevenueDropFolder,
        "StatisticsSnapshot" => StatisticsSnapshot,
        "DataRetention" => DataRetention,
        _ => new JobSettings(),
    };
}

public sealed class JobSettings
{
    public bool Enabled { get; set; } = true;
    /// <summary>Cron (Quartz syntax, seconds first, Bucharest time) or an interval hh:mm:ss; empty: the job's default.</summary>
    public string? Schedule { get; set; }
}

/// <summary>
/// Brings each job's schedule in the job store in line with the settings at start. An unchanged schedule is left as it
/// is, so a pause (and a run missed while the server was down) survives the restart; a changed one is replaced; a job
/// disabled, or every job when RunOnSchedule is false, loses its schedule but stays listed and can be run by hand.
/// </summary>
public sealed class JobSchedules(ISchedulerFactory factory, Microsoft.Extensions.Options.IOptions<JobsOptions> options, ILogger<JobSchedules> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        var scheduler = await factory.GetScheduler(ct);
        foreach (var d in Jobs.All)
        {
            var job = JobBuilder.Create().OfType(d.JobType).WithIdentity(Jobs.KeyOf(d)).WithDescription(d.Description).StoreDurably().Build();
            await scheduler.AddJob(job, AddJobOptions.Replacing, ct);
            var settings = options.Value.For(d);
            var schedule = string.IsNullOrWhiteSpace(settings.Schedule) ? d.DefaultSchedule : settings.Schedule.Trim();
            var wanted = Jobs.BuildSchedule(d, schedule); // a bad schedule stops the start even when it is switched off
            var existing = await scheduler.GetTrigger(Jobs.ScheduleKeyOf(d), ct);
            if (!options.Value.RunOnSchedule || !settings.Enabled)
            {
                if (existing is not null) await scheduler.UnscheduleJob(existing.Key, ct);
                logger.LogInformation("Job {Job}: not scheduled ({Why})", d.Name, settings.Enabled ? "Jobs:RunOnSchedule is false" : "disabled");
                continue;
            }
            var how = "unchanged";
            // Nodes starting together may both find no schedule. The store decides under its lock (Keep), so exactly one
            // trigger is stored and the other node is told so, rather than failing on the key or storing a second one.
            if (existing is null)
                how = (await scheduler.ScheduleTrigger(wanted, TriggerConflict.Keep, ct)).Outcome == ScheduleOutcome.Kept ? "stored by another node" : "new";
            else if (existing.Description != schedule)
            {
                await scheduler.RescheduleJob(existing.Key, wanted, ct);
                how = "changed";
            }
            logger.LogInformation("Job {Job}: scheduled '{Schedule}' ({How})", d.Name, schedule, how);
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}

/// <summary>
/// Writes each run to job_runs (when, how long, what it changed, or why it failed), and wakes an admin's "run now"
/// request waiting for its run.
/// </summary>
public sealed class JobRunRecorder(IDatabase database, TimeProvider clock, ILogger<JobRunRecorder> logger) : IJobListener
{
    public const string RunTokenKey = "citizencrm.runToken";
    private readonly ConcurrentDictionary<string, (DateTimeOffset Started, Stopwatch Watch)> _running = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JobRun>> _waiting = new();

    private const string Insert = """
        INSERT INTO job_runs (job_name, started_at, finished_at, duration_ms, outcome, summary, triggered)
        VALUES (@JobName, @StartedAt, @FinishedAt, @DurationMs, @Outcome, @Summary, @Triggered)
        RETURNING id
        """;

    public string Name => "citizencrm-job-runs";

    public Task<JobRun> WaitFor(string token)
    {
        var tcs = _waiting.GetOrAdd(token, _ => new TaskCompletionSource<JobRun>(TaskCreationOptions.RunContinuationsAsynchronously));
        return tcs.Task;
    }

    public void Forget(string token) => _waiting.TryRemove(token, out _);

    public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken ct)
    {
        _running[context.FireInstanceId] = (clock.GetUtcNow(), Stopwatch.StartNew());
        return ValueTask.CompletedTask;
    }

    public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken ct) => ValueTask.CompletedTask;

    public async ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? failure, CancellationToken ct)
    {
        var (started, watch) = _running.TryRemove(context.FireInstanceId, out var s) ? s : (clock.GetUtcNow(), Stopwatch.StartNew());
        var token = context.MergedJobDataMap.TryGetValue(RunTokenKey, out var t) ? t as string : null;
        var summary = failure is null
            ? context.Result as string ?? "done"
            : "Failed: " + failure.GetBaseException().Message;
        var run = new JobRun(0, context.JobDetail.Key.Name, started, clock.GetUtcNow(), watch.ElapsedMilliseconds,
            failure is null ? "succeeded" : "failed", summary.Length > 500 ? summary[..500] : summary, token is null ? "schedule" : "admin");
        try
        {
            await using var connection = await database.OpenAsync(CancellationToken.None);
            var id = await connection.ExecuteScalarAsync<long>(database.Dialect.Render(Insert), new
            {
                run.JobName, StartedAt = run.StartedAt.ToUnixTimeMilliseconds(), FinishedAt = run.FinishedAt.ToUnixTimeMilliseconds(),
                run.DurationMs, run.Outcome, run.Summary, run.Triggered,
            });
            run = run with { Id = id };
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            logger.LogError(ex, "Job {Job}: its run could not be recorded", run.JobName);
        }
        // A job that explains its own failure (a JobExecutionException of its own, no inner exception: an outside server
        // refused) is a warning with that sentence; anything else is an error with its stack trace.
        if (failure is { InnerException: null }) logger.LogWarning("Job {Job} failed: {Reason}", run.JobName, failure.Message);
        else if (failure is not null) logger.LogError(failure, "Job {Job} failed", run.JobName);
        else logger.LogInformation("Job {Job}: {Summary} ({Ms} ms)", run.JobName, run.Summary, run.DurationMs);
        if (token is not null && _waiting.TryRemove(token, out var waiter)) waiter.TrySetResult(run);
    }

    public ValueTask JobProgressChanged(IJobExecutionContext context, Quartz.Extensibility.FireInstanceProgress progress, CancellationToken ct) =>
        ValueTask.CompletedTask;
}

public sealed record JobRun(long Id, string JobName, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, long DurationMs, string Outcome, string Summary, string Triggered);

/// <summary>A job as the admins see it.</summary>
public sealed record JobStatus(string Name, string Description, string? Schedule, bool Paused, DateTimeOffset? NextRunAt, JobRun? LastRun);

/// <summary>What the admin endpoints do with the scheduler: list, run now, pause, resume.</summary>
public sealed class JobBoard(ISchedulerFactory factory, JobRunRecorder recorder, IDatabase database)
{
    /// <summary>How long "run now" waits for the run to finish before answering that it is still running.</summary>
    public static readonly TimeSpan RunNowWait = TimeSpan.FromSeconds(60);

    private const string LastRun = """
        SELECT id AS Id, job_name AS JobName, started_at AS StartedAtMs, finished_at AS FinishedAtMs, duration_ms AS DurationMs,
               outcome AS Outcome, summary AS Summary, triggered AS Triggered
        FROM job_runs WHERE job_name = @Name ORDER BY id DESC LIMIT 1
        """;

    private sealed record RunRow
    {
        public long Id { get; init; }
        public string JobName { get; init; } = "";
        public long StartedAtMs { get; init; }
        public long FinishedAtMs { get; init; }
        public long DurationMs { get; init; }
        public string Outcome { get; init; } = "";
        public string Summary { get; init; } = "";
        public string Triggered { get; init; } = "";
    }

    public async Task<IReadOnlyList<JobStatus>> ListAsync(CancellationToken ct)
    {
        var list = new List<JobStatus>();
        foreach (var d in Jobs.All) list.Add(await StatusAsync(d, ct));
        return list;
    }

    public async Task<JobStatus> StatusAsync(Jobs.Definition d, CancellationToken ct)
    {
        var scheduler = await factory.GetScheduler(ct);
        var trigger = await scheduler.GetTrigger(Jobs.ScheduleKeyOf(d), ct);
        var paused = trigger is not null && await scheduler.GetTriggerState(trigger.Key, ct) == TriggerState.Paused;
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<RunRow>(new CommandDefinition(database.Dialect.Render(LastRun), new { d.Name }, cancellationToken: ct));
        var last = row is null ? null : new JobRun(row.Id, row.JobName, DateTimeOffset.FromUnixTimeMilliseconds(row.StartedAtMs),
            DateTimeOffset.FromUnixTimeMilliseconds(row.FinishedAtMs), row.DurationMs, row.Outcome, row.Summary, row.Triggered);
        return new JobStatus(d.Name, d.Description, trigger?.Description, paused, paused ? null : trigger?.NextFireTimeUtc, last);
    }

    /// <summary>Fires the job now through the scheduler (so it never overlaps a scheduled run) and waits for its record.</summary>
    public async Task<JobRun?> RunNowAsync(Jobs.Definition d, CancellationToken ct)
    {
        var scheduler = await factory.GetScheduler(ct);
        var token = Guid.NewGuid().ToString("N");
        var done = recorder.WaitFor(token);
        try
        {
            await scheduler.TriggerJob(Jobs.KeyOf(d), new JobDataMap { [JobRunRecorder.RunTokenKey] = token }, ct);
            return await done.WaitAsync(RunNowWait, ct);
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            recorder.Forget(token);
        }
    }

    public async Task PauseAsync(Jobs.Definition d, CancellationToken ct) => await (await factory.GetScheduler(ct)).PauseJob(Jobs.KeyOf(d), ct);
    public async Task ResumeAsync(Jobs.Definition d, CancellationToken ct) => await (await factory.GetScheduler(ct)).ResumeJob(Jobs.KeyOf(d), ct);
}
