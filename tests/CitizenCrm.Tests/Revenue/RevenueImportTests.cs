using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Revenue;
using CitizenCrm.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace CitizenCrm.Tests.Revenue;

public sealed class RevenueImportTests
{
    private const string Header = "record_type,source_ref,national_id,exported_on,tax_kind,fiscal_year,description,amount_due,amount_paid,increases,report_number,handed_over_on,legal_basis,fine_category,amount_applied,legal_minimum,paid_on";

    private FakeTimeProvider _clock = null!;
    private CrmTestApp _app = null!;
    private HttpClient _admin = null!;
    private HttpClient _clerk = null!;

    [SetUp]
    public async Task SetUp()
    {
        _clock = new FakeTimeProvider(new DateTimeOffset(2026, 5, 10, 9, 0, 0, TimeSpan.Zero));
        _app = new CrmTestApp(clock: _clock, settings: new Dictionary<string, string?> { ["Revenue:MaxImportBytes"] = "4096" });
        _admin = await _app.ClientFor(StaffRole.Admin);
        _clerk = await _app.ClientFor(StaffRole.Clerk);
    }

    [TearDown]
    public void TearDown() => _app.Dispose();

    private async Task<RevenueImportReport> Import(string csv, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await _admin.PostAsync("/api/revenue/imports", new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.That(response.StatusCode, Is.EqualTo(expected), await response.Content.ReadAsStringAsync());
        return await response.ReadJson<RevenueImportReport>();
    }

    private long Count(string sql)
    {
        using var db = _app.OpenDatabase();
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        return (long)cmd.ExecuteScalar()!;
    }

    [Test]
    public async Task An_export_with_bad_rows_keeps_the_good_ones_reports_the_bad_by_line_and_a_second_import_changes_nothing()
    {
        var anaCnp = TestData.NewCnp(); // the CNP as registered: answers show it masked
        var ana = await _clerk.RegisterCitizen(anaCnp, firstName: "Ana", lastName: "Mureșan");
        var csv = string.Join("\n",
            Header,
            $"tax,T-1,{anaCnp},2026-05-01,building,2026,Str. Unirii 3,420.00,210.00,,,,,,,,",
            $"tax,T-2,{anaCnp},2026-05-01,land,2026,Str. Unirii 3,12.5,0,,,,,,,,",
            $"tax,T-3,{anaCnp},2026-05-01,building,2026,Str. Unirii 5,1.234,0,,,,,,,,",
            $"tax,T-4,{TestData.NewCnp()},2026-05-01,vehicle,2026,AB-01-XYZ,100,0,,,,,,,,",
            $"fee,T-5,{anaCnp},2026-05-01,,,,,,,,,,,,,",
            $"fine,F-1,{anaCnp},2026-05-01,,,,,0,,PV-77,2026-05-04,Legea 61/1991 art. 2 pct. 1,public_order,800,200,",
            $"fine,F-2,{anaCnp},2026-05-01,,,,,50,,PV-78,2026-05-04,HCL 12/2020,,300,100,");

        var first = await Import(csv);

        Assert.That(first.Rows, Is.EqualTo(7));
        Assert.That(first.Added, Is.EqualTo(3));
        Assert.That(first.RejectedRows.Select(r => r.Line), Is.EqualTo(new[] { 4, 5, 6, 8 }));
        Assert.That(first.RejectedRows[0].Reason, Does.Contain("amount_due '1.234'"));
        Assert.That(first.RejectedRows[1].Reason, Does.Contain("No citizen is registered"));
        Assert.That(first.RejectedRows[2].Reason, Does.Contain("record_type must be tax or fine"));
        Assert.That(first.RejectedRows[3].Reason, Does.Contain("paid_on is required"));
        Assert.That(first.CitizensTouched, Is.EqualTo(1));

        var second = await Import(csv);

        Assert.That((second.Added, second.Corrected, second.Unchanged, second.Rejected), Is.EqualTo((0, 0, 3, 4)));
        Assert.That(Count("SELECT COUNT(*) FROM tax_obligations"), Is.EqualTo(2));
        Assert.That(Count("SELECT COUNT(*) FROM fines"), Is.EqualTo(1));
        Assert.That(Count("SELECT COUNT(*) FROM timeline WHERE kind LIKE 'revenue.%'"), Is.EqualTo(1), "one event per citizen for the first import, none for the repeat");
        Assert.That(Count("SELECT COUNT(*) FROM revenue_imports"), Is.EqualTo(2));
    }

    [Test]
    public async Task A_resent_row_with_other_values_corrects_the_obligation_and_says_so_on_the_timeline()
    {
        var ionCnp = TestData.NewCnp(); // the CNP as registered: answers show it masked
        var ion = await _clerk.RegisterCitizen(ionCnp, firstName: "Ion", lastName: "Pop");
        await Import($"{Header}\ntax,T-9,{ionCnp},2026-05-01,building,2026,Str. Unirii 3,420.00,0,,,,,,,,");
        var before = await _clerk.GetFromJsonAsync<TaxBalance>($"/api/citizens/{ion.Id}/taxes", Json.Options);
        Assert.That(before!.Obligations.Single().Outstanding, Is.EqualTo(420.00m));

        var report = await Import($"{Header}\ntax,T-9,{ionCnp},2026-05-01,building,2026,Str. Unirii 3,420.00,210.00,,,,,,,,");

        Assert.That((report.Added, report.Corrected), Is.EqualTo((0, 1)));
        var after = await _clerk.GetFromJsonAsync<TaxBalance>($"/api/citizens/{ion.Id}/taxes", Json.Options);
        Assert.That(after!.Obligations.Single().AmountPaid, Is.EqualTo(210.00m));
        Assert.That(after.Obligations.Single().Outstanding, Is.EqualTo(210.00m));
        var page = await _clerk.GetFromJsonAsync<JsonElement>($"/api/citizens/{ion.Id}/timeline", Json.Options);
        var events = page.GetProperty("events").EnumerateArray().ToList();
        var correction = events.Single(e => e.GetProperty("kind").GetString() == "revenue.ledger_corrected");
        Assert.That(correction.GetProperty("channel").GetString(), Is.EqualTo("system"));
        Assert.That(correction.GetProperty("correlation").GetString(), Is.EqualTo($"import:{report.BatchId}"));
        Assert.That(correction.GetProperty("summary").GetString(), Does.Not.Contain(ionCnp));
        Assert.That(Count("SELECT version FROM tax_obligations WHERE source_ref = 'T-9'"), Is.EqualTo(2));
    }

    [Test]
    public async Task A_clerk_reads_a_balance_as_of_a_day_with_increases_and_the_read_is_audited()
    {
        var anaCnp = TestData.NewCnp(); // the CNP as registered: answers show it masked
        var ana = await _clerk.RegisterCitizen(anaCnp, firstName: "Ana", lastName: "Kovács");
        // 2025: 1,000 lei, nothing paid, the revenue system's increases as of 1 May 2026 not given.
        await Import($"{Header}\ntax,T-2025,{anaCnp},2026-05-01,building,2025,Str. Unirii 3,1000.00,0,,,,,,,,");

        var balance = await _clerk.GetFromJsonAsync<TaxBalance>($"/api/citizens/{ana.Id}/taxes?asOf=2026-04-30", Json.Options);

        // First half: 13 months late, 1 April 2025 to 30 April 2026 (65.00); second half: 7 months late, 1 October 2025 to
        // 30 April 2026 (35.00). The months run from the day after each term (Law 207/2015 art. 183(2)).
        var o = balance!.Obligations.Single();
        Assert.That(o.LateIncrease, Is.EqualTo(100.00m));
        Assert.That(balance.TotalPayableNow, Is.EqualTo(1100.00m));
        Assert.That(balance.AsOf, Is.EqualTo(new DateOnly(2026, 4, 30)));
        Assert.That(balance.CalculatedAt, Is.EqualTo(_clock.GetUtcNow()));
        Assert.That(balance.LedgerExportedOn, Is.EqualTo(new DateOnly(2026, 5, 1)));
        Assert.That(Count($"SELECT COUNT(*) FROM audit_log WHERE citizen_id = '{ana.Id.ToString().ToUpperInvariant()}' OR citizen_id = '{ana.Id}'"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_fine_paid_by_half_the_minimum_within_15_days_is_settled_and_one_paid_after_is_not()
    {
        var ionCnp = TestData.NewCnp(); // the CNP as registered: answers show it masked
        var ion = await _clerk.RegisterCitizen(ionCnp, firstName: "Ion", lastName: "Szabó");
        // Handed over Monday 4 May 2026: the 15 free days are 5–19 May, and Wednesday 20 May is the last day to pay
        // (neither the hand-over day nor the day the term ends counts: Civil Procedure Code art. 181(1) pt. 2).
        await Import(string.Join("\n", Header,
            $"fine,F-in,{ionCnp},2026-05-30,,,,,100,,PV-1,2026-05-04,HCL 12/2020 art. 3,general,800,200,2026-05-20",
            $"fine,F-late,{ionCnp},2026-05-30,,,,,100,,PV-2,2026-05-04,HCL 12/2020 art. 3,general,800,200,2026-05-21",
            $"fine,F-open,{ionCnp},2026-05-30,,,,,0,,PV-3,2026-05-04,HCL 12/2020 art. 3,general,800,200,"));

        var during = await _clerk.GetFromJsonAsync<UnpaidFines>($"/api/citizens/{ion.Id}/fines?asOf=2026-05-10", Json.Options);
        var after = await _clerk.GetFromJsonAsync<UnpaidFines>($"/api/citizens/{ion.Id}/fines?asOf=2026-05-30", Json.Options);

        Assert.That(during!.Fines.Select(f => f.ReportNumber), Is.EqualTo(new[] { "PV-2", "PV-3" }), "PV-1 was settled on the last day, 20 May");
        var open = during.Fines.Single(f => f.ReportNumber == "PV-3");
        Assert.That(open.HalfMinimumAmount, Is.EqualTo(100m));
        Assert.That(open.HalfMinimumDeadline, Is.EqualTo(new DateOnly(2026, 5, 20)));
        Assert.That(after!.Fines.Select(f => f.Outstanding), Is.EqualTo(new[] { 700m, 800m }));
        Assert.That(after.Fines.Select(f => f.HalfMinimumAmount), Is.All.Null, "the 15 days are over");
        Assert.That(after.TotalOutstanding, Is.EqualTo(1500m));
    }

    [Test]
    public async Task The_export_uploads_as_a_multipart_form_and_an_oversized_one_gets_413()
    {
        var anaCnp = TestData.NewCnp(); // the CNP as registered: answers show it masked
        var ana = await _clerk.RegisterCitizen(anaCnp);
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes($"{Header}\ntax,M-1,{anaCnp},2026-05-01,vehicle,2026,AB-12-CDE,88.00,0,,,,,,,,"));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "export.csv");
        var response = await _admin.PostAsync("/api/revenue/imports", form);
        var report = await response.ReadJson<RevenueImportReport>();
        Assert.That((report.Added, report.SourceName), Is.EqualTo((1, "export.csv")));

        using var wrongField = new MultipartFormDataContent();
        wrongField.Add(new StringContent(Header, Encoding.UTF8, "text/csv"), "upload", "export.csv");
        var wrong = await (await _admin.PostAsync("/api/revenue/imports", wrongField)).AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(wrong.GetProperty("detail").GetString(), Does.Contain("field 'file'"));

        var big = await _admin.PostAsync("/api/revenue/imports", new StringContent(Header + new string('\n', 5000), Encoding.UTF8, "text/csv"));
        await big.AssertProblem(HttpStatusCode.RequestEntityTooLarge);

        var byClerk = await _clerk.PostAsync("/api/revenue/imports", new StringContent(Header, Encoding.UTF8, "text/csv"));
        Assert.That(byClerk.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        var noHeader = await _admin.PostAsync("/api/revenue/imports", new StringContent("a,b\n1,2", Encoding.UTF8, "text/csv"));
        var problem = await noHeader.AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("missing: record_type"));
    }

    [Test]
    public async Task A_line_with_a_broken_quote_is_reported_and_the_lines_after_it_are_kept()
    {
        var anaCnp = TestData.NewCnp(); // the CNP as registered: answers show it masked
        var ana = await _clerk.RegisterCitizen(anaCnp);
        var report = await Import(string.Join("\n", Header,
            $"tax,Q-1,{anaCnp},2026-05-01,building,2026,\"Str. Unirii 3,100.00,0,,,,,,,,",
            $"tax,Q-2,{anaCnp},2026-05-01,land,2026,\"Str. Unirii 3, lot 2\",20.00,0,,,,,,,,"));

        Assert.That(report.Added, Is.EqualTo(1));
        Assert.That(report.RejectedRows.Select(r => r.Line), Is.EqualTo(new[] { 2 }));
        Assert.That(report.RejectedRows[0].Reason, Does.Contain("quoting"));
        Assert.That(report.Rows, Is.EqualTo(2));
        Assert.That(Count("SELECT COUNT(*) FROM tax_obligations WHERE source_ref = 'Q-2' AND description = 'Str. Unirii 3, lot 2'"), Is.EqualTo(1));
    }

    [Test]
    public async Task Balances_of_an_unknown_citizen_are_404()
    {
        var response = await _clerk.GetAsync($"/api/citizens/{Guid.NewGuid()}/taxes");
        await response.AssertProblem(HttpStatusCode.NotFound);
    }

    [TestCase("taxes", "9999-12-31")]
    [TestCase("fines", "9999-12-31")]
    [TestCase("taxes", "0001-01-01")]
    public async Task A_balance_date_outside_the_known_years_is_a_400_not_a_crash(string what, string asOf)
    {
        var citizen = await _clerk.RegisterCitizen();

        var problem = await (await _clerk.GetAsync($"/api/citizens/{citizen.Id}/{what}?asOf={asOf}")).AssertProblem(HttpStatusCode.BadRequest);

        Assert.That(problem.ErrorFields(), Does.Contain("asOf"));
    }
}
