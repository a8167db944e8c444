using CitizenCrm.Core.Common;
using CitizenCrm.Core.Intake;
using CitizenCrm.Tests.Infrastructure;
using CitizenCrm.Tests.Jobs;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace CitizenCrm.Tests.DataProtection.Retention;

/// <summary>
/// The data-retention job: each rule deletes the record one minute past its cutoff and keeps the one a minute short of
/// it, with the default periods (90 days for calls, phone requests and unmatched e-mails, 30 for recording links and old
/// staff tokens, 1096 for the audit log, 90 for sign-in failures, 7 for idempotency keys, 1 for phone PIN failures).
/// </summary>
public sealed class RetentionJobTests
{
    /// <summary>The run: Tuesday 10 March 2026, 08:00 UTC (10:00 in Bucharest).</summary>
    private static readonly DateTimeOffset RunAt = new(2026, 3, 10, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private FakeTimeProvider _clock = null!;
    private CrmTestApp _app = null!;

    [SetUp]
    public void Start()
    {
        _clock = new FakeTimeProvider(RunAt - TimeSpan.FromDays(100));
        // The clock moves by months here; the admin's token must outlive that.
        _app = new CrmTestApp(settings: new Dictionary<string, string?> { ["Staff:TokenLifetimeHours"] = "100000" }, clock: _clock);
    }

    [TearDown]
    public void Stop() => _app.Dispose();

    private static long Ms(DateTimeOffset at) => at.ToUnixTimeMilliseconds();
    private static long DaysBefore(int days, TimeSpan plus) => Ms(RunAt - TimeSpan.FromDays(days) + plus);

    private void Execute(string sql, object param)
    {
        using var db = _app.OpenDatabase();
        db.Execute(sql, param);
    }

    private List<string> Column(string sql)
    {
        using var db = _app.OpenDatabase();
        return db.Query<string>(sql).ToList();
    }

    private const string AllDeleted = "Removed past retention: ended calls 0, handled phone requests 0, recording links 0, audit entries 0, " +
        "unmatched e-mail details 0, unmatched e-mails 0, sign-in failures 0, idempotency keys 0, staff tokens 0, phone PIN failures 0";

    private async Task SeedAsync()
    {
        var old = -Minute; // one minute past the cutoff
        var young = Minute; // one minute short of it
        foreach (var (sid, status, endedAt) in new[]
                 {
                     ("CA-old", "ended", (long?)DaysBefore(90, old)), ("CA-young", "ended", DaysBefore(90, young)),
                     ("CA-open", "waiting", null), // years old and never ended: not this job's to close
                 })
            Execute("""
                INSERT INTO ivr_calls (call_sid, caller_masked, caller_number, language, next_turn, state, status, outcome, started_at, updated_at, ended_at)
                VALUES (@sid, '+407******67', '+40721234567', 'ro', 1, '{}', @status, 'anonymous', @started, @started, @endedAt)
                """, new { sid, status, started = DaysBefore(2000, TimeSpan.Zero), endedAt });

        foreach (var (id, handledAt, url) in new[]
                 {
                     ("req-old", (long?)DaysBefore(90, old), (string?)null), ("req-young", DaysBefore(90, young), null),
                     ("link-old", DaysBefore(30, old), "https://api.twilio.com/Recordings/RE-old"),
                     ("link-young", DaysBefore(30, young), "https://api.twilio.com/Recordings/RE-young"),
                     ("req-open", null, "https://api.twilio.com/Recordings/RE-open"), // nobody has called back yet
                 })
            Execute("""
                INSERT INTO phone_requests (id, call_sid, kind, reason, caller_number, caller_masked, language, recording_url, recording_seconds, created_at, handled_at, handled_by)
                VALUES (@key, @id, 'message', 'after_hours', '+40721234567', '+407******67', 'ro', @url, 12, @created, @handledAt, @by)
                """, new { key = Guid.NewGuid(), id, url, created = DaysBefore(2000, TimeSpan.Zero), handledAt, by = handledAt is null ? null : "dispatcher" });

        foreach (var (endpoint, at) in new[] { ("audit-old", DaysBefore(1096, old)), ("audit-young", DaysBefore(1096, young)) })
            Execute("""
                INSERT INTO audit_log (at, actor, actor_role, citizen_id, endpoint, query)
                VALUES (@at, 'clerk1', 'clerk', '0b9f2d4e-0000-4000-8000-000000000001', @endpoint, 'GetCitizen')
                """, new { at, endpoint });

        foreach (var (key, direction, outcome, at) in new[]
                 {
                     ("retrying-old", "received", "retrying", DaysBefore(2000, TimeSpan.Zero)), // still being tried
                     ("sent-old", "sent", "sent", DaysBefore(2000, TimeSpan.Zero)),             // threads replies to a case
                     ("ignored-old", "received", "ignored", DaysBefore(90, old)),
                     ("ignored-young", "received", "ignored", DaysBefore(90, young)),
                 })
            Execute("""
                INSERT INTO mail_messages (message_key, direction, outcome, case_id, attempts, reason, recorded_at, updated_at)
                VALUES (@key, @direction, @outcome, NULL, 0, NULL, @at, @at)
                """, new { key, direction, outcome, at });
        // A refused e-mail, the way the mailbox records it: its row and its timeline event (sender and subject in the details).
        _clock.SetUtcNow(RunAt - TimeSpan.FromDays(90) + old);
        await _app.Send(new RecordEmailFailure("failed-old@example.org", "ana.pop@example.org", "Ana Pop", "Gropi pe strada Morii", "Too large.", "Failed"));
        _clock.SetUtcNow(RunAt - TimeSpan.FromDays(90) + young);
        await _app.Send(new RecordEmailFailure("failed-young@example.org", "dan.ene@example.org", "Dan Ene", "Iluminat", "Too large.", "Failed"));

        foreach (var (username, at) in new[] { ("login-old", DaysBefore(90, old)), ("login-young", DaysBefore(90, young)) })
            Execute("INSERT INTO login_failures (at, username, address) VALUES (@at, @username, '10.0.0.7')", new { at, username });

        foreach (var (key, at) in new[] { ("key-old", DaysBefore(7, old)), ("key-young", DaysBefore(7, young)) })
            Execute("""
                INSERT INTO idempotency_keys (scope_key, request_type, request_hash, response_json, created_at)
                VALUES (@key, 'RegisterCitizen', 'hash', '{}', @at)
                """, new { key, at });

        Guid user;
        using (var db = _app.OpenDatabase()) user = db.QuerySingle<Guid>("SELECT id FROM staff_users WHERE username = 'test-admin'");
        foreach (var (hash, expiresAt, revokedAt) in new[]
                 {
                     ("token-expired-old", DaysBefore(30, old), (long?)null), ("token-expired-young", DaysBefore(30, young), null),
                     ("token-revoked-old", Ms(RunAt + TimeSpan.FromDays(1)), (long?)DaysBefore(30, old)),
                     ("token-revoked-young", Ms(RunAt + TimeSpan.FromDays(1)), DaysBefore(30, young)),
                 })
            Execute("""
                INSERT INTO staff_tokens (token_hash, user_id, created_at, expires_at, revoked_at)
                VALUES (@hash, @user, @created, @expiresAt, @revokedAt)
                """, new { hash, user, created = DaysBefore(100, TimeSpan.Zero), expiresAt, revokedAt });

        foreach (var (sid, at) in new[] { ("pin-old", DaysBefore(1, old)), ("pin-young", DaysBefore(1, young)) })
            Execute("INSERT INTO phone_pin_failures (cnp_key, at, call_sid) VALUES ('cnp-key', @at, @sid)", new { at, sid });
        _clock.SetUtcNow(RunAt);
    }

    [Test]
    public async Task Each_rule_deletes_the_record_a_minute_past_its_cutoff_keeps_the_one_a_minute_short_and_a_second_run_deletes_nothing()
    {
        var admin = await _app.ClientFor(StaffRole.Admin);
        await SeedAsync();

        Assert.That(await JobRunner.SummaryOfRunAsync(admin, "data-retention"), Is.EqualTo(
            "Removed past retention: ended calls 1, handled phone requests 1, recording links 1, audit entries 1, " +
            "unmatched e-mail details 1, unmatched e-mails 2, sign-in failures 1, idempotency keys 1, staff tokens 2, phone PIN failures 1"));

        Assert.That(Column("SELECT call_sid FROM ivr_calls ORDER BY call_sid"), Is.EqualTo(new[] { "CA-open", "CA-young" }));
        Assert.That(Column("SELECT call_sid || ':' || COALESCE(recording_url, '-') FROM phone_requests ORDER BY call_sid"), Is.EqualTo(new[]
        {
            "link-old:-", "link-young:https://api.twilio.com/Recordings/RE-young", "req-open:https://api.twilio.com/Recordings/RE-open", "req-young:-",
        }));
        Assert.That(Column("SELECT endpoint FROM audit_log WHERE endpoint LIKE 'audit-%'"), Is.EqualTo(new[] { "audit-young" }));
        Assert.That(Column("SELECT message_key FROM mail_messages ORDER BY message_key"),
            Is.EqualTo(new[] { "failed-young@example.org", "ignored-young", "retrying-old", "sent-old" }));
        Assert.That(Column("SELECT username FROM login_failures"), Is.EqualTo(new[] { "login-young" }));
        Assert.That(Column("SELECT scope_key FROM idempotency_keys"), Is.EqualTo(new[] { "key-young" }));
        Assert.That(Column("SELECT token_hash FROM staff_tokens WHERE token_hash LIKE 'token-%' ORDER BY token_hash"),
            Is.EqualTo(new[] { "token-expired-young", "token-revoked-young" }));
        Assert.That(Column("SELECT call_sid FROM phone_pin_failures"), Is.EqualTo(new[] { "pin-young" }));

        Assert.That(await JobRunner.SummaryOfRunAsync(admin, "data-retention"), Is.EqualTo(AllDeleted), "a second run finds nothing more");

        using var db = _app.OpenDatabase();
        var runs = db.Query<(string Outcome, string Triggered, long StartedAt)>(
            "SELECT outcome, triggered, started_at FROM job_runs WHERE job_name = 'data-retention' ORDER BY id").ToList();
        Assert.That(runs, Is.EqualTo(new[] { ("succeeded", "admin", Ms(RunAt)), ("succeeded", "admin", Ms(RunAt)) }));
    }

    [Test]
    public async Task An_expired_unmatched_email_keeps_its_timeline_event_which_reads_personal_details_erased()
    {
        var admin = await _app.ClientFor(StaffRole.Admin);
        await SeedAsync();
        using var before = _app.OpenDatabase();
        var events = before.ExecuteScalar<long>("SELECT COUNT(*) FROM timeline_events");

        await JobRunner.RunAsync(admin, "data-retention");

        using var db = _app.OpenDatabase();
        Assert.That(db.ExecuteScalar<long>("SELECT COUNT(*) FROM timeline_events"), Is.EqualTo(events), "no event row goes");
        var rows = db.Query<(string Correlation, string Summary, string Payload, long Erased, long OccurredAt)>(
            "SELECT correlation, summary, payload, erased, occurred_at FROM timeline WHERE kind = 'email.failed' ORDER BY seq").ToList();
        Assert.That(rows, Has.Count.EqualTo(2));
        Assert.That(rows[0].Summary, Is.EqualTo("Personal details erased"));
        Assert.That(rows[0].Payload, Is.EqualTo("{}"));
        Assert.That(rows[0].Erased, Is.EqualTo(1));
        Assert.That(rows[0].OccurredAt, Is.EqualTo(DaysBefore(90, -Minute)), "the kind and the date stay");
        Assert.That(rows[1].Summary, Does.StartWith("An e-mail from Dan Ene (\"Iluminat\") was not registered"));
        Assert.That(rows[1].Erased, Is.EqualTo(0));
        Assert.That(db.ExecuteScalar<long>("SELECT COUNT(*) FROM timeline_details WHERE summary LIKE '%Ana Pop%' OR payload LIKE '%ana.pop@%'"), Is.EqualTo(0));
    }

    [Test]
    public async Task A_minute_later_the_records_that_were_a_minute_short_go_too_but_open_calls_requests_and_retried_emails_stay()
    {
        var admin = await _app.ClientFor(StaffRole.Admin);
        await SeedAsync();
        await JobRunner.RunAsync(admin, "data-retention");

        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.That(await JobRunner.SummaryOfRunAsync(admin, "data-retention"), Is.EqualTo(
            "Removed past retention: ended calls 1, handled phone requests 1, recording links 1, audit entries 1, " +
            "unmatched e-mail details 1, unmatched e-mails 2, sign-in failures 1, idempotency keys 1, staff tokens 2, phone PIN failures 1"));
        Assert.That(Column("SELECT call_sid FROM ivr_calls"), Is.EqualTo(new[] { "CA-open" }));
        Assert.That(Column("SELECT call_sid || ':' || COALESCE(recording_url, '-') FROM phone_requests ORDER BY call_sid"),
            Is.EqualTo(new[] { "link-old:-", "link-young:-", "req-open:https://api.twilio.com/Recordings/RE-open" }));
        Assert.That(Column("SELECT message_key FROM mail_messages ORDER BY message_key"), Is.EqualTo(new[] { "retrying-old", "sent-old" }));
    }

    [Test]
    public void Nothing_the_job_runs_updates_or_deletes_timeline_events()
    {
        foreach (var rule in CitizenCrm.Core.DataProtection.Retention.RetentionRules.All)
            Assert.That(rule.Sql, Does.Not.Match(@"(?is)(DELETE\s+FROM|UPDATE)\s+timeline_events\b"), rule.Name);
    }

    [Test]
    public async Task The_timeline_still_refuses_a_delete_after_the_job_ran()
    {
        var admin = await _app.ClientFor(StaffRole.Admin);
        await SeedAsync();
        await JobRunner.RunAsync(admin, "data-retention");
        using var db = _app.OpenDatabase();
        var error = Assert.Catch<System.Data.Common.DbException>(() => db.Execute("DELETE FROM timeline_events WHERE kind = 'email.failed'"));
        Assert.That(error!.Message, Does.Contain("timeline is append-only"));
    }
}
