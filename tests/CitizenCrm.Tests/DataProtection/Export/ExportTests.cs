using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.DataProtection.Requests;
using CitizenCrm.Tests.Infrastructure;

namespace CitizenCrm.Tests.DataProtection.Export;

public sealed class ExportTests
{
    [Test]
    public async Task An_access_request_is_answered_with_the_whole_record_unmasked_without_secrets_audited_and_on_the_timeline()
    {
        using var desk = await DataRequestDesk.OpenAsync("2026-03-02 10:00");
        var cnp = TestData.NewCnp(sex: 2, birth: new DateOnly(1979, 5, 14));
        var citizen = await desk.CitizenAsync("Maria", "Ionescu", email: "maria.ionescu@exemplu.ro", phone: "+40745998877", cnp: cnp);
        (await desk.Clerk.PostAsync($"/api/citizens/{citizen}/phone-pin", null)).EnsureSuccessStatusCode();
        var petition = await (await desk.Clerk.PostAsJsonAsync("/api/cases",
            new { kind = "petition", channel = "desk", subject = "Groapă în asfalt pe strada Teilor", citizenId = citizen })).ReadJson<JsonElement>();
        var caseId = petition.GetProperty("id").GetGuid();
        var upload = new ByteArrayContent("%PDF-1.4\n%cerere\n"u8.ToArray());
        upload.Headers.ContentType = new("application/pdf");
        (await desk.Clerk.PostAsync($"/api/cases/{caseId}/documents?fileName=cerere.pdf", upload)).EnsureSuccessStatusCode();
        (await desk.Clerk.GetAsync($"/api/citizens/{citizen}")).EnsureSuccessStatusCode(); // a staff read, audited
        var request = (await desk.RegisteredAsync(citizen, "access", "2026-02-27", "email")).GetProperty("id").GetGuid();
        await desk.SetLocalTimeAsync("2026-03-03 11:30");

        var response = await desk.ExportAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        Assert.That(response.Content.Headers.ContentDisposition?.DispositionType, Is.EqualTo("attachment"));
        Assert.That(response.Content.Headers.ContentDisposition?.FileName, Is.EqualTo($"date-personale-{citizen}-2026-03-03.json"));
        Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
        var export = JsonDocument.Parse(text).RootElement;

        Assert.That(export.GetProperty("format").GetString(), Is.EqualTo("citizencrm-subject-access/1"));
        Assert.That(export.GetProperty("generatedBy").GetString(), Is.EqualTo("test-supervisor"));
        Assert.That(export.GetProperty("controller").GetString(), Is.EqualTo("Primăria Municipiului Alba Iulia"));
        var identity = export.GetProperty("identity");
        Assert.That(identity.GetProperty("nationalId").GetString(), Is.EqualTo(cnp), "the full CNP: it is the citizen's own");
        Assert.That(identity.GetProperty("firstName").GetString(), Is.EqualTo("Maria"));
        Assert.That(identity.GetProperty("lastName").GetString(), Is.EqualTo("Ionescu"));
        Assert.That(identity.GetProperty("address").GetString(), Is.EqualTo("Str. Teilor nr. 4, Alba Iulia"));
        Assert.That(identity.GetProperty("phones").EnumerateArray().Select(p => p.GetString()), Is.EqualTo(new[] { "+40745998877" }));
        Assert.That(identity.GetProperty("emails").EnumerateArray().Select(p => p.GetString()), Is.EqualTo(new[] { "maria.ionescu@exemplu.ro" }));
        Assert.That(identity.GetProperty("phonePinIssued").GetBoolean(), Is.True);
        Assert.That(identity.GetProperty("phonePinIssuedAt").GetDateTimeOffset(), Is.EqualTo(DataRequestDesk.AtBucharest("2026-03-02 10:00")));
        var pinHash = desk.Query<string>("SELECT pin_hash FROM citizens WHERE id = @C", new { C = DataRequestDesk.Db(citizen) }).Single();
        Assert.That(pinHash, Is.Not.Empty);
        Assert.That(text, Does.Not.Contain(pinHash).And.Not.Contain("pinHash").And.Not.Contain("access_code_hash").And.Not.Contain("cnpKey"));

        var theCase = export.GetProperty("cases").EnumerateArray().Single();
        Assert.That(theCase.GetProperty("id").GetGuid(), Is.EqualTo(caseId));
        Assert.That(theCase.GetProperty("registrationNumber").GetString(), Is.EqualTo("1/2026"));
        Assert.That(theCase.GetProperty("yourPart").GetString(), Is.EqualTo("party"));
        Assert.That(theCase.GetProperty("subject").GetString(), Is.EqualTo("Groapă în asfalt pe strada Teilor"));
        Assert.That(theCase.GetProperty("dueOn").GetString(), Is.EqualTo("2026-04-01"));
        var document = theCase.GetProperty("documents").EnumerateArray().Single();
        Assert.That(document.GetProperty("name").GetString(), Is.EqualTo("cerere.pdf"));
        Assert.That(document.GetProperty("type").GetString(), Is.EqualTo("application/pdf"));
        Assert.That(document.GetProperty("sizeBytes").GetInt64(), Is.EqualTo(17));
        Assert.That(document.TryGetProperty("content", out _), Is.False, "listed, not the bytes");

        var kinds = export.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.That(kinds, Is.SupersetOf(new[] { "citizen.registered", "citizen.phone_pin_issued", "case.registered", "data_request.registered", "citizen.data_exported" }));
        var reads = export.GetProperty("readsOfYourRecord").EnumerateArray()
            .Select(r => $"{r.GetProperty("actor").GetString()} {r.GetProperty("actorRole").GetString()} {r.GetProperty("query").GetString()}").ToList();
        Assert.That(reads, Does.Contain("test-clerk clerk GetCitizen"));
        Assert.That(reads[^1], Is.EqualTo("test-supervisor supervisor ExportCitizenData"), "the export shows its own reading");
        var asked = export.GetProperty("dataSubjectRequests").EnumerateArray().Single();
        Assert.That(asked.GetProperty("status").GetString(), Is.EqualTo("completed"));
        Assert.That(asked.GetProperty("outcome").GetString(), Is.EqualTo("Copy of the personal data held delivered as JSON on 2026-03-03 (GDPR art. 15, 20)"));
        Assert.That(export.GetProperty("erasure").ValueKind, Is.EqualTo(JsonValueKind.Null));

        var completed = await desk.Supervisor.GetFromJsonAsync<JsonElement>($"/api/data-requests/{request}", Json.Options);
        Assert.That(completed.GetProperty("status").GetString(), Is.EqualTo("completed"));
        Assert.That(completed.GetProperty("completedBy").GetString(), Is.EqualTo("test-supervisor"));
        Assert.That(desk.Scalar("SELECT COUNT(*) FROM audit_log WHERE query = 'ExportCitizenData' AND citizen_id = @C AND actor = 'test-supervisor' " +
                                "AND endpoint = 'POST /api/data-requests/{id:guid}/export'", new { C = DataRequestDesk.Db(citizen) }), Is.EqualTo(1));
        Assert.That(desk.Scalar("SELECT COUNT(*) FROM timeline WHERE kind = 'citizen.data_exported' AND citizen_id = @C AND summary = " +
                                "'Copy of the citizen''s data exported as JSON, answering the access request received on 2026-02-27'",
            new { C = DataRequestDesk.Db(citizen) }), Is.EqualTo(1));
        Assert.That(desk.Scalar("SELECT COUNT(*) FROM timeline WHERE kind = 'citizen.data_exported' AND (summary LIKE '%Maria%' OR summary LIKE '%Ionescu%' OR summary LIKE @Cnp)",
            new { Cnp = $"%{cnp}%" }), Is.EqualTo(0), "the event's summary names no one");
        Assert.That(desk.Scalar("SELECT COUNT(*) FROM idempotency_keys WHERE response_json LIKE @Cnp", new { Cnp = $"%{cnp}%" }), Is.EqualTo(0));
    }

