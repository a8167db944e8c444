using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Reports;
using CitizenCrm.Tests.Cases;
using CitizenCrm.Tests.Infrastructure;
using CsvHelper;

namespace CitizenCrm.Tests.Reports;

/// <summary>Each report's figures against <see cref="ReportDataset"/>, counted by hand (see its comment for the cases).</summary>
public sealed class ReportFiguresTests
{
    private RegistryDesk _desk = null!;
    private HttpClient _supervisor = null!;

    [OneTimeSetUp]
    public async Task BuildTheRegistry()
    {
        _desk = await RegistryDesk.OpenAsync("2026-03-02 10:00");
        await ReportDataset.BuildAsync(_desk);
        _supervisor = await _desk.App.ClientFor(StaffRole.Supervisor);
    }

    [OneTimeTearDown]
    public void Close() => _desk.Dispose();

    private Task<JsonElement> Get(string url) => ReportDataset.GetJson(_supervisor, url);

    private static (string Kind, long Opened, long Answered, long Within, decimal? Percent, long Overdue) Line(JsonElement r) =>
        (r.GetProperty("kind").GetString()!, r.GetProperty("opened").GetInt64(), r.GetProperty("answered").GetInt64(),
         r.GetProperty("answeredWithinTerm").GetInt64(),
         r.GetProperty("answeredWithinTermPercent").ValueKind == JsonValueKind.Null ? null : r.GetProperty("answeredWithinTermPercent").GetDecimal(),
         r.GetProperty("overdueNow").GetInt64());

    [Test]
    public async Task Cases_opened_answered_in_term_and_overdue_now_per_kind()
    {
        var report = await Get("/api/reports/cases?from=2026-03-01&to=2026-04-30");
        var kinds = report.GetProperty("kinds").EnumerateArray().Select(Line).ToList();
        Assert.That(kinds, Is.EqualTo(new[]
        {
            ("petition", 5L, 1L, 1L, (decimal?)100.0m, 1L),          // P1 answered within its extended term; P4 overdue
            ("information_request", 2L, 2L, 2L, (decimal?)100.0m, 0L), // I1 answered, I2 refused: both answers, both in time
            ("service_request", 2L, 2L, 1L, (decimal?)50.0m, 0L),     // S2 answered two days late
        }));
        Assert.That(Line(report.GetProperty("all")), Is.EqualTo(("all", 9L, 5L, 4L, (decimal?)80.0m, 1L)));
        Assert.That(report.GetProperty("today").GetString(), Is.EqualTo("2026-04-08"));
    }

    [Test]
    public async Task Cases_filtered_by_department_by_service_and_by_channel()
    {
        var urbanism = await Get("/api/reports/cases?from=2026-03-01&to=2026-04-30&department=" + Uri.EscapeDataString(ReportDataset.Urbanism));
        Assert.That(Line(urbanism.GetProperty("all")), Is.EqualTo(("all", 3L, 1L, 1L, (decimal?)100.0m, 1L)), "P1, P2, P4");

        var lights = await Get("/api/reports/cases?from=2026-03-01&to=2026-04-30&service=street_light");
        Assert.That(Line(lights.GetProperty("all")), Is.EqualTo(("all", 1L, 1L, 0L, (decimal?)0.0m, 0L)), "S2, late");

        var desk = await Get("/api/reports/cases?from=2026-03-01&to=2026-04-30&channel=desk");
        Assert.That(Line(desk.GetProperty("all")), Is.EqualTo(("all", 4L, 3L, 3L, (decimal?)100.0m, 1L)), "P1, P4, S1, I2");

        // Only March: P1's answer (8 April) is outside, so nothing answered among the petitions and no percentage.
        var march = await Get("/api/reports/cases?from=2026-03-01&to=2026-03-31");
        Assert.That(Line(march.GetProperty("kinds")[0]), Is.EqualTo(("petition", 5L, 0L, 0L, (decimal?)null, 1L)));
    }

