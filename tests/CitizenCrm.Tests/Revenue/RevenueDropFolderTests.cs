using System.Text;
using System.Text.Json;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Infrastructure;
using CitizenCrm.Tests.Jobs;
using Microsoft.Extensions.Time.Testing;

namespace CitizenCrm.Tests.Revenue;

/// <summary>
/// The revenue system drops its exports into a folder; the job imports each whole file once it is complete and moves it
/// aside with its report. Real files in a temp folder; the application's clock is 10 May 2026, 09:00 UTC, so files set
/// aside are stamped 20260510-090000. File ages are the file system's own (the quiet period is measured on them).
/// </summary>
public sealed class RevenueDropFolderTests
{
    private const string Job = "revenue-drop-folder";
    private const string Header = "record_type,source_ref,national_id,exported_on,tax_kind,fiscal_year,description,amount_due,amount_paid,increases,report_number,handed_over_on,legal_basis,fine_category,amount_applied,legal_minimum,paid_on";

    private string _drop = null!;
    private CrmTestApp _app = null!;
    private HttpClient _admin = null!;
    private HttpClient _clerk = null!;

    [SetUp]
    public async Task SetUp()
    {
        _drop = Path.Combine(Path.GetTempPath(), "citizencrm-drop-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_drop);
        _app = new CrmTestApp(clock: new FakeTimeProvider(new DateTimeOffset(2026, 5, 10, 9, 0, 0, TimeSpan.Zero)),
            settings: new Dictionary<string, string?> { ["Jobs:RevenueDropFolder:Folder"] = _drop });
        _admin = await _app.ClientFor(StaffRole.Admin);
        _clerk = await _app.ClientFor(StaffRole.Clerk);
    }

    [TearDown]
    public void TearDown()
    {
        _app.Dispose();
        try { Directory.Delete(_drop, recursive: true); } catch (IOException) { }
    }

    private static string Summary(int files, int rows, int added, int corrected, int unchanged, int rejected, int refused, int waiting) =>
        $"{files} file(s) imported ({rows} rows: {added} added, {corrected} corrected, {unchanged} unchanged, {rejected} rejected), " +
        $"{refused} refused whole, {waiting} still being written";

    /// <summary>Writes a file as the revenue system would, finished <paramref name="minutesAgo"/> minutes ago.</summary>
    private string Drop(string name, byte[] bytes, int minutesAgo = 2)
    {
        var path = Path.Combine(_drop, name);
        File.WriteAllBytes(path, bytes);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(-minutesAgo));
        return path;
    }

    private string Drop(string name, string text, int minutesAgo = 2) => Drop(name, Encoding.UTF8.GetBytes(text), minutesAgo);

    private static List<string> Files(string folder) =>
        Directory.Exists(folder) ? Directory.GetFiles(folder).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList() : [];

    private long Count(string sql)
    {
        using var db = _app.OpenDatabase();
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        return (long)cmd.ExecuteScalar()!;
    }

    private async Task<string> Ledger()
    {
        var anaCnp = TestData.NewCnp(); // the CNP as registered: answers show it masked
        var ana = await _clerk.RegisterCitizen(anaCnp, firstName: "Ana", lastName: "Mureșan");
        return string.Join("\n",
            Header,
            $"tax,T-1,{anaCnp},2026-05-01,building,2026,Str. Unirii 3,420.00,210.00,,,,,,,,",
            $"tax,T-2,{anaCnp},2026-05-01,building,2026,Str. Unirii 5,1.234,0,,,,,,,,",
            $"fine,F-1,{anaCnp},2026-05-01,,,,,0,,PV-77,2026-05-04,Legea 61/1991 art. 2 pct. 1,public_order,800,200,") + "\n";
    }

    [Test]
    public async Task A_dropped_export_is_imported_and_moved_aside_with_its_report_a_part_file_is_never_read_and_dropping_it_again_changes_nothing()
    {
        var csv = await Ledger();
        Drop("ledger.csv", csv);
        Drop("next.csv.part", Header + "\ntax,T-9,half-writ", minutesAgo: 10); // still being written under its temporary name

        Assert.That(await JobRunner.SummaryOfRunAsync(_admin, Job), Is.EqualTo(Summary(1, 3, 2, 0, 0, 1, 0, 0)));

        Assert.That(Files(_drop), Is.EqualTo(new[] { "next.csv.part" }));
        var processed = Path.Combine(_drop, "processed");
        Assert.That(Files(processed), Is.EqualTo(new[] { "20260510-090000-ledger.csv", "20260510-090000-ledger.csv.report.json" }));
        Assert.That(File.ReadAllText(Path.Combine(processed, "20260510-090000-ledger.csv")), Is.EqualTo(csv), "moved as it was");
        var report = JsonSerializer.Deserialize<JsonElement>(File.ReadAllText(Path.Combine(processed, "20260510-090000-ledger.csv.report.json")));
        Assert.That(report.GetProperty("sourceName").GetString(), Is.EqualTo("ledger.csv"));
        Assert.That((report.GetProperty("rows").GetInt32(), report.GetProperty("added").GetInt32(), report.GetProperty("rejected").GetInt32()), Is.EqualTo((3, 2, 1)));
        var rejected = report.GetProperty("rejectedRows")[0];
        Assert.That((rejected.GetProperty("line").GetInt32(), rejected.GetProperty("sourceRef").GetString()), Is.EqualTo((3, "T-2")));
        Assert.That(Count("SELECT COUNT(*) FROM revenue_imports WHERE actor = 'system' AND source_name = 'ledger.csv'"), Is.EqualTo(1));

        // The revenue system sends the same export again (or the job crashed after importing and before moving it).
        Drop("ledger.csv", csv);
        Assert.That(await JobRunner.SummaryOfRunAsync(_admin, Job), Is.EqualTo(Summary(1, 3, 0, 0, 2, 1, 0, 0)));
        Assert.That(Files(processed), Is.EqualTo(new[]
        {
            "20260510-090000-2-ledger.csv", "20260510-090000-2-ledger.csv.report.json",
            "20260510-090000-ledger.csv", "20260510-090000-ledger.csv.report.json",
        }));
        Assert.That(Count("SELECT COUNT(*) FROM tax_obligations"), Is.EqualTo(1));
        Assert.That(Count("SELECT COUNT(*) FROM fines"), Is.EqualTo(1));
        Assert.That(Count("SELECT COUNT(*) FROM timeline WHERE kind LIKE 'revenue.%' AND actor = 'system'"), Is.EqualTo(1), "the repeat adds nothing to the timeline");

        Assert.That(await JobRunner.SummaryOfRunAsync(_admin, Job), Is.EqualTo(Summary(0, 0, 0, 0, 0, 0, 0, 0)), "nothing left to read");
        Assert.That(Count("SELECT COUNT(*) FROM job_runs WHERE job_name = 'revenue-drop-folder' AND outcome = 'succeeded'"), Is.EqualTo(3));
    }

