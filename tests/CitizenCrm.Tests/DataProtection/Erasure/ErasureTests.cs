using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Infrastructure;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CitizenCrm.Tests.DataProtection.Erasure;

/// <summary>
/// The "done when": a citizen seeded in every table is erased, and afterwards their name, CNP, phone, e-mail and
/// address are found nowhere — no table's text, not the raw database file or its write-ahead log, no stored document or
/// photo, no line the server logged — while the registry numbers and every report's figures stay the same, and the
/// timeline still reads their events as "Erased citizen" with kinds and dates.
/// </summary>
[TestFixture]
public sealed class ErasureTests
{
    private readonly ConcurrentQueue<string> _logs = new();
    private CitizenWithEverything.Seeded _seeded = null!;
    private HttpClient _supervisor = null!, _clerk = null!;
    private JsonElement _erased;
    private byte[] _walRightAfter = [];
    private Dictionary<string, string> _reportsBefore = null!, _reportsAfter = null!;
    private List<(string Kind, DateTimeOffset OccurredAt)> _timelineBefore = null!;
    private List<string> _answerNumbersBefore = null!;

    private static readonly string[] Reports =
    [
        "/api/reports/interactions?from=2026-01-01&to=2026-12-31",
        "/api/reports/cases?from=2026-01-01&to=2026-12-31",
        "/api/reports/answer-times?from=2026-01-01&to=2026-12-31",
        "/api/reports/phone-robot?from=2026-01-01&to=2026-12-31",
        "/api/reports/notifications?from=2026-01-01&to=2026-12-31",
        "/api/reports/petitions?from=2026-01-01&to=2026-12-31",
        "/api/reports/law-544?year=2026",
    ];

    private const string AnswerNumbers = "SELECT answer_number || '/' || answer_year FROM cases WHERE upper(citizen_id) = @Citizen ORDER BY answer_number";

    [OneTimeSetUp]
    public async Task Seed_read_the_figures_and_erase()
    {
        _seeded = await CitizenWithEverything.StartAsync(testServices: s =>
            s.AddLogging(l => l.AddProvider(new CapturingProvider(_logs)).SetMinimumLevel(LogLevel.Trace)));
        var app = _seeded.App;
        _supervisor = await app.ClientFor(StaffRole.Supervisor);
        _clerk = await app.ClientFor(StaffRole.Clerk);

        _reportsBefore = await ReadReports();
        _timelineBefore = (await Timeline(_seeded.Citizen.Id)).Select(e => (e.Kind, e.OccurredAt)).ToList();
        using (var db = app.OpenDatabase())
            _answerNumbersBefore = db.Query<string>(AnswerNumbers, new { Citizen = CitizenKey }).ToList();

        var request = await app.RegisterRequest(_seeded.Citizen.Id);
        _erased = await _supervisor.EraseOk(request);
        var wal = app.DatabaseFile + "-wal";
        _walRightAfter = File.Exists(wal) ? File.ReadAllBytes(wal) : [];
        _reportsAfter = await ReadReports();
    }

    [OneTimeTearDown]
    public void Stop() => _seeded?.Dispose();

    private string CitizenKey => _seeded.Citizen.Id.ToString().ToUpperInvariant();

    private async Task<Dictionary<string, string>> ReadReports()
    {
        var figures = new Dictionary<string, string>();
        foreach (var report in Reports)
        {
            var response = await _supervisor.GetAsync(report);
            var body = await response.Content.ReadAsStringAsync();
            Assert.That((int)response.StatusCode, Is.EqualTo(200), $"{report}: {body}");
            figures[report] = body;
        }
        return figures;
    }

    private sealed record TimelineItem(string Kind, DateTimeOffset OccurredAt, string Summary, bool Erased);

    private async Task<List<TimelineItem>> Timeline(Guid citizenId)
    {
        var items = new List<TimelineItem>();
        long? before = null;
        do
        {
            var page = JsonDocument.Parse(await _clerk.GetStringAsync($"/api/citizens/{citizenId}/timeline?limit=200{(before is { } b ? $"&before={b}" : "")}")).RootElement;
            foreach (var e in page.GetProperty("events").EnumerateArray())
                items.Add(new TimelineItem(e.GetProperty("kind").GetString()!, e.GetProperty("occurredAt").GetDateTimeOffset(),
                    e.GetProperty("summary").GetString()!, e.TryGetProperty("erased", out var erased) && erased.ValueKind == JsonValueKind.True));
            before = page.TryGetProperty("nextBefore", out var next) && next.ValueKind == JsonValueKind.Number ? next.GetInt64() : null;
        } while (before is not null);
        return items;
    }

