using CitizenCrm.Core.Citizens;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.DemoCity;
using CitizenCrm.Core.Revenue;
using CitizenCrm.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CitizenCrm.Tests.DemoCity;

public sealed class DemoCityTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 10, 9, 0, 0, TimeSpan.Zero);

    private static async Task<(DemoCityReport Report, List<string> Dump)> Build(CrmTestApp app, int seed, int chunkSize = DemoCityGenerator.DefaultChunkSize)
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<RequestContext>().SystemActor = "demo-city";
            var generator = ActivatorUtilities.CreateInstance<DemoCityGenerator>(scope.ServiceProvider);
            var report = await generator.GenerateAsync(seed, citizenCount: 60, eventCount: 600, CancellationToken.None, chunkSize: chunkSize);
            return (report, Dump(app));
        }
    }

    /// <summary>Everything the seed decides (not the event ids or PIN hashes, which are random by design).</summary>
    private static List<string> Dump(CrmTestApp app)
    {
        using var db = app.OpenDatabase();
        var lines = new List<string>();
        foreach (var sql in new[]
        {
            "SELECT id, national_id, first_name, last_name, date_of_birth, address, preferred_language, phones FROM citizens ORDER BY national_id",
            "SELECT source_ref, citizen_id, tax_kind, fiscal_year, description, amount_due, amount_paid FROM tax_obligations ORDER BY source_ref",
            "SELECT source_ref, citizen_id, report_number, handed_over_on, fine_category, amount_applied, legal_minimum, amount_paid, paid_on FROM fines ORDER BY source_ref",
            "SELECT register_code, number, year, kind, category_code, status, channel, subject, party_kind, citizen_id, organisation_cui, " +
                "registered_at, registered_on, due_on, answer_number, answered_on, priority, assigned_to, assigned_department, escalation FROM cases ORDER BY year, number",
            "SELECT c.year, c.number, i.registered_by, i.on_behalf_of, i.access_code_hash IS NOT NULL FROM case_intake i JOIN cases c ON c.id = i.case_id ORDER BY c.year, c.number",
            // Mail received is keyed by its Message-ID (the seed's); mail sent by the outbox's (random) notification id.
            "SELECT m.message_key, m.direction, m.outcome, c.year, c.number FROM mail_messages m LEFT JOIN cases c ON c.id = m.case_id " +
                "WHERE m.direction <> 'sent' ORDER BY m.message_key",
            "SELECT c.year, c.number, COUNT(*) FROM mail_messages m LEFT JOIN cases c ON c.id = m.case_id WHERE m.direction = 'sent' " +
                "GROUP BY c.year, c.number ORDER BY c.year, c.number",
            // Notifications have random ids (as the outbox makes them); what they say, to whom, and what became of them is the seed's.
            "SELECT c.year, c.number, n.kind, n.channel, n.status, n.recipient, n.created_at, n.sent_at, n.failed_at, n.attempts, n.last_error, n.subject " +
                "FROM notifications n LEFT JOIN cases c ON c.id = n.case_id ORDER BY n.created_at, c.year, c.number, n.kind, n.recipient",
            // Case events carry the command's own dedup key (random); the demo's own events are keyed by the seed. In time
            // order, not by seq: the deadline sweep takes cases due the same day in the order of their (random) ids.
            "SELECT CASE WHEN dedup_key LIKE 'demo:%' THEN dedup_key ELSE '' END, citizen_id, channel, kind, actor, occurred_at, summary, correlation " +
                "FROM timeline ORDER BY occurred_at, kind, summary, correlation, citizen_id",
        })
        {
            using var cmd = db.CreateCommand();
            cmd.CommandText = sql;
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
                lines.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }
        return lines;
    }

    [Test]
    public async Task The_same_seed_builds_the_same_city_and_another_seed_another()
    {
        using var first = new CrmTestApp(clock: new DemoClock(new FakeTimeProvider(Now)));
        using var second = new CrmTestApp(clock: new DemoClock(new FakeTimeProvider(Now)));
        using var other = new CrmTestApp(clock: new DemoClock(new FakeTimeProvider(Now)));

        var (report, a) = await Build(first, seed: 7);
        var (_, b) = await Build(second, seed: 7);
        var (_, c) = await Build(other, seed: 8);

        Assert.That(a, Is.EqualTo(b));
        Assert.That(c, Is.Not.EqualTo(a));
        Assert.That(report.Citizens, Is.EqualTo(60));
        Assert.That(report.Cases, Is.GreaterThanOrEqualTo(40));
        Assert.That(report.TimelineEvents, Is.GreaterThan(600 + report.DemoCitizens.Count + report.Cases),
            "the history, one PIN event per demo citizen and the cases' events");
        Assert.That(report.DemoCitizens, Has.Count.EqualTo(5));
    }

    [Test]
    public async Task The_demo_city_has_valid_cnps_names_with_diacritics_every_channel_and_working_balances()
    {
        using var app = new CrmTestApp(clock: new DemoClock(new FakeTimeProvider(Now)));
        var (report, _) = await Build(app, seed: 2026);

        using var db = app.OpenDatabase();
        var cnps = new List<string>();
        var names = new List<string>();
        using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = "SELECT national_id, first_name || ' ' || last_name FROM citizens";
            using var r = cmd.ExecuteReader();
            while (r.Read()) { cnps.Add(r.GetString(0)); names.Add(r.GetString(1)); }
        }
        Assert.That(cnps, Has.All.Matches<string>(Cnp.IsValid));
        Assert.That(cnps, Is.Unique);
        using (var cmd = db.CreateCommand())
        {
            // Invalid numbers would never match a real caller's number on the phone.
            cmd.CommandText = "SELECT phone FROM citizen_phones";
            using var r = cmd.ExecuteReader();
            var phones = new List<string>();
            while (r.Read()) phones.Add(r.GetString(0));
            Assert.That(phones, Is.Not.Empty);
            Assert.That(phones, Has.All.Matches<string>(p => PhoneNumber.ToE164(p) == p));
        }
        Assert.That(names, Has.Some.Matches<string>(n => n.Any(ch => "ăâîșțĂÂÎȘȚ".Contains(ch))), "Romanian diacritics");
        Assert.That(names, Has.Some.Matches<string>(n => n.Any(ch => "áéíóöőúüű".Contains(ch))), "Hungarian diacritics");
        using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = "SELECT COUNT(DISTINCT channel) FROM timeline";
            Assert.That(cmd.ExecuteScalar(), Is.EqualTo(9L), "every channel");
        }

        using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = "SELECT DISTINCT status FROM cases";
            using var r = cmd.ExecuteReader();
            var statuses = new List<string>();
            while (r.Read()) statuses.Add(r.GetString(0));
            Assert.That(statuses, Is.EquivalentTo(new[] { "registered", "assigned", "in_progress", "answered", "closed", "forwarded", "joined", "filed", "rejected" }));
        }
        using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = "SELECT COUNT(*) FROM cases WHERE status IN ('registered', 'assigned', 'in_progress') AND due_on < '2026-05-10'";
            Assert.That((long)cmd.ExecuteScalar()!, Is.GreaterThan(0), "some open cases are late");
        }

        // A demo citizen's PIN verifies, and their balance and fines can be read like anyone's.
        var demo = report.DemoCitizens[0];
        using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = "SELECT pin_hash FROM citizens WHERE national_id = @cnp";
            cmd.Parameters.AddWithValue("@cnp", demo.Cnp);
            var hash = (string)cmd.ExecuteScalar()!;
            Assert.That(app.Services.GetRequiredService<PhonePinHasher>().Verify(demo.Id, demo.Pin, hash), Is.True);
        }
        // Seed 2026 always makes the same first demo citizen; her ledger, read back from the generated rows and worked by hand:
        // vehicle tax 2026 of 246.09 lei, nothing paid: 123.05 was due on Tuesday 31 March 2026 and is in its second month late
        // on 10 May (1–30 April, then 1–31 May), 2 % = 2.46; 123.04 is due on 30 September. Her 2026 building tax is paid.
        Assert.That(demo.Cnp, Is.EqualTo("2441228046695"));
        var balance = await app.Send(new GetTaxBalance(demo.Id));
        Assert.That(balance.AsOf, Is.EqualTo(new DateOnly(2026, 5, 10)));
        var vehicle = balance.Obligations.Single(o => o.TaxKind == "vehicle");
        Assert.That((vehicle.AmountDue, vehicle.Outstanding, vehicle.LateIncrease), Is.EqualTo((246.09m, 246.09m, 2.46m)));
        Assert.That((vehicle.NextDueDate, vehicle.NextInstalment), Is.EqualTo(((DateOnly?)new DateOnly(2026, 9, 30), 123.04m)));
        Assert.That(balance.TotalPayableNow, Is.EqualTo(248.55m));
        var fines = await app.Send(new GetUnpaidFines(demo.Id));
        Assert.That((fines.Count, fines.Fines.Count, fines.TotalOutstanding), Is.EqualTo((0, 0, 0m)), "she has no fines");

        // One of the city's two fines: 493 lei (legal minimum 200) handed over on 11 March 2026, unpaid; its last day to pay
        // half the minimum was Friday 27 March, so on 10 May the whole fine is owed and no half is offered.
        var fined = await app.Send(new FindCitizens(NationalId: "2900621094368"));
        var fine = await app.Send(new GetUnpaidFines(fined.Citizens.Single().Id));
        Assert.That(fine.Fines.Select(f => (f.ReportNumber, f.HandedOverOn, f.Outstanding, f.HalfMinimumAmount, f.HalfMinimumDeadline)),
            Is.EqualTo(new[] { ("AB355864", new DateOnly(2026, 3, 11), 493.00m, (decimal?)null, (DateOnly?)null) }));
    }

    [Category("SqliteOnly")] // the chunks are measured by SQLite's write-ahead log
    [Test]
    public async Task Small_chunks_build_the_same_city_as_one_chunk_and_report_the_write_ahead_log()
    {
        using var whole = new CrmTestApp(clock: new DemoClock(new FakeTimeProvider(Now)));
        using var chunked = new CrmTestApp(clock: new DemoClock(new FakeTimeProvider(Now)));

        var (one, a) = await Build(whole, seed: 7);
        var (many, b) = await Build(chunked, seed: 7, chunkSize: 37);

        Assert.That(b, Is.EqualTo(a));
        // Citizens (60 and their phones, e-mails and name tokens), the ledger, the cases, the history and the robot's calls:
        // five transactions in one chunk each; in chunks of 37 rows, the 600 history events alone make 17.
        Assert.That(one.Chunks, Is.EqualTo(5));
        Assert.That(many.Chunks, Is.GreaterThan(17 + 3));
        Assert.That(many.WriteAheadLogMaxBytes, Is.GreaterThan(0));
        Assert.That(File.Exists(Path.Combine(chunked.DataFolder, DemoCityGenerator.UnfinishedMarker)), Is.False, "a finished city leaves no marker");
        // Each event's details are its own: the details row joined by seq holds the summary written with that event.
        using var db = chunked.OpenDatabase();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM timeline WHERE kind = 'citizen.registered' AND summary NOT LIKE 'Citizen % registered (CNP %'";
        Assert.That(cmd.ExecuteScalar(), Is.EqualTo(0L));
    }

    [Test]
    public async Task A_build_stopped_half_way_leaves_its_chunks_and_the_next_run_refuses_the_half_city()
    {
        using var app = new CrmTestApp(clock: new DemoClock(new FakeTimeProvider(Now)));
        using var stop = new CancellationTokenSource();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<RequestContext>().SystemActor = "demo-city";
            var generator = ActivatorUtilities.CreateInstance<DemoCityGenerator>(scope.ServiceProvider);
            // Ctrl+C after the first chunk of the history has been committed.
            Assert.CatchAsync<OperationCanceledException>(() => generator.GenerateAsync(7, 60, 600, stop.Token, chunkSize: 100,
                progress: p => { if (p.Phase == "history") stop.Cancel(); }));
        }

        using (var db = app.OpenDatabase())
        using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = "SELECT (SELECT COUNT(*) FROM citizens), (SELECT COUNT(*) FROM timeline_events WHERE dedup_key LIKE 'demo:7:%')";
            using var r = cmd.ExecuteReader();
            r.Read();
            Assert.That((r.GetInt64(0), r.GetInt64(1)), Is.EqualTo((60L, 100L)), "the citizens and the first chunk of history stay committed");
        }
        Assert.That(File.Exists(Path.Combine(app.DataFolder, DemoCityGenerator.UnfinishedMarker)), Is.True);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var generator = ActivatorUtilities.CreateInstance<DemoCityGenerator>(scope.ServiceProvider);
            var error = Assert.ThrowsAsync<ConflictException>(() => generator.GenerateAsync(7, 60, 600, CancellationToken.None));
            Assert.That(error!.Message, Does.Contain("interrupted before it finished (seed 7, 60 citizens, 600 events"));
            Assert.That(error.Message, Does.Contain("Delete the folder"));
        }
    }

    [Test]
    public async Task The_demo_city_refuses_a_database_that_already_has_citizens()
    {
        using var app = new CrmTestApp(clock: new DemoClock(new FakeTimeProvider(Now)));
        var clerk = await app.ClientFor(StaffRole.Clerk);
        await clerk.RegisterCitizen();

        await using var scope = app.Services.CreateAsyncScope();
        var generator = ActivatorUtilities.CreateInstance<DemoCityGenerator>(scope.ServiceProvider);
        var error = Assert.ThrowsAsync<ConflictException>(() => generator.GenerateAsync(1, 10, 100, CancellationToken.None));
        Assert.That(error!.Message, Does.Contain("empty database"));
    }
}