    [Test]
    public async Task Median_and_90th_percentile_of_the_days_to_answer_by_nearest_rank()
    {
        var report = await Get("/api/reports/answer-times?from=2026-03-01&to=2026-04-30");
        var rows = report.GetProperty("kinds").EnumerateArray().Append(report.GetProperty("all"))
            .Select(r => (r.GetProperty("kind").GetString(), r.GetProperty("answered").GetInt64(), Days(r, "medianDays"), Days(r, "percentile90Days")))
            .ToList();
        // Days: S1 1, I1 3, I2 3, S2 7, P1 37. All five sorted: 1 3 3 7 37; median rank ceil(2.5) = 3 -> 3; p90 rank ceil(4.5) = 5 -> 37.
        // Services 1 7: median rank ceil(1) = 1 -> 1 (the lower middle value; the mean of the two would be 4); p90 rank ceil(1.8) = 2 -> 7.
        Assert.That(rows, Is.EqualTo(new[]
        {
            ("petition", 1L, (long?)37, (long?)37),
            ("information_request", 2L, (long?)3, (long?)3),
            ("service_request", 2L, (long?)1, (long?)7),
            ("all", 5L, (long?)3, (long?)37),
        }));
    }

    private static long? Days(JsonElement r, string name) => r.GetProperty(name).ValueKind == JsonValueKind.Null ? null : r.GetProperty(name).GetInt64();

    [TestCase(new long[] { 15, 20, 35, 40, 50 }, 30, 20, TestName = "Nearest rank: 30th percentile of 15 20 35 40 50 is 20 (rank ceil(1.5) = 2)")]
    [TestCase(new long[] { 15, 20, 35, 40, 50 }, 40, 20, TestName = "Nearest rank: 40th percentile of 15 20 35 40 50 is 20 (rank 2)")]
    [TestCase(new long[] { 15, 20, 35, 40, 50 }, 50, 35, TestName = "Nearest rank: the median of 15 20 35 40 50 is 35 (rank 3)")]
    [TestCase(new long[] { 15, 20, 35, 40, 50 }, 100, 50, TestName = "Nearest rank: 100th percentile is the largest value")]
    [TestCase(new long[] { 3, 1, 2, 10 }, 90, 10, TestName = "Nearest rank: 90th percentile of four values is the 4th (rank ceil(3.6))")]
    [TestCase(new long[] { 7 }, 90, 7, TestName = "Nearest rank: one value is every percentile")]
    public void Nearest_rank_percentiles_worked_by_hand(long[] values, int p, long expected) =>
        Assert.That(Percentiles.NearestRank(values, p), Is.EqualTo(expected));

    [Test]
    public async Task Interactions_per_channel_per_Bucharest_day()
    {
        var report = await Get("/api/reports/interactions?from=2026-03-01&to=2026-03-31");
        var days = report.GetProperty("days").EnumerateArray()
            .Select(d => $"{d.GetProperty("date").GetString()} {d.GetProperty("channel").GetString()} {d.GetProperty("interactions").GetInt64()}").ToList();
        Assert.That(days, Is.EqualTo(new[]
        {
            "2026-03-02 desk 3", "2026-03-02 email 2", "2026-03-02 post 1", "2026-03-02 web 1",   // seven registrations (the citizens' records are not contacts)
            "2026-03-03 desk 1", "2026-03-03 email 1", "2026-03-03 phone 1",                      // I2, S1's answer by e-mail, S2 (assigning S1 is not a contact)
            "2026-03-04 desk 1",         // P2 forwarded, the petitioner told
            "2026-03-05 email 1",        // I1's answer at 00:30 in Bucharest: 4 March in UTC, 5 March here
            "2026-03-06 post 1",         // I2's refusal
            "2026-03-10 desk 1", "2026-03-10 post 1",   // P5 forwarded; S2's answer
            "2026-03-20 desk 1",         // P1's term extended, the petitioner told
        }));
        Assert.That(report.GetProperty("total").GetInt64(), Is.EqualTo(16));
        Assert.That(report.GetProperty("totalsByChannel").GetProperty("desk").GetInt64(), Is.EqualTo(7));
        Assert.That(report.GetProperty("totalsByChannel").GetProperty("email").GetInt64(), Is.EqualTo(4));

        var urbanism = await Get("/api/reports/interactions?from=2026-03-01&to=2026-03-31&department=" + Uri.EscapeDataString(ReportDataset.Urbanism));
        Assert.That(urbanism.GetProperty("total").GetInt64(), Is.EqualTo(5), "P1, P2, P4 registered, P2 forwarded, P1 extended");
        var desk = await Get("/api/reports/interactions?from=2026-03-02&to=2026-03-04&channel=desk");
        Assert.That(desk.GetProperty("total").GetInt64(), Is.EqualTo(5), "3 + 1 + 1");
    }

