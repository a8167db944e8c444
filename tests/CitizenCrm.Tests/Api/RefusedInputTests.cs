using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Infrastructure;

namespace CitizenCrm.Tests.Api;

/// <summary>What a hostile or careless client sends gets a 400 a clerk can act on, never a 500, and nothing is written.</summary>
public sealed class RefusedInputTests : ClerkTest
{
    private long Count(string table)
    {
        using var db = App.OpenDatabase();
        using var cmd = db.CreateCommand();
        cmd.CommandText = $"SELECT COUNT(*) FROM {table}";
        return (long)cmd.ExecuteScalar()!;
    }

    private Task<HttpResponseMessage> PostJsonBytes(HttpClient client, string url, byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return client.PostAsync(url, content);
    }

    [TestCase("from=0001-01-01", "from")]
    [TestCase("to=9999-12-31", "to")]
    [TestCase("from=0001-01-01&to=9999-12-31", "from")]
    public async Task A_date_filter_out_of_any_reason_is_a_400_on_the_timeline_the_feed_and_the_audit(string query, string field)
    {
        var citizen = await Clerk.RegisterCitizen();
        var supervisor = await App.ClientFor(StaffRole.Supervisor);

        foreach (var url in new[] { $"/api/citizens/{citizen.Id}/timeline?{query}", $"/api/timeline?{query}", $"/api/audit?{query}" })
        {
            var problem = await (await supervisor.GetAsync(url)).AssertProblem(HttpStatusCode.BadRequest);
            Assert.That(problem.ErrorFields(), Does.Contain(field), url);
            Assert.That(problem.GetProperty("errors").GetProperty(field)[0].GetString(), Does.Contain("between 1900-01-01 and 2200-12-31"), url);
        }
    }

    [TestCase("/api/citizens", """{"firstName":5}""", "firstName", "'firstName' must be text in double quotes.")]
    [TestCase("/api/citizens", """{"nationalId":1850301011234}""", "nationalId", "'nationalId' must be text in double quotes.")]
    [TestCase("/api/citizens", """{"emails":"a@b.ro"}""", "emails", "'emails' must be a list in square brackets.")]
    [TestCase("/api/citizens/search", """{"name":["x"]}""", "name", "'name' must be text in double quotes.")]
    [TestCase("/api/citizens", "[1,2]", "body", "The request body must be a JSON object in curly braces.")]
    [TestCase("/api/citizens", "\"str\"", "body", "The request body must be a JSON object in curly braces.")]
    public async Task A_value_of_the_wrong_kind_is_named_with_the_kind_the_field_wants(string url, string body, string field, string message)
    {
        var problem = await (await Clerk.PostAsync(url, new StringContent(body, Encoding.UTF8, "application/json")))
            .AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").GetProperty(field)[0].GetString(), Is.EqualTo(message));
    }