    [Test]
    public async Task A_completed_access_request_may_be_downloaded_again_and_each_download_is_audited()
    {
        using var desk = await DataRequestDesk.OpenAsync("2026-03-02 10:00");
        var citizen = await desk.CitizenAsync();
        var request = (await desk.RegisteredAsync(citizen)).GetProperty("id").GetGuid();
        (await desk.ExportAsync(request)).EnsureSuccessStatusCode();
        await desk.SetLocalTimeAsync("2026-03-20 15:00");

        var again = await desk.ExportAsync(request, "html");
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK), await again.Content.ReadAsStringAsync());
        var read = await desk.Supervisor.GetFromJsonAsync<JsonElement>($"/api/data-requests/{request}", Json.Options);
        Assert.That(read.GetProperty("outcome").GetString(), Is.EqualTo("Copy of the personal data held delivered as JSON on 2026-03-02 (GDPR art. 15, 20)"),
            "the request was answered by the first export");
        Assert.That(read.GetProperty("completedAt").GetDateTimeOffset(), Is.EqualTo(DataRequestDesk.AtBucharest("2026-03-02 10:00")));
        Assert.That(desk.Scalar("SELECT COUNT(*) FROM audit_log WHERE query = 'ExportCitizenData' AND citizen_id = @C", new { C = DataRequestDesk.Db(citizen) }), Is.EqualTo(2));
        Assert.That(desk.Query<string>("SELECT summary FROM timeline WHERE kind = 'citizen.data_exported' ORDER BY seq"), Is.EqualTo(new[]
        {
            "Copy of the citizen's data exported as JSON, answering the access request received on 2026-03-02",
            "Copy of the citizen's data exported again as HTML (access request received on 2026-03-02)",
        }));
    }

    [Test]
    public async Task A_retried_export_with_the_same_key_is_told_to_export_again_and_nothing_is_kept_for_it()
    {
        using var desk = await DataRequestDesk.OpenAsync("2026-03-02 10:00");
        var citizen = await desk.CitizenAsync("Maria", "Ionescu");
        var request = (await desk.RegisteredAsync(citizen)).GetProperty("id").GetGuid();
        HttpRequestMessage Export() => new(HttpMethod.Post, $"/api/data-requests/{request}/export?format=json") { Headers = { { "Idempotency-Key", "export-1" } } };

        Assert.That((await desk.Supervisor.SendAsync(Export())).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var retry = await (await desk.Supervisor.SendAsync(Export())).AssertProblem(HttpStatusCode.Conflict);

        Assert.That(retry.GetProperty("detail").GetString(), Is.EqualTo("This request was already carried out. The export was delivered then and is not kept " +
            "(it would be a second copy of the whole record). To have it again, export again without this Idempotency-Key, or with a new one."));
        Assert.That((await desk.ExportAsync(request)).StatusCode, Is.EqualTo(HttpStatusCode.OK), "a new export is always allowed");
    }

    [Test]
    public async Task The_readable_page_escapes_what_the_record_holds_and_runs_no_script()
    {
        using var desk = await DataRequestDesk.OpenAsync("2026-03-02 10:00");
        var citizen = await desk.CitizenAsync("<script>alert('x')</script>", "O'Brien & <b>Fiii</b>");
        var request = (await desk.RegisteredAsync(citizen)).GetProperty("id").GetGuid();

        var response = await desk.ExportAsync(request, "html");
        var html = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), html);
        Assert.That(response.Content.Headers.ContentType?.ToString(), Is.EqualTo("text/html; charset=utf-8"));
        Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Is.EqualTo("default-src 'none'; style-src 'unsafe-inline'"));
        Assert.That(html, Does.StartWith("<!DOCTYPE html>\n<html lang=\"ro\">"));
        Assert.That(html, Does.Contain("<th>firstName</th><td>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</td>"));
        Assert.That(html, Does.Contain("<th>lastName</th><td>O&#39;Brien &amp; &lt;b&gt;Fiii&lt;/b&gt;</td>"));
        Assert.That(html, Does.Not.Contain("<script").And.Not.Contain("<b>"));
        Assert.That(html, Does.Contain("Identitate și date de contact"));
        Assert.That(desk.Scalar("SELECT COUNT(*) FROM audit_log WHERE query = 'ExportCitizenData'"), Is.EqualTo(1));
    }

    [Test]
    public async Task An_erasure_request_is_not_answered_by_an_export_and_a_wrong_format_is_refused()
    {
        using var desk = await DataRequestDesk.OpenAsync("2026-03-02 10:00");
        var citizen = await desk.CitizenAsync();
        var erasure = (await desk.RegisteredAsync(citizen, "erasure")).GetProperty("id").GetGuid();
        var problem = await (await desk.ExportAsync(erasure)).AssertProblem(HttpStatusCode.Conflict);
        Assert.That(problem.GetProperty("title").GetString(), Is.EqualTo("Use erase"));
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("POST /api/data-requests/{id}/erase"));

        var access = (await desk.RegisteredAsync(citizen)).GetProperty("id").GetGuid();
        var format = await (await desk.ExportAsync(access, "pdf")).AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(format.ErrorFields(), Is.EqualTo(new[] { "format" }));
        Assert.That(desk.Scalar("SELECT COUNT(*) FROM audit_log WHERE query = 'ExportCitizenData'"), Is.EqualTo(0));
        Assert.That(desk.Scalar("SELECT COUNT(*) FROM data_subject_requests WHERE status = 'open'"), Is.EqualTo(2));
    }
}