    [Test]
    public async Task A_report_comes_as_csv_with_format_csv_or_an_accept_header_and_reads_back()
    {
        var response = await _supervisor.GetAsync("/api/reports/cases?from=2026-03-01&to=2026-04-30&format=csv");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/csv"));
        var rows = ReadCsv(await response.Content.ReadAsStringAsync());
        Assert.That(rows, Is.EqualTo(new[]
        {
            new[] { "kind", "opened", "answered", "answered_within_term", "answered_within_term_percent", "overdue_now" },
            new[] { "petition", "5", "1", "1", "100.0", "1" },
            new[] { "information_request", "2", "2", "2", "100.0", "0" },
            new[] { "service_request", "2", "2", "1", "50.0", "0" },
            new[] { "all", "9", "5", "4", "80.0", "1" },
        }));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/reports/interactions?from=2026-03-05&to=2026-03-06");
        request.Headers.Accept.ParseAdd("text/csv");
        var byHeader = await _supervisor.SendAsync(request);
        Assert.That(byHeader.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/csv"));
        Assert.That(ReadCsv(await byHeader.Content.ReadAsStringAsync()), Is.EqualTo(new[]
        {
            new[] { "date", "channel", "interactions" }, new[] { "2026-03-05", "email", "1" }, new[] { "2026-03-06", "post", "1" },
        }));
    }

    [Test]
    public async Task The_api_document_describes_each_report_as_json_and_as_csv_for_supervisors_and_admins()
    {
        var document = await CitizenCrm.Tests.Api.ApiDocument.ReadAsync(_desk.App);
        var reports = document.GetProperty("paths").EnumerateObject().Where(p => p.Name.StartsWith("/api/reports/", StringComparison.Ordinal)).ToList();
        Assert.That(reports.Select(p => p.Name), Is.EquivalentTo(new[]
        {
            "/api/reports/interactions", "/api/reports/cases", "/api/reports/answer-times", "/api/reports/phone-robot",
            "/api/reports/notifications", "/api/reports/daily-snapshots", "/api/reports/law-544", "/api/reports/petitions",
        }));
        foreach (var path in reports)
        {
            var get = path.Value.GetProperty("get");
            Assert.That(get.GetProperty("responses").GetProperty("200").GetProperty("content").EnumerateObject().Select(c => c.Name),
                Is.EquivalentTo(new[] { "application/json", "text/csv" }), path.Name);
            Assert.That(get.GetProperty("description").GetString(), Does.EndWith("Who: supervisor, admin."), path.Name);
        }
    }

    internal static List<string[]> ReadCsv(string text)
    {
        var rows = new List<string[]>();
        using var reader = CsvReader.FromText(text, CsvReaderOptions.Default with { HasHeader = false });
        while (reader.Read()) rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetString(i)).ToArray());
        return rows;
    }

    [TestCase("/api/reports/cases?from=2026-03-10&to=2026-03-01", "to", TestName = "A range that ends before it starts is refused")]
    [TestCase("/api/reports/cases?from=2025-01-01&to=2026-01-02", "to", TestName = "A range longer than 366 days is refused")]
    [TestCase("/api/reports/cases?to=2026-01-02", "from", TestName = "A report without its first day is refused")]
    [TestCase("/api/reports/interactions?from=2026-13-01&to=2026-03-01", "from", TestName = "A month 13 is refused")]
    [TestCase("/api/reports/interactions?from=0001-01-01&to=0001-01-02", "from", TestName = "The year 1 is refused as a typo")]
    [TestCase("/api/reports/answer-times?from=2026-03-01&to=2026-03-02&channel=fax", "channel", TestName = "An unknown channel is refused")]
    [TestCase("/api/reports/cases?from=2026-03-01&to=2026-03-02&service=no_such_service", "service", TestName = "An unknown service is refused")]
    [TestCase("/api/reports/cases?from=2026-03-01&to=2026-03-02&format=xlsx", "format", TestName = "An unknown format is refused")]
    [TestCase("/api/reports/law-544?year=1999", "year", TestName = "A Law 544 report before the law is refused")]
    [TestCase("/api/reports/law-544", "year", TestName = "A Law 544 report without a year is refused")]
    [TestCase("/api/reports/petitions?from=2026-07-01&to=2026-01-01", "to", TestName = "A petitions report that ends before it starts is refused")]
    [TestCase("/api/reports/daily-snapshots?from=2026-03-01&to=2026-03-02&service=pothole", "service", TestName = "Snapshots are not kept per service")]
    public async Task Bad_ranges_and_filters_get_400_naming_the_field(string url, string field)
    {
        var problem = await (await _supervisor.GetAsync(url)).AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").TryGetProperty(field, out _), Is.True, problem.ToString());
    }

    [Test]
    public async Task A_clerk_and_a_dispatcher_may_not_read_reports_an_admin_may()
    {
        foreach (var role in new[] { StaffRole.Clerk, StaffRole.Dispatcher })
            await (await (await _desk.App.ClientFor(role)).GetAsync("/api/reports/cases?from=2026-03-01&to=2026-03-02")).AssertProblem(HttpStatusCode.Forbidden);
        var admin = await _desk.App.ClientFor(StaffRole.Admin);
        Assert.That((await admin.GetAsync("/api/reports/cases?from=2026-03-01&to=2026-03-02")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    // ---- The two reports the law requires, against docs/legal-reports.md ----

    private static Dictionary<string, (decimal? Value, bool Held, JsonElement Figure)> Figures(JsonElement report) =>
        report.GetProperty("figures").EnumerateArray().ToDictionary(f => f.GetProperty("key").GetString()!,
            f => (f.GetProperty("value").ValueKind == JsonValueKind.Null ? (decimal?)null : f.GetProperty("value").GetDecimal(),
                  f.GetProperty("notHeld").ValueKind == JsonValueKind.Null, f));

    /// <summary>The figure keys of one section of docs/legal-reports.md: table rows "| `key` | ... | yes/no |".</summary>
    private static List<(string Key, bool Held)> ListedFigures(string section)
    {
        var text = File.ReadAllText(ReportDataset.RepoFile("docs/legal-reports.md"));
        var start = text.IndexOf("## " + section, StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), $"docs/legal-reports.md has no section '## {section}'");
        var end = text.IndexOf("\n## ", start + 3, StringComparison.Ordinal);
        var body = end < 0 ? text[start..] : text[start..end];
        return Regex.Matches(body, @"^\|\s*`([a-z0-9_]+)`\s*\|.*\|\s*(yes|no)\s*\|\s*$", RegexOptions.Multiline)
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value == "yes")).ToList();
    }

    [TestCase("Law 544/2001 yearly report", "/api/reports/law-544?year=2026")]
    [TestCase("OG 27/2002 petition activity report", "/api/reports/petitions?from=2026-01-01&to=2026-06-30")]
    public async Task Every_figure_the_documentation_lists_is_in_the_report_and_held_or_not_as_it_says(string section, string url)
    {
        var listed = ListedFigures(section);
        Assert.That(listed, Has.Count.GreaterThan(10), "the list in docs/legal-reports.md was not read");
        var figures = Figures(await Get(url));
        Assert.That(figures.Keys, Is.EqualTo(listed.Select(l => l.Key)), "the report's figures, in the documentation's order");
        foreach (var (key, held) in listed)
        {
            Assert.That(figures[key].Held, Is.EqualTo(held), $"{key}: held is {held} in the documentation");
            Assert.That(figures[key].Value is not null, Is.EqualTo(held), $"{key}: a figure not held has no value");
            Assert.That(figures[key].Figure.GetProperty("source").GetString(), Is.Not.Empty);
        }
    }

    [Test]
    public async Task The_Law_544_report_for_2026_counted_by_hand()
    {
        var f = Figures(await Get("/api/reports/law-544?year=2026"));
        var expected = new Dictionary<string, decimal>
        {
            ["requests_total"] = 2,                 // I1, I2
            ["requests_by_department"] = 2,         // both in Relații cu publicul
            ["requests_resolved_favourably"] = 1,   // I1
            ["requests_refused_total"] = 1,         // I2
            ["requests_refused_exempt"] = 1,        // I2: a trade secret, art. 12
            ["requests_refused_nonexistent"] = 0,
            ["requests_refused_other"] = 0,
            ["requests_refused_unclassified"] = 0,
            ["requests_on_paper"] = 1,              // I2 at the desk
            ["requests_electronic"] = 1,            // I1 by e-mail
            ["requests_verbal"] = 0,
            ["requests_from_natural_persons"] = 1,  // I1: citizen A
            ["requests_from_legal_persons"] = 1,    // I2: the owners' association
            ["answers_within_10_days"] = 2,         // I1 on 5 March, I2's refusal on 6 March; both due 12/13 March
            ["answers_within_30_days"] = 0,
            ["answers_late"] = 0,
            ["requests_pending"] = 0,
        };
        foreach (var (key, value) in expected) Assert.That(f[key].Value, Is.EqualTo(value), key);
        Assert.That(f["requests_by_department"].Figure.GetProperty("breakdown").GetProperty(ReportDataset.PublicRelations).GetInt64(), Is.EqualTo(2));
    }

    [Test]
    public async Task The_petition_report_for_the_first_half_of_2026_counted_by_hand()
    {
        var f = Figures(await Get("/api/reports/petitions?from=2026-01-01&to=2026-06-30"));
        var expected = new Dictionary<string, decimal>
        {
            ["petitions_received"] = 5,
            ["petitions_written"] = 3,                  // P1, P4 desk; P3 post
            ["petitions_electronic"] = 2,               // P2 e-mail, P5 web
            ["petitions_from_citizens"] = 3,            // P1, P4, P5
            ["petitions_from_organisations"] = 1,       // P2
            ["petitions_anonymous_filed"] = 1,          // P3
            ["petitions_forwarded"] = 2,                // P2, P5
            ["petitions_forwarded_within_5_days"] = 1,  // P2 on 4 March; P5 on 10 March, after 7 March
            ["petitions_joined"] = 0,
            ["petitions_answered"] = 1,                 // P1
            ["petitions_answered_within_term"] = 1,     // 8 April, within the term extended to 11 April
            ["petitions_answered_late"] = 0,
            ["petitions_term_extended"] = 1,            // P1
            ["average_answer_days"] = 37.0m,            // P1: 2 March to 8 April
            ["petitions_pending"] = 1,                  // P4
            ["petitions_pending_overdue"] = 1,          // P4, due 1 April
            ["petitions_filed_away"] = 0,
            ["petitions_by_department"] = 4,            // P1, P2, P4 in Urbanism; P5 unassigned; P3 anonymous not counted
        };
        foreach (var (key, value) in expected) Assert.That(f[key].Value, Is.EqualTo(value), key);
        var departments = f["petitions_by_department"].Figure.GetProperty("breakdown");
        Assert.That(departments.GetProperty(ReportDataset.Urbanism).GetInt64(), Is.EqualTo(3));
        Assert.That(departments.GetProperty("(unassigned)").GetInt64(), Is.EqualTo(1));
    }

    [Test]
    public async Task The_Law_544_report_as_csv_lists_each_figure_with_its_source_and_why_it_is_not_held()
    {
        var response = await _supervisor.GetAsync("/api/reports/law-544?year=2026&format=csv");
        var rows = ReadCsv(await response.Content.ReadAsStringAsync());
        Assert.That(rows[0], Is.EqualTo(new[] { "figure", "value", "label", "source", "not_held" }));
        Assert.That(rows[1][..2], Is.EqualTo(new[] { "requests_total", "2" }));
        Assert.That(rows[1][3], Is.EqualTo("HG 123/2002, anexa, art. 27 lit. a)"));
        var domain = rows.Single(r => r[0] == "requests_by_domain");
        Assert.That(domain[1], Is.Empty);
        Assert.That(domain[4], Does.StartWith("Requests carry no domain of interest"));
        Assert.That(rows.Single(r => r[0] == "requests_refused_exempt")[1], Is.EqualTo("1"));
        Assert.That(rows.Single(r => r[0] == "requests_by_department." + ReportDataset.PublicRelations)[1], Is.EqualTo("2"));
    }
}