    [Test]
    public async Task A_csv_file_written_in_the_last_minute_is_left_alone_until_it_has_been_quiet_for_a_minute()
    {
        var csv = await Ledger();
        var path = Drop("ledger.csv", csv, minutesAgo: 0);

        Assert.That(await JobRunner.SummaryOfRunAsync(_admin, Job), Is.EqualTo(Summary(0, 0, 0, 0, 0, 0, 0, 1)));
        Assert.That(Files(_drop), Is.EqualTo(new[] { "ledger.csv" }));
        Assert.That(Count("SELECT COUNT(*) FROM revenue_imports"), Is.EqualTo(0));

        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(-61));
        Assert.That(await JobRunner.SummaryOfRunAsync(_admin, Job), Is.EqualTo(Summary(1, 3, 2, 0, 0, 1, 0, 0)));
        Assert.That(Files(_drop), Is.Empty);
    }

    [Test]
    public async Task A_file_that_cannot_be_imported_at_all_goes_to_failed_with_the_reason_and_the_other_files_are_still_imported()
    {
        var csv = await Ledger();
        Drop("a-no-header.csv", "tax,T-1,1850301011234,2026-05-01,building,2026,Str. Unirii 3,420.00,210.00\n");
        Drop("b-good.csv", csv);
        // "Mureșan" saved in Windows-1250: ș is the single byte 0xBA, which is not UTF-8.
        Drop("c-windows-1250.csv", [.. Encoding.ASCII.GetBytes(Header + "\ntax,T-7,1850301011234,2026-05-01,building,2026,Str. Mure"), 0xBA, .. Encoding.ASCII.GetBytes("an 1,10,0,,,,,,,,\n")]);

        Assert.That(await JobRunner.SummaryOfRunAsync(_admin, Job), Is.EqualTo(Summary(1, 3, 2, 0, 0, 1, 2, 0)));
        var failed = Path.Combine(_drop, "failed");
        Assert.That(Files(failed), Is.EqualTo(new[]
        {
            "20260510-090000-a-no-header.csv", "20260510-090000-a-no-header.csv.report.json",
            "20260510-090000-c-windows-1250.csv", "20260510-090000-c-windows-1250.csv.report.json",
        }));
        Assert.That(Files(Path.Combine(_drop, "processed")), Is.EqualTo(new[] { "20260510-090000-b-good.csv", "20260510-090000-b-good.csv.report.json" }));

        var noHeader = JsonSerializer.Deserialize<JsonElement>(File.ReadAllText(Path.Combine(failed, "20260510-090000-a-no-header.csv.report.json")));
        Assert.That(noHeader.GetProperty("file").GetString(), Is.EqualTo("a-no-header.csv"));
        Assert.That(noHeader.GetProperty("reason").GetString(), Does.StartWith("One or more fields are not valid: file: The first line must name the columns; missing: "));
        var windows = JsonSerializer.Deserialize<JsonElement>(File.ReadAllText(Path.Combine(failed, "20260510-090000-c-windows-1250.csv.report.json")));
        Assert.That(windows.GetProperty("reason").GetString(), Is.EqualTo("The export must be saved as UTF-8 text (names carry diacritics such as ș, ț, ő)."));
        Assert.That(Count("SELECT COUNT(*) FROM revenue_imports"), Is.EqualTo(1));
    }

    [Test]
    public async Task Without_a_drop_folder_configured_the_job_reads_nothing_and_its_run_says_so()
    {
        using var app = new CrmTestApp();
        var admin = await app.ClientFor(StaffRole.Admin);
        Assert.That(await JobRunner.SummaryOfRunAsync(admin, Job), Is.EqualTo("No drop folder configured (Jobs:RevenueDropFolder:Folder is empty): nothing read"));
    }
}
