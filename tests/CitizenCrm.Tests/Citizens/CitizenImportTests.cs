using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using CitizenCrm.Core.Citizens;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Revenue;
using CitizenCrm.Core.Timeline;
using CitizenCrm.Tests.Infrastructure;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CitizenCrm.Tests.Citizens;

/// <summary>An admin loads the city's register of citizens from CSV (docs/citizen-import.md).</summary>
public sealed class CitizenImportTests
{
    private const string Header = "cnp,first_name,last_name,address,phone,email,preferred_language";

    // Line 2 and 10 are good; each line between is refused for one reason a clerk can fix.
    private static readonly string Mixed = string.Join("\n",
        Header,
        "2921120012346,Ioana,Popescu,\"Bd. Revoluției 12, Alba Iulia\",0722 123 456,ioana.popescu@example.com,ro",
        "1670502012450,Gheorghe,Dobre,Str. Zlatnei 20,,,",
        "6270115013015,Ana,Viitor,Str. Nouă 1,,,",
        "2800404014013,Maria,Ionescu,Str. Lungă 2,0722 12,,",
        "1900615015015,Radu,Stan,Str. Scurtă 3,,radu@,",
        "2530303016016,Elena,Vasile,Str. Mare 4,,,de",
        "2921120012346,Ioana,Popescu,Str. Alta 9,,,",
        "1771210010881,,Marin,Str. Mică 5,,,",
        "6010312012563,Andrei,Toma,Str. Trandafirilor 7,,andrei.toma@example.com;a.toma@example.org,EN");

    private static readonly string[] FullCnps =
        ["2921120012346", "1670502012450", "6270115013015", "2800404014013", "1900615015015", "2530303016016", "1771210010881", "6010312012563"];

    private FakeTimeProvider _clock = null!;
    private CrmTestApp _app = null!;
    private HttpClient _admin = null!;

    [SetUp]
    public async Task SetUp()
    {
        _clock = new FakeTimeProvider(new DateTimeOffset(2026, 5, 10, 9, 0, 0, TimeSpan.Zero));
        _app = new CrmTestApp(clock: _clock, settings: new Dictionary<string, string?> { ["CitizenImport:MaxImportBytes"] = "4096" });
        _admin = await _app.ClientFor(StaffRole.Admin);
    }

    [TearDown]
    public void TearDown() => _app.Dispose();

    private async Task<CitizenImportReport> Import(string csv, HttpClient? client = null)
    {
        var response = await (client ?? _admin).PostAsync("/api/citizens/imports", new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await response.ReadJson<CitizenImportReport>();
    }

    private long Count(string sql)
    {
        using var db = _app.OpenDatabase();
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture); // SUM is numeric on PostgreSQL
    }