    [Test]
    public async Task The_widest_sensible_date_filter_still_answers()
    {
        var citizen = await Clerk.RegisterCitizen();
        var response = await Clerk.GetAsync($"/api/citizens/{citizen.Id}/timeline?from=1900-01-01&to=2200-12-31");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task An_interaction_dated_in_year_1_is_refused_and_not_written_into_the_append_only_timeline()
    {
        var citizen = await Clerk.RegisterCitizen();
        var before = Count("timeline");

        var problem = await (await Clerk.PostAsJsonAsync($"/api/citizens/{citizen.Id}/interactions",
                new { type = "call_note", channel = "phone", summary = "Asked about parking", occurredAt = "0001-01-01T00:00:00Z" }))
            .AssertProblem(HttpStatusCode.BadRequest);

        Assert.That(problem.GetProperty("errors").GetProperty("occurredAt")[0].GetString(),
            Is.EqualTo("The date of the interaction (0001-01-01) is before 1990; check the year. Leave it out to record the present moment."));
        Assert.That(Count("timeline"), Is.EqualTo(before));
    }

    [Test]
    public async Task An_interaction_dated_next_year_is_refused()
    {
        var citizen = await Clerk.RegisterCitizen();
        var problem = await (await Clerk.PostAsJsonAsync($"/api/citizens/{citizen.Id}/interactions",
                new { type = "call_note", channel = "phone", summary = "Asked about parking", occurredAt = DateTimeOffset.UtcNow.AddYears(1) }))
            .AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "occurredAt" }));
    }

    [Test]
    public async Task A_non_working_day_in_9999_is_refused()
    {
        var admin = await App.ClientFor(StaffRole.Admin);
        var before = Count("non_working_days");

        var problem = await (await admin.PostAsJsonAsync("/api/calendar/non-working-days", new { day = "9999-12-31", reason = "HG 1/9999" }))
            .AssertProblem(HttpStatusCode.BadRequest);

        Assert.That(problem.GetProperty("errors").GetProperty("day")[0].GetString(),
            Is.EqualTo("The day must fall between 2000 and 2100; 9999-12-31 looks like a typo in the year."));
        Assert.That(Count("non_working_days"), Is.EqualTo(before));
        var ok = await admin.PostAsJsonAsync("/api/calendar/non-working-days", new { day = "2100-12-24", reason = "HG 1/2100" });
        Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.Created), await ok.Content.ReadAsStringAsync());
    }

    [TestCase("\u0000", "NUL")]
    [TestCase("\u001B[2J", "ESC (an ANSI escape)")]
    [TestCase("\u0007", "U+0007")]
    [TestCase("\u007F", "DEL")]
    [TestCase("\u009B", "U+009B")]
    public async Task A_control_character_in_any_text_field_is_refused_and_nothing_is_written(string control, string named)
    {
        var citizen = await Clerk.RegisterCitizen();
        var timeline = Count("timeline");
        var cases = Count("cases");
        var citizens = Count("citizens");

        var interaction = await (await Clerk.PostAsJsonAsync($"/api/citizens/{citizen.Id}/interactions",
            new { type = "call_note", channel = "phone", summary = $"Asked{control} about parking" })).AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(interaction.GetProperty("errors").GetProperty("summary")[0].GetString(), Does.StartWith(
            $"The text holds an invisible control character ({named}) at character 6; remove it"));

        var petition = await (await Clerk.PostAsJsonAsync("/api/cases",
            new { kind = "petition", channel = "desk", citizenId = citizen.Id, subject = "Groapă", description = $"Pe strada{control} Unirii" }))
            .AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(petition.ErrorFields(), Is.EqualTo(new[] { "description" }));

        // Nested records and lists are checked too: the citizen's details, their phone numbers.
        var registration = await (await Clerk.PostAsJsonAsync("/api/citizens",
            new { nationalId = TestData.NewCnp(), firstName = $"Ion{control}", lastName = "Popescu", phones = new[] { $"07{control}22" } }))
            .AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(registration.ErrorFields(), Is.EquivalentTo(new[] { "details.firstName", "details.phones[0]", "phones[0]" }));

        Assert.That(Count("timeline"), Is.EqualTo(timeline));
        Assert.That(Count("cases"), Is.EqualTo(cases));
        Assert.That(Count("citizens"), Is.EqualTo(citizens));
    }

    [Test]
    public async Task Line_breaks_and_tabs_are_kept_in_notes_but_refused_in_a_one_line_summary()
    {
        var citizen = await Clerk.RegisterCitizen();

        var ok = await Clerk.PostAsJsonAsync($"/api/citizens/{citizen.Id}/interactions",
            new { type = "call_note", channel = "phone", summary = "Asked about parking", notes = "Line one\r\nLine two\tindented" });
        Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.Created), await ok.Content.ReadAsStringAsync());

        var problem = await (await Clerk.PostAsJsonAsync($"/api/citizens/{citizen.Id}/interactions",
            new { type = "call_note", channel = "phone", summary = "Asked about\nparking" })).AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").GetProperty("summary")[0].GetString(),
            Is.EqualTo("This field takes one line: remove the line break at character 12."));
    }

    [Test]
    public async Task A_lone_surrogate_escaped_in_json_is_refused()
    {
        var citizen = await Clerk.RegisterCitizen();
        var body = Encoding.UTF8.GetBytes("{\"type\":\"call_note\",\"channel\":\"phone\",\"summary\":\"broken \\ud800 text\"}");
        var response = await PostJsonBytes(Clerk, $"/api/citizens/{citizen.Id}/interactions", body, "application/json");
        await response.AssertProblem(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task Invalid_utf8_bytes_are_refused_not_silently_replaced()
    {
        var citizen = await Clerk.RegisterCitizen();
        var timeline = Count("timeline");
        var body = Encoding.UTF8.GetBytes("{\"type\":\"call_note\",\"channel\":\"phone\",\"summary\":\"Vizit\u0103 XX\"}");
        var at = Array.IndexOf(body, (byte)'X');
        body[at] = 0xC3; // a lead byte followed by 'X' is not UTF-8
        body[at + 1] = (byte)'(';

        var problem = await (await PostJsonBytes(Clerk, $"/api/citizens/{citizen.Id}/interactions", body, "application/json"))
            .AssertProblem(HttpStatusCode.BadRequest);

        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("UTF-8"));
        Assert.That(Count("timeline"), Is.EqualTo(timeline));
    }

    [Test]
    public async Task Json_in_iso_8859_2_is_read_in_its_charset()
    {
        var citizen = await Clerk.RegisterCitizen();
        // ISO 8859-2 by hand (the test must not register the code pages itself): î = EE, ă = E3, Ł = A3, ó = F3, ź = BC.
        var body = Encoding.ASCII.GetBytes("{\"type\":\"desk_visit\",\"channel\":\"desk\",\"summary\":\"Cerere de ajutor pentru #nc#lzire, ##d#\"}");
        var latin2 = new Queue<byte>([0xEE, 0xE3, 0xA3, 0xF3, 0xBC]);
        body = body.Select(b => b == (byte)'#' ? latin2.Dequeue() : b).ToArray();

        var response = await PostJsonBytes(Clerk, $"/api/citizens/{citizen.Id}/interactions", body, "application/json; charset=iso-8859-2");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var e = await response.ReadJson<CitizenCrm.Core.Timeline.TimelineEvent>();
        Assert.That(e.Summary, Is.EqualTo("Cerere de ajutor pentru încălzire, Łódź"));
    }

    [Test]
    public async Task Json_in_an_unknown_charset_is_refused_with_415()
    {
        var citizen = await Clerk.RegisterCitizen();
        var body = Encoding.ASCII.GetBytes("{\"type\":\"desk_visit\",\"channel\":\"desk\",\"summary\":\"Visit\"}");

        var problem = await (await PostJsonBytes(Clerk, $"/api/citizens/{citizen.Id}/interactions", body, "application/json; charset=klingon-1"))
            .AssertProblem(HttpStatusCode.UnsupportedMediaType);

        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("charset=utf-8"));
    }

    [TestCase("multipart/form-data; boundary=xyz", "this is not a multipart body")]
    [TestCase("multipart/form-data", "no boundary at all")]
    [TestCase("multipart/form-data; boundary=xyz", "--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\ncut off")]
    public async Task A_revenue_import_whose_multipart_body_is_not_multipart_is_a_400(string contentType, string body)
    {
        var admin = await App.ClientFor(StaffRole.Admin);
        var content = new StringContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);

        var problem = await (await admin.PostAsync("/api/revenue/imports", content)).AssertProblem(HttpStatusCode.BadRequest);

        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("curl -F file=@export.csv"));
    }

    [Test]
    public async Task A_revenue_export_keeps_its_lines_but_a_nul_inside_is_refused_by_line_and_nothing_is_imported()
    {
        var admin = await App.ClientFor(StaffRole.Admin);
        var csv = "record_type,source_ref\r\ntax,T-1\r\ntax,T\u0000-2\r\n";

        var problem = await (await admin.PostAsync("/api/revenue/imports", new StringContent(csv, Encoding.UTF8, "text/csv")))
            .AssertProblem(HttpStatusCode.BadRequest);

        Assert.That(problem.GetProperty("errors").GetProperty("csv")[0].GetString(), Does.StartWith(
            "The text holds an invisible control character (NUL) at line 3, character 6; remove it"));
        Assert.That(Count("tax_obligations"), Is.EqualTo(0));
    }
}