    /// <summary>Every text (and blob) value of every table, with where it is.</summary>
    private static List<(string Where, string Text)> Dump(System.Data.Common.DbConnection db)
    {
        var values = new List<(string, string)>();
        foreach (var table in db.Query<string>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"))
        {
            using var command = db.CreateCommand();
            command.CommandText = $"SELECT * FROM \"{table}\"";
            using var reader = command.ExecuteReader();
            while (reader.Read())
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    var text = reader.IsDBNull(i) ? null : reader.GetValue(i) switch { byte[] b => Encoding.UTF8.GetString(b), var v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) };
                    if (text is not null) values.Add(($"{table}.{reader.GetName(i)}", text));
                }
        }
        return values;
    }

    private static List<string> Found(IEnumerable<(string Where, string Text)> values, IEnumerable<string> traces) =>
        values.SelectMany(v => traces.Where(t => v.Text.Contains(t, StringComparison.OrdinalIgnoreCase)).Select(t => $"{v.Where}: '{t}'"))
            .Distinct().ToList();

    [Test]
    public void No_table_holds_the_citizens_name_cnp_phone_email_or_address_any_more()
    {
        using var db = _seeded.App.OpenDatabase();
        var dump = Dump(db);
        Assert.That(Found(dump, _seeded.Citizen.Traces), Is.Empty);
        // The search finds what is there: the neighbour, who was not erased, is still found everywhere the citizen was.
        Assert.That(Found(dump, _seeded.Neighbour.Traces), Has.Some.StartsWith("citizens.first_name")
            .And.Some.StartsWith("cases.subject").And.Some.StartsWith("tax_obligations.description").And.Some.StartsWith("timeline_details.summary"));
    }

    [Category("SqliteOnly")] // SQLite's file and write-ahead log; a server database's files are its administrator's (DEPLOYMENT.md)
    [Test]
    public void The_raw_database_file_and_its_write_ahead_log_hold_none_of_it_after_a_checkpoint()
    {
        SqliteConnection.ClearAllPools();
        using (var db = _seeded.App.OpenDatabase())
        {
            var checkpoint = db.QuerySingle<(long Busy, long Log, long Checkpointed)>("PRAGMA wal_checkpoint(TRUNCATE)");
            Assert.That(checkpoint.Busy, Is.EqualTo(0), "the checkpoint ran to the end");
        }
        var file = _seeded.App.DatabaseFile;
        var bytes = ReadShared(file);
        var wal = File.Exists(file + "-wal") ? ReadShared(file + "-wal") : [];
        Assert.That(bytes, Has.Length.GreaterThan(100_000), "the database file was read");
        Assert.That(Traces(bytes, _seeded.Citizen.Traces), Is.Empty, "in the database file");
        Assert.That(Traces(wal, _seeded.Citizen.Traces), Is.Empty, "in the write-ahead log");
        Assert.That(Traces(bytes, _seeded.Neighbour.Traces), Is.Not.Empty, "the search finds text that is there");
    }

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static List<string> Traces(byte[] bytes, IEnumerable<string> traces) =>
        traces.Where(t => bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(t)) >= 0).ToList();

    [Test]
    public void No_stored_document_or_photo_holds_any_of_it_and_the_citizens_files_are_gone()
    {
        var folders = new[] { "documents", "photos" }.Select(f => Path.Combine(_seeded.App.DataFolder, f)).ToList();
        var files = folders.Where(Directory.Exists).SelectMany(f => Directory.EnumerateFiles(f, "*", SearchOption.AllDirectories)).ToList();
        Assert.That(files, Is.Not.Empty, "the neighbour's files are still there");
        var found = files.SelectMany(f => Traces(File.ReadAllBytes(f), _seeded.Citizen.Traces).Select(t => $"{Path.GetFileName(f)}: '{t}'")).ToList();
        Assert.That(found, Is.Empty);
        var names = files.Select(Path.GetFileName).ToHashSet();
        Assert.That(names, Does.Not.Contain(_seeded.DocumentSha256));
        Assert.That(names.Intersect(_seeded.PhotoSha256), Is.Empty);
        Assert.That(files.Any(f => Traces(File.ReadAllBytes(f), _seeded.Neighbour.Traces).Count > 0), "the neighbour's letter is still stored");
    }

    [Test]
    public void The_write_ahead_log_holds_none_of_it_right_after_the_erasure_without_waiting_for_a_checkpoint()
    {
        // Read before the test's own checkpoints: the erasure empties the log itself, since a busy server's log could keep
        // the pages as they were before the erasure for a long time.
        Assert.That(Traces(_walRightAfter, _seeded.Citizen.Traces), Is.Empty);
    }

    [Test]
    public void The_servers_logs_never_held_any_of_it()
    {
        Assert.That(_logs, Is.Not.Empty, "the logs were captured");
        var found = _logs.SelectMany(line => _seeded.Citizen.Traces.Where(t => line.Contains(t, StringComparison.OrdinalIgnoreCase))
            .Select(t => $"'{t}' in: {line[..Math.Min(200, line.Length)]}")).Distinct().ToList();
        Assert.That(found, Is.Empty);
    }

    [Test]
    public void Registry_numbers_and_every_reports_figures_are_the_same()
    {
        using var db = _seeded.App.OpenDatabase();
        var numbers = db.Query<string>(TestDatabases.Render("SELECT number || '/' || year FROM cases WHERE upper(id) IN @Ids"),
            new { Ids = _seeded.CaseIds.Select(c => c.ToString().ToUpperInvariant()).ToList() }).ToList();
        Assert.That(numbers, Is.EquivalentTo(_seeded.RegistrationNumbers));
        Assert.That(db.Query<string>(AnswerNumbers, new { Citizen = CitizenKey }), Is.EqualTo(_answerNumbersBefore));
        Assert.That(_answerNumbersBefore, Has.Count.EqualTo(5));
        Assert.That(db.Query<string>("SELECT status FROM cases WHERE upper(citizen_id) = @Citizen", new { Citizen = CitizenKey }), Is.All.EqualTo("closed"));
        Assert.That(db.Query<string>("SELECT subject FROM cases WHERE upper(citizen_id) = @Citizen", new { Citizen = CitizenKey }), Is.All.EqualTo("[erased]"));
        Assert.That(db.ExecuteScalar<long>("SELECT SUM(amount_due) FROM tax_obligations WHERE upper(citizen_id) = @Citizen", new { Citizen = CitizenKey }), Is.EqualTo(42_000));
        Assert.That(db.ExecuteScalar<long>("SELECT SUM(amount_applied) FROM fines WHERE upper(citizen_id) = @Citizen", new { Citizen = CitizenKey }), Is.EqualTo(30_000));
        foreach (var report in Reports)
            Assert.That(_reportsAfter[report], Is.EqualTo(_reportsBefore[report]), report);
        // The figures compared count the erased citizen's records: four petitions of theirs (one a contact's call) and four of the neighbour's.
        Assert.That(_reportsBefore["/api/reports/petitions?from=2026-01-01&to=2026-12-31"],
            Does.Contain("{\"key\":\"petitions_received\",\"label\":\"Petiții primite și înregistrate\",\"source\":\"OG 27/2002 art. 6 alin. (1)\",\"value\":8,"));
    }

    [Test]
    public async Task The_timeline_reads_erased_citizen_with_kinds_and_dates_and_is_still_append_only()
    {
        var after = await Timeline(_seeded.Citizen.Id);
        Assert.That(after[0].Kind, Is.EqualTo("citizen.erased"));
        Assert.That(after[0].Summary, Does.Contain("GDPR art. 17"));
        var rest = after.Skip(1).ToList();
        Assert.That(rest.Select(e => (e.Kind, e.OccurredAt)), Is.EqualTo(_timelineBefore));
        Assert.That(_timelineBefore, Has.Count.GreaterThan(10));
        Assert.That(rest.Select(e => e.Summary), Is.All.EqualTo("Erased citizen"));

        using var db = _seeded.App.OpenDatabase();
        foreach (var sql in new[] { "UPDATE timeline_events SET kind = 'x'", "DELETE FROM timeline_events", "UPDATE timeline_details SET summary = 'x'" })
            Assert.That(() => db.Execute(sql), Throws.InstanceOf<System.Data.Common.DbException>().With.Message.Contains("timeline"), sql);
        Assert.That(() => db.Execute("DELETE FROM citizen_erasures"), Throws.InstanceOf<System.Data.Common.DbException>().With.Message.Contains("cannot be undone"));
        Assert.That(() => db.Execute("UPDATE citizens SET erased_at = NULL WHERE erased_at IS NOT NULL"), Throws.InstanceOf<System.Data.Common.DbException>());
    }

    [Test]
    public void The_erasure_is_recorded_with_who_when_and_the_legal_basis_and_the_request_is_completed()
    {
        Assert.That(_erased.GetProperty("erasedBy").GetString(), Is.EqualTo("test-supervisor"));
        Assert.That(_erased.GetProperty("legalBasis").GetString(), Is.EqualTo(ErasureSupport.LegalBasis));
        var counts = _erased.GetProperty("counts");
        Assert.That(counts.GetProperty("casesAnonymised").GetInt32(), Is.EqualTo(6), "five as the party or on their behalf, one a call logged for them as a contact");
        Assert.That(counts.GetProperty("photosRemoved").GetInt32(), Is.EqualTo(1));
        Assert.That(counts.GetProperty("documentsRemoved").GetInt32(), Is.GreaterThanOrEqualTo(2));
        Assert.That(counts.GetProperty("phoneCallsRemoved").GetInt32(), Is.EqualTo(2));

        using var db = _seeded.App.OpenDatabase();
        var record = db.QuerySingle<(string ErasedBy, string LegalBasis, string Summary, long ErasedAt)>(
            "SELECT erased_by, legal_basis, summary, erased_at FROM citizen_erasures WHERE upper(citizen_id) = @Citizen", new { Citizen = CitizenKey });
        Assert.That(record.ErasedBy, Is.EqualTo("test-supervisor"));
        Assert.That(record.LegalBasis, Is.EqualTo(ErasureSupport.LegalBasis));
        Assert.That(record.Summary, Does.StartWith("cases anonymised 6, "));
        Assert.That(record.ErasedAt, Is.EqualTo(CitizenWithEverything.TuesdayMorning.ToUnixTimeMilliseconds()));
        Assert.That(db.ExecuteScalar<string>("SELECT status FROM data_subject_requests WHERE upper(citizen_id) = @Citizen", new { Citizen = CitizenKey }), Is.EqualTo("completed"));
        var citizen = db.QuerySingle<(string FirstName, string LastName, string IdType, string NationalId, string? PinHash)>(
            "SELECT first_name, last_name, id_type, national_id, pin_hash FROM citizens WHERE upper(id) = @Citizen", new { Citizen = CitizenKey });
        Assert.That(citizen, Is.EqualTo(("Erased", "citizen", "erased", _seeded.Citizen.Id.ToString("N"), (string?)null)));
        foreach (var table in new[] { "citizen_phones", "citizen_emails", "citizen_name_tokens", "ivr_calls", "phone_requests" })
            Assert.That(db.ExecuteScalar<long>($"SELECT COUNT(*) FROM {table} WHERE upper(citizen_id) = @Citizen", new { Citizen = CitizenKey }), Is.Zero, table);
        Assert.That(db.ExecuteScalar<long>("SELECT COUNT(*) FROM phone_access_locks WHERE upper(citizen_id) = @Citizen", new { Citizen = CitizenKey }), Is.Zero);
        Assert.That(db.ExecuteScalar<long>(TestDatabases.Render("SELECT COUNT(*) FROM ivr_calls WHERE call_sid IN @Calls"), new { Calls = _seeded.CallSids }), Is.Zero);
        // The neighbour keeps everything.
        Assert.That(db.ExecuteScalar<long>("SELECT COUNT(*) FROM citizen_phones WHERE upper(citizen_id) = @N", new { N = _seeded.Neighbour.Id.ToString().ToUpperInvariant() }), Is.EqualTo(1));
        Assert.That(db.ExecuteScalar<long>("SELECT COUNT(*) FROM phone_pin_failures"), Is.GreaterThan(0), "the neighbour's PIN failures stay");
    }
}