    private string Text(string sql)
    {
        using var db = _app.OpenDatabase();
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToString(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!; // a uuid on PostgreSQL
    }

    private static string RepoFile(params string[] parts)
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "CitizenCRM.sln"))) dir = dir.Parent;
        return Path.Combine([dir.FullName, .. parts]);
    }

    [Test]
    public async Task A_file_with_good_and_bad_rows_imports_the_good_and_says_for_each_bad_line_what_to_fix()
    {
        var report = await Import(Mixed);

        Assert.That((report.Rows, report.Added, report.Updated, report.Unchanged, report.Rejected), Is.EqualTo((9, 2, 0, 0, 7)));
        Assert.That(report.RejectedRows.Select(r => $"{r.Line} {r.Cnp}: {r.Reason}"), Is.EqualTo(new[]
        {
            "3 *********2450: This CNP's last digit does not match the others: check it was typed correctly.",
            "4 *********3015: The birth date inside this CNP (digits 2–7) is after today: check it was typed correctly.",
            "5 *********4013: '0722 12' is not a phone number we can call. Write it as +40722123456 or 0722 123 456.",
            "6 *********5015: 'radu@' is not an e-mail address.",
            "7 *********6016: The preferred language must be ro, en or hu.",
            "8 *********2346: This CNP already appears on line 2 of this file; only that line was imported. Keep one line per citizen.",
            "9 *********0881: The first name is required.",
        }));
        Assert.That(Count("SELECT COUNT(*) FROM citizens"), Is.EqualTo(2));
        var clerk = await _app.ClientFor(StaffRole.Clerk);
        var found = await (await clerk.PostAsJsonAsync("/api/citizens/search", new { nationalId = "6010312012563" })).ReadJson<CitizenSearchResult>();
        var andrei = await clerk.GetFromJsonAsync<Citizen>($"/api/citizens/{found.Citizens.Single().Id}", Json.Options);
        Assert.That((andrei!.FirstName, andrei.LastName, andrei.DateOfBirth, andrei.Address, andrei.PreferredLanguage),
            Is.EqualTo(("Andrei", "Toma", new DateOnly(2001, 3, 12), "Str. Trandafirilor 7", "en")));
        Assert.That(andrei.Emails, Is.EqualTo(new[] { "andrei.toma@example.com", "a.toma@example.org" }));
        Assert.That(Text("SELECT c.national_id FROM citizen_phones p JOIN citizens c ON c.id = p.citizen_id WHERE p.phone = '+40722123456'"),
            Is.EqualTo("2921120012346"), "the phone is found by the phone robot's lookup");
    }

    [Test]
    public async Task The_same_file_imported_again_changes_nothing()
    {
        await Import(Mixed);
        var events = Count("SELECT COUNT(*) FROM timeline");
        var versions = Count("SELECT SUM(version) FROM citizens");

        var again = await Import(Mixed);

        Assert.That((again.Rows, again.Added, again.Updated, again.Unchanged, again.Rejected), Is.EqualTo((9, 0, 0, 2, 7)));
        Assert.That(Count("SELECT COUNT(*) FROM citizens"), Is.EqualTo(2));
        Assert.That(Count("SELECT COUNT(*) FROM timeline"), Is.EqualTo(events));
        Assert.That(Count("SELECT SUM(version) FROM citizens"), Is.EqualTo(versions));
    }

    [Test]
    public async Task A_changed_address_updates_the_citizen_and_the_timeline_says_the_import_did_it()
    {
        var first = await Import(Header + "\n2921120012346,Ioana,Popescu,Str. Veche 1,0722 123 456,,ro\n");
        var moved = await Import(Header + "\n2921120012346,Ioana,Popescu,Str. Nouă 2,,,\n");

        Assert.That((moved.Added, moved.Updated, moved.Unchanged, moved.Rejected), Is.EqualTo((0, 1, 0, 0)));
        var clerk = await _app.ClientFor(StaffRole.Clerk);
        var id = Guid.Parse(Text("SELECT id FROM citizens WHERE national_id = '2921120012346'"));
        var ioana = await clerk.GetFromJsonAsync<Citizen>($"/api/citizens/{id}?reveal=true", Json.Options);
        // The address is the register's; the phone the register left empty is kept.
        Assert.That((ioana!.Address, ioana.Phones.Single(), ioana.PreferredLanguage, ioana.Version), Is.EqualTo(("Str. Nouă 2", "+40722123456", "ro", 2)));
        var timeline = await clerk.GetFromJsonAsync<TimelinePage>($"/api/citizens/{id}/timeline", Json.Options);
        Assert.That(timeline!.Events.Select(e => $"{e.Kind} | {e.Channel} | {e.Actor} | {e.OnBehalfOf} | {e.Correlation} | {e.Summary}"), Is.EqualTo(new[]
        {
            $"citizen.updated | system | system | test-admin | import:{moved.BatchId} | Details updated from the register import: address",
            $"citizen.registered | system | system | test-admin | import:{first.BatchId} | Citizen Ioana Popescu registered from the register import (CNP *********2346)",
        }));
    }

    [Test]
    public async Task No_full_CNP_reaches_the_report_or_the_log()
    {
        var lines = new ConcurrentQueue<string>();
        using var logged = _app.WithWebHostBuilder(b =>
        {
            b.UseSetting("Logging:LogLevel:Default", "Trace");
            b.UseSetting("Logging:LogLevel:Microsoft", "Trace");
            b.UseSetting("Logging:LogLevel:System", "Trace");
            b.ConfigureTestServices(s => s.AddLogging(l => l.AddProvider(new CapturingProvider(lines)).SetMinimumLevel(LogLevel.Trace)));
        });
        var admin = logged.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new("Bearer", await _app.SignIn("test-admin", CrmTestApp.Password));

        var response = await admin.PostAsync("/api/citizens/imports", new StringContent(Mixed, Encoding.UTF8, "text/csv"));
        var body = await response.Content.ReadAsStringAsync();
        var missing = await admin.PostAsync("/api/citizens/imports", new StringContent("cnp,first_name\n2921120012346,Ioana\n", Encoding.UTF8, "text/csv"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(lines, Is.Not.Empty, "the log was captured");
        var everything = body + "\n" + await missing.Content.ReadAsStringAsync() + "\n" + string.Join("\n", lines);
        foreach (var cnp in FullCnps) Assert.That(everything, Does.Not.Contain(cnp));
        // Any 13 digits that make a valid CNP (checksum, date, county). A Unix time in milliseconds, which the schedulers'
        // trace lines may carry, is also 13 digits, but never a valid CNP (its "month" digits are above 12).
        var cnpShaped = Regex.Matches(everything, @"(?<!\d)\d{13}(?!\d)").Select(m => m.Value)
            .Where(digits => CitizenCrm.Core.Citizens.Cnp.Problem(digits) is null).ToList();
        Assert.That(cnpShaped, Is.Empty, "nothing that is a CNP");
    }

    [TestCase(StaffRole.Clerk)]
    [TestCase(StaffRole.Dispatcher)]
    [TestCase(StaffRole.Supervisor)]
    public async Task Only_an_admin_may_import_citizens(StaffRole role)
    {
        var client = await _app.ClientFor(role);
        var response = await client.PostAsync("/api/citizens/imports", new StringContent(Mixed, Encoding.UTF8, "text/csv"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(Count("SELECT COUNT(*) FROM citizens"), Is.EqualTo(0));
    }

    private static ByteArrayContent Bytes(byte[] bytes, string type)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(type);
        return content;
    }

    private static IEnumerable<TestCaseData> BadInputs()
    {
        var good = Encoding.UTF8.GetBytes(Header + "\n2921120012346,Ioana,Popescu,,,,\n");
        yield return new TestCaseData(Encoding.UTF8.GetBytes("cnp,name\n2921120012346,Ioana\n"), "text/csv", 400,
            "One or more fields are not valid: file: The first line must name the columns; missing: first_name, last_name, address, phone, email, preferred_language. See docs/citizen-import.md.")
            .SetName("A file without the columns is 400, naming the missing ones");
        yield return new TestCaseData(Array.Empty<byte>(), "text/csv", 400,
            "One or more fields are not valid: file: The first line must name the columns; missing: cnp, first_name, last_name, address, phone, email, preferred_language. See docs/citizen-import.md.")
            .SetName("An empty file is 400");
        yield return new TestCaseData(good.Concat(Encoding.UTF8.GetBytes("1670502012459,Gh")).Append((byte)0xff).Append((byte)'\n').ToArray(), "text/csv", 400,
            "One or more fields are not valid: file: The file is not UTF-8 text: save the export as UTF-8 (names carry diacritics such as ș, ț, ő).")
            .SetName("A file with a byte that is not UTF-8 is 400 and not even its good first row is imported");
        yield return new TestCaseData(good, "application/json", 415,
            "Send the file with 'Content-Type: text/csv' (curl --data-binary @citizens.csv), or as a multipart form field 'file'.")
            .SetName("A body that is not CSV is 415");
        yield return new TestCaseData(good.Concat(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("1670502012459,Gheorghe,Dobre,,,,\n", 200)))).ToArray(),
                "text/csv", 413, "The file is larger than the 0 MB allowed for an upload. Import it with the import-citizens command, or split it.")
            .SetName("A file over the limit is 413");
        yield return new TestCaseData(Encoding.UTF8.GetBytes("just text, no boundary in sight"), "multipart/form-data; boundary=XyZ", 400,
            "The body is not the multipart form its Content-Type announces. Send the CSV file as the form field 'file' (curl -F file=@citizens.csv), " +
            "or as the body with 'Content-Type: text/csv' (curl --data-binary @citizens.csv).")
            .SetName("A malformed multipart body is 400");
    }

    [TestCaseSource(nameof(BadInputs))]
    public async Task Bad_input_is_a_4xx_problem_and_writes_nothing(byte[] body, string type, int status, string detail)
    {
        var response = await _admin.PostAsync("/api/citizens/imports", Bytes(body, type));

        Assert.That((int)response.StatusCode, Is.EqualTo(status), await response.Content.ReadAsStringAsync());
        var problem = await response.ReadJson<Microsoft.AspNetCore.Mvc.ProblemDetails>();
        Assert.That(problem.Detail, Is.EqualTo(detail));
        Assert.That(Count("SELECT COUNT(*) FROM citizens"), Is.EqualTo(0));
        Assert.That(Count("SELECT COUNT(*) FROM timeline WHERE citizen_id IS NOT NULL"), Is.EqualTo(0));
    }

    [Test]
    public async Task A_bad_byte_after_the_first_batch_still_leaves_the_register_untouched()
    {
        // More rows than one batch (ImportCitizensHandler.BatchSize) before the bad byte: the first batch would already be
        // committed if the file were not checked whole before the import starts.
        using var app = new CrmTestApp(clock: _clock);
        var admin = await app.ClientFor(StaffRole.Admin);
        var csv = new StringBuilder(Header + "\n");
        for (var i = 0; i < ImportCitizensHandler.BatchSize + 1; i++)
            csv.Append(Cnp.Compose(2, new DateOnly(1960, 1, 1).AddDays(i / 900), 1 + i / 900 % 40, i % 900 + 1)).Append(",Ana,Pop,,,,\n");
        var body = Encoding.UTF8.GetBytes(csv.ToString()).Concat(new byte[] { 0xC3, 0x28, (byte)'\n' }).ToArray();

        var response = await admin.PostAsync("/api/citizens/imports", Bytes(body, "text/csv"));

        Assert.That((int)response.StatusCode, Is.EqualTo(400), await response.Content.ReadAsStringAsync());
        using var db = app.OpenDatabase();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM citizens";
        Assert.That((long)cmd.ExecuteScalar()!, Is.EqualTo(0));
        var clean = await Import(csv.ToString(), admin);
        Assert.That((clean.Added, clean.Rejected), Is.EqualTo((1001, 0)), "the rows before the bad byte are good ones");
    }

    [Test]
    public async Task A_line_longer_than_64_KB_after_the_first_batch_refuses_the_file_before_anything_is_written()
    {
        using var app = new CrmTestApp(clock: _clock);
        var admin = await app.ClientFor(StaffRole.Admin);
        var csv = new StringBuilder(Header + "\n");
        for (var i = 0; i < ImportCitizensHandler.BatchSize + 1; i++)
            csv.Append(Cnp.Compose(2, new DateOnly(1960, 1, 1).AddDays(i / 900), 1 + i / 900 % 40, i % 900 + 1)).Append(",Ana,Pop,,,,\n");
        csv.Append("1670502012459,Gheorghe,Dobre,\"").Append('x', 70_000).Append("\",,,\n");

        var response = await admin.PostAsync("/api/citizens/imports", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"));

        Assert.That((int)response.StatusCode, Is.EqualTo(400), await response.Content.ReadAsStringAsync());
        Assert.That((await response.ReadJson<Microsoft.AspNetCore.Mvc.ProblemDetails>()).Detail, Is.EqualTo(
            "One or more fields are not valid: file: Line 1003 is longer than 64 KB: a register's line is a few hundred characters. Check the file is the register's CSV export."));
        using var db = app.OpenDatabase();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM citizens";
        Assert.That((long)cmd.ExecuteScalar()!, Is.EqualTo(0));
    }

    [Test]
    public async Task A_retry_under_the_same_Idempotency_Key_replays_the_first_report()
    {
        async Task<CitizenImportReport> Send()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/citizens/imports") { Content = new StringContent(Mixed, Encoding.UTF8, "text/csv") };
            request.Headers.Add("Idempotency-Key", "register-2026-05");
            var response = await _admin.SendAsync(request);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
            return await response.ReadJson<CitizenImportReport>();
        }

        var first = await Send();
        var retry = await Send();

        Assert.That((retry.BatchId, retry.Added, retry.Unchanged), Is.EqualTo((first.BatchId, 2, 0)));
    }

    [Test]
    public async Task The_file_may_come_as_the_multipart_field_file()
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(Mixed, Encoding.UTF8, "text/csv"), "file", "register-2026.csv");

        var response = await _admin.PostAsync("/api/citizens/imports", form);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var report = await response.ReadJson<CitizenImportReport>();
        Assert.That((report.SourceName, report.Added, report.Rejected), Is.EqualTo(("register-2026.csv", 2, 7)));
    }

    [Test]
    public async Task After_the_citizens_sample_the_revenue_sample_finds_every_taxpayer()
    {
        using var app = new CrmTestApp(clock: new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero)));
        var admin = await app.ClientFor(StaffRole.Admin);
        var citizens = await Import(await File.ReadAllTextAsync(RepoFile("docs", "samples", "citizens-sample.csv")), admin);
        Assert.That((citizens.Rows, citizens.Added, citizens.Rejected), Is.EqualTo((5, 5, 0)));

        var response = await admin.PostAsync("/api/revenue/imports",
            new StringContent(await File.ReadAllTextAsync(RepoFile("docs", "samples", "revenue-sample.csv")), Encoding.UTF8, "text/csv"));
        var revenue = await response.ReadJson<RevenueImportReport>();

        Assert.That(revenue.RejectedRows.Select(r => r.Reason), Is.Empty);
        Assert.That((revenue.Rejected, revenue.CitizensTouched), Is.EqualTo((0, 2)));
    }

}
