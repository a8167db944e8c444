using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Infrastructure;

namespace CitizenCrm.Tests.DataProtection.Requests;

public sealed class DataRequestTests
{
    private sealed record NoticeRow
    {
        public string Kind { get; init; } = "";
        public string Channel { get; init; } = "";
        public string Language { get; init; } = "";
        public string Recipient { get; init; } = "";
        public string? Subject { get; init; }
        public string Body { get; init; } = "";
        public string? CaseId { get; init; }
    }

    private const string Notices = """
        SELECT kind AS Kind, channel AS Channel, language AS Language, recipient AS Recipient, subject AS Subject, body AS Body, case_id AS CaseId
        FROM notifications WHERE citizen_id = @Citizen ORDER BY created_at
        """;

    [Test]
    public async Task A_request_received_on_31_January_is_due_on_28_February_and_two_more_months_run_to_30_April_with_a_notice_in_Hungarian()
    {
        using var desk = await DataRequestDesk.OpenAsync("2026-02-10 09:00");
        var citizen = await desk.CitizenAsync("Anna", "Kovács", email: "anna.kovacs@exemplu.ro", language: "hu");

        var request = await desk.RegisteredAsync(citizen, "access", "2026-01-31", "post");
        Assert.That(request.GetProperty("kind").GetString(), Is.EqualTo("access"));
        Assert.That(request.GetProperty("status").GetString(), Is.EqualTo("open"));
        Assert.That(request.GetProperty("receivedOn").GetString(), Is.EqualTo("2026-01-31"));
        Assert.That(request.GetProperty("dueOn").GetString(), Is.EqualTo("2026-02-28"));
        Assert.That(request.GetProperty("term").GetString(), Is.EqualTo("2026-02-28"));
        Assert.That(request.GetProperty("overdue").GetBoolean(), Is.False);
        Assert.That(request.GetProperty("registeredBy").GetString(), Is.EqualTo("test-supervisor"));
        var id = request.GetProperty("id").GetGuid();
        Assert.That(desk.Scalar("SELECT COUNT(*) FROM timeline WHERE kind = 'data_request.registered' AND citizen_id = @C AND channel = 'post' " +
                                "AND summary = 'Data-subject request (access, GDPR art. 15) received on 2026-01-31 by post; due by 2026-02-28'",
            new { C = DataRequestDesk.Db(citizen) }), Is.EqualTo(1));

        var extended = await desk.ExtendAsync(id, 2, "A kérelem 14 papíron archivált ügyiratot érint.");
        Assert.That(extended.StatusCode, Is.EqualTo(HttpStatusCode.OK), await extended.Content.ReadAsStringAsync());
        var body = await extended.ReadJson<JsonElement>();
        Assert.That(body.GetProperty("request").GetProperty("extendedTo").GetString(), Is.EqualTo("2026-04-30"));
        Assert.That(body.GetProperty("request").GetProperty("term").GetString(), Is.EqualTo("2026-04-30"));
        Assert.That(body.GetProperty("request").GetProperty("dueOn").GetString(), Is.EqualTo("2026-02-28"));
        Assert.That(body.GetProperty("request").GetProperty("extensionReason").GetString(), Is.EqualTo("A kérelem 14 papíron archivált ügyiratot érint."));
        Assert.That(body.GetProperty("request").GetProperty("extensionNotifiedAt").ValueKind, Is.EqualTo(JsonValueKind.String));
        Assert.That(body.GetProperty("noticeVia").GetString(), Is.EqualTo("email"));
        Assert.That(body.GetProperty("message").GetString(), Is.EqualTo("Extended to 2026-04-30. The citizen is told by e-mail."));

        var notice = desk.Query<NoticeRow>(Notices, new { Citizen = DataRequestDesk.Db(citizen) }).Single();
        Assert.That(notice.Kind, Is.EqualTo("request_extended"));
        Assert.That(notice.Channel, Is.EqualTo("email"));
        Assert.That(notice.Language, Is.EqualTo("hu"));
        Assert.That(notice.Recipient, Is.EqualTo("anna.kovacs@exemplu.ro"));
        Assert.That(notice.CaseId, Is.Null);
        Assert.That(notice.Subject, Is.EqualTo("Meghosszabbított határidő a személyes adataira vonatkozó kérelmében"));
        Assert.That(notice.Body, Is.EqualTo("""
            Tisztelt Kovács Anna!

            A(z) 2026.01.31. napon beérkezett, a személyes adatai megismerésére vonatkozó kérelme több időt igényel. Az (EU) 2016/679 rendelet (GDPR) 12. cikk (3) bekezdése alapján a válaszadási határidő: 2026.04.30.
            Indoklás: A kérelem 14 papíron archivált ügyiratot érint.

            Adatvédelmi tisztviselő, Polgármesteri Hivatal
            """.ReplaceLineEndings("\n")));
        Assert.That(desk.Scalar("SELECT COUNT(*) FROM timeline WHERE kind = 'data_request.extended' AND citizen_id = @C " +
                                "AND summary = 'Data-subject request (access, GDPR art. 15) extended by 2 months to 2026-04-30; notice queued by e-mail'",
            new { C = DataRequestDesk.Db(citizen) }), Is.EqualTo(1));
    }

    [Test]
    public async Task A_term_is_extended_once_only()
    {
        using var desk = await DataRequestDesk.OpenAsync("2026-03-05 11:00");
        var citizen = await desk.CitizenAsync(email: "ion.popescu@exemplu.ro");
        var id = (await desk.RegisteredAsync(citizen, "erasure", "2026-03-02")).GetProperty("id").GetGuid();
        var first = await desk.ExtendAsync(id, 1);
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK), await first.Content.ReadAsStringAsync());
        Assert.That((await first.ReadJson<JsonElement>()).GetProperty("request").GetProperty("extendedTo").GetString(), Is.EqualTo("2026-05-02"));

        var again = await (await desk.ExtendAsync(id, 1)).AssertProblem(HttpStatusCode.Conflict);
        Assert.That(again.GetProperty("detail").GetString(),
            Is.EqualTo("The term of this request was already extended, to 2026-05-02; the law allows one extension only (GDPR art. 12(3)). Answer it by then."));
        Assert.That(desk.Scalar("SELECT COUNT(*) FROM notifications WHERE citizen_id = @C", new { C = DataRequestDesk.Db(citizen) }), Is.EqualTo(1));
        Assert.That(desk.Scalar("SELECT COUNT(*) FROM timeline WHERE kind = 'data_request.extended'"), Is.EqualTo(1));
    }

    [Test]
    public async Task After_the_first_month_ended_the_term_can_no_longer_be_extended()
    {
        using var desk = await DataRequestDesk.OpenAsync("2026-01-31 10:00");
        var citizen = await desk.CitizenAsync(email: "ion.popescu@exemplu.ro");
        var id = (await desk.RegisteredAsync(citizen)).GetProperty("id").GetGuid();
        await desk.SetLocalTimeAsync("2026-03-01 00:10"); // ten minutes into the day after the term, in Bucharest

        var late = await (await desk.ExtendAsync(id, 2)).AssertProblem(HttpStatusCode.Conflict);
        Assert.That(late.GetProperty("title").GetString(), Is.EqualTo("Too late to extend"));
        Assert.That(late.GetProperty("detail").GetString(), Does.StartWith("The first month of this request ended on 2026-02-28."));
        var read = await desk.Supervisor.GetFromJsonAsync<JsonElement>($"/api/data-requests/{id}", Json.Options);
        Assert.That(read.GetProperty("extendedTo").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(read.GetProperty("overdue").GetBoolean(), Is.True);
        Assert.That(desk.Scalar("SELECT COUNT(*) FROM notifications"), Is.EqualTo(0));
    }

    [Test]
    public async Task On_the_last_day_of_the_first_month_the_term_is_still_extended()
    {
        using var desk = await DataRequestDesk.OpenAsync("2026-01-31 10:00");
        var citizen = await desk.CitizenAsync(phone: "+40745123456");
        var id = (await desk.RegisteredAsync(citizen)).GetProperty("id").GetGuid();
        await desk.SetLocalTimeAsync("2026-02-28 23:30");

        var extended = await desk.ExtendAsync(id, 1, "Multe documente în arhivă.");
        Assert.That(extended.StatusCode, Is.EqualTo(HttpStatusCode.OK), await extended.Content.ReadAsStringAsync());
        var body = await extended.ReadJson<JsonElement>();
        Assert.That(body.GetProperty("request").GetProperty("extendedTo").GetString(), Is.EqualTo("2026-03-31"));
        Assert.That(body.GetProperty("noticeVia").GetString(), Is.EqualTo("sms"));
        var sms = desk.Query<NoticeRow>(Notices, new { Citizen = DataRequestDesk.Db(citizen) }).Single();
        Assert.That(sms.Channel, Is.EqualTo("sms"));
        Assert.That(sms.Language, Is.EqualTo("ro"));
        Assert.That(sms.Recipient, Is.EqualTo("+40745123456"));
        Assert.That(sms.Subject, Is.Null);
        Assert.That(sms.Body, Is.EqualTo("Primaria: termenul de raspuns la cererea dvs. privind datele personale, primita pe 31.01.2026, a fost prelungit pana la 31.03.2026 (GDPR art. 12)."));
    }

    [Test]
    public async Task A_citizen_without_email_or_mobile_is_told_by_post_and_the_extension_is_still_recorded()
    {
        using var desk = await DataRequestDesk.OpenAsync("2026-04-02 12:00");
        var citizen = await desk.CitizenAsync(phone: "+40258811234"); // a landline in Alba Iulia takes no SMS
        var id = (await desk.RegisteredAsync(citizen, "access", "2026-04-01", "email")).GetProperty("id").GetGuid();

        var extended = await desk.ExtendAsync(id, 2);
        Assert.That(extended.StatusCode, Is.EqualTo(HttpStatusCode.OK), await extended.Content.ReadAsStringAsync());
        var body = await extended.ReadJson<JsonElement>();
        Assert.That(body.GetProperty("noticeVia").GetString(), Is.EqualTo("post"));
        Assert.That(body.GetProperty("notificationId").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(body.GetProperty("message").GetString(), Is.EqualTo(
            "Extended to 2026-07-01. The citizen has no e-mail address or mobile number on record: tell them by post, with the reason, by 2026-05-01 (GDPR art. 12(3))."));
        Assert.That(body.GetProperty("request").GetProperty("extendedTo").GetString(), Is.EqualTo("2026-07-01"));
        Assert.That(body.GetProperty("request").GetProperty("extensionNotifiedAt").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(desk.Scalar("SELECT COUNT(*) FROM notifications"), Is.EqualTo(0));
        Assert.That(desk.Scalar("SELECT COUNT(*) FROM timeline WHERE kind = 'data_request.extended' AND summary LIKE '%the citizen must be told by post'"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_refused_request_is_closed_with_its_reason_and_cannot_be_refused_extended_or_exported_again()
    {
        using var desk = await DataRequestDesk.OpenAsync("2026-05-04 09:30");
        var citizen = await desk.CitizenAsync();
        var id = (await desk.RegisteredAsync(citizen)).GetProperty("id").GetGuid();

        var refused = await desk.Supervisor.PostAsJsonAsync($"/api/data-requests/{id}/refuse",
            new { reason = "A patra cerere identică în această lună (GDPR art. 12(5)): vi s-a răspuns pe 2026-04-28." });
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.OK), await refused.Content.ReadAsStringAsync());
        var body = await refused.ReadJson<JsonElement>();
        Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("refused"));
        Assert.That(body.GetProperty("outcome").GetString(), Is.EqualTo("Refused: A patra cerere identică în această lună (GDPR art. 12(5)): vi s-a răspuns pe 2026-04-28."));
        Assert.That(body.GetProperty("completedBy").GetString(), Is.EqualTo("test-supervisor"));
        Assert.That(body.GetProperty("overdue").GetBoolean(), Is.False);
        Assert.That(desk.Scalar("SELECT COUNT(*) FROM timeline WHERE kind = 'data_request.refused' AND citizen_id = @C " +
                                "AND summary = 'Data-subject request (access, GDPR art. 15) received on 2026-05-04 refused'",
            new { C = DataRequestDesk.Db(citizen) }), Is.EqualTo(1));

        await (await desk.Supervisor.PostAsJsonAsync($"/api/data-requests/{id}/refuse", new { reason = "din nou" })).AssertProblem(HttpStatusCode.Conflict);
        await (await desk.ExtendAsync(id, 1)).AssertProblem(HttpStatusCode.Conflict);
        var export = await (await desk.ExportAsync(id)).AssertProblem(HttpStatusCode.Conflict);
        Assert.That(export.GetProperty("title").GetString(), Is.EqualTo("Request refused"));
        Assert.That(desk.Scalar("SELECT COUNT(*) FROM audit_log WHERE query = 'ExportCitizenData'"), Is.EqualTo(0));
    }

    [Test]
    public async Task Bad_registrations_say_what_to_do()
    {
        using var desk = await DataRequestDesk.OpenAsync("2026-06-15 10:00");
        var citizen = await desk.CitizenAsync();

        var unknown = await (await desk.RegisterAsync(Guid.Parse("0b6c5f5e-9d1c-4c55-9a51-2b0f3c3a7d10"))).AssertProblem(HttpStatusCode.NotFound);
        Assert.That(unknown.GetProperty("detail").GetString(), Is.EqualTo("No citizen with id 0b6c5f5e-9d1c-4c55-9a51-2b0f3c3a7d10 exists."));
        var future = await (await desk.RegisterAsync(citizen, receivedOn: "2026-06-16")).AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(future.ErrorFields(), Is.EqualTo(new[] { "receivedOn" }));
        var tooOld = await (await desk.RegisterAsync(citizen, receivedOn: "2026-03-14")).AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(tooOld.GetProperty("errors").GetProperty("receivedOn")[0].GetString(),
            Is.EqualTo("2026-03-14 is more than 3 months ago, past any term the law allows (GDPR art. 12(3)); check the date on the request."));
        var fields = await (await desk.Supervisor.PostAsJsonAsync($"/api/citizens/{citizen}/data-requests", new { kind = "rectification", channel = "fax" }))
            .AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(fields.ErrorFields(), Is.EquivalentTo(new[] { "kind", "channel" }));

        // Three months back to the day is still a request someone may have found late: registered, and already overdue.
        var late = await desk.RegisteredAsync(citizen, "access", "2026-03-15", "post");
        Assert.That(late.GetProperty("dueOn").GetString(), Is.EqualTo("2026-04-15"));
        Assert.That(late.GetProperty("overdue").GetBoolean(), Is.True);

        using (var db = desk.App.OpenDatabase())
        {
            using var erase = db.CreateCommand();
            erase.CommandText = "UPDATE citizens SET erased_at = 1781000000000 WHERE id = @id";
            erase.Parameters.AddWithValue("@id", DataRequestDesk.Db(citizen));
            erase.ExecuteNonQuery();
        }
        var erased = await (await desk.RegisterAsync(citizen)).AssertProblem(HttpStatusCode.Conflict);
        Assert.That(erased.GetProperty("title").GetString(), Is.EqualTo("Citizen erased"));
        Assert.That(desk.Scalar("SELECT COUNT(*) FROM data_subject_requests"), Is.EqualTo(1));
    }

    [Test]
    public async Task The_register_lists_open_requests_first_by_term_with_the_late_ones_flagged()
    {
        using var desk = await DataRequestDesk.OpenAsync("2026-06-15 10:00");
        var ana = await desk.CitizenAsync("Ana", "Mureșan");
        var ion = await desk.CitizenAsync("Ion", "Pop");
        var laterTerm = (await desk.RegisteredAsync(ana, "access", "2026-06-10")).GetProperty("id").GetGuid();
        var overdue = (await desk.RegisteredAsync(ion, "erasure", "2026-05-01", "post")).GetProperty("id").GetGuid();
        var refused = (await desk.RegisteredAsync(ion, "access", "2026-06-01")).GetProperty("id").GetGuid();
        var soonest = (await desk.RegisteredAsync(ana, "erasure", "2026-05-20", "web")).GetProperty("id").GetGuid();
        (await desk.Supervisor.PostAsJsonAsync($"/api/data-requests/{refused}/refuse", new { reason = "Cerere repetată" })).EnsureSuccessStatusCode();

        var all = (await desk.Supervisor.GetFromJsonAsync<JsonElement[]>("/api/data-requests", Json.Options))!;
        Assert.That(all.Select(r => r.GetProperty("id").GetGuid()), Is.EqualTo(new[] { overdue, soonest, laterTerm, refused }));
        Assert.That(all.Select(r => r.GetProperty("overdue").GetBoolean()), Is.EqualTo(new[] { true, false, false, false }));
        Assert.That(all.Select(r => r.GetProperty("term").GetString()), Is.EqualTo(new[] { "2026-06-01", "2026-06-20", "2026-07-10", "2026-07-01" }));

        var open = await desk.Supervisor.GetFromJsonAsync<JsonElement[]>("/api/data-requests?status=open", Json.Options);
        Assert.That(open!.Select(r => r.GetProperty("id").GetGuid()), Is.EqualTo(new[] { overdue, soonest, laterTerm }));
        var ions = await desk.Supervisor.GetFromJsonAsync<JsonElement[]>($"/api/data-requests?citizenId={ion}", Json.Options);
        Assert.That(ions!.Select(r => r.GetProperty("id").GetGuid()), Is.EqualTo(new[] { overdue, refused }));
        await (await desk.Supervisor.GetAsync("/api/data-requests?status=late")).AssertProblem(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task Only_supervisors_handle_requests_and_an_unknown_request_is_404()
    {
        using var desk = await DataRequestDesk.OpenAsync("2026-06-15 10:00");
        var citizen = await desk.CitizenAsync();
        var id = (await desk.RegisteredAsync(citizen)).GetProperty("id").GetGuid();

        Assert.That((await desk.Clerk.PostAsJsonAsync($"/api/citizens/{citizen}/data-requests", new { kind = "access", channel = "desk" })).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await desk.Clerk.GetAsync("/api/data-requests")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await desk.Clerk.PostAsJsonAsync($"/api/data-requests/{id}/extend", new { months = 1, reason = "x" })).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await desk.Clerk.PostAsync($"/api/data-requests/{id}/export", null)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var dispatcher = await desk.App.ClientFor(StaffRole.Dispatcher);
        Assert.That((await dispatcher.GetAsync($"/api/data-requests/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        const string nobody = "0b6c5f5e-9d1c-4c55-9a51-2b0f3c3a7d19";
        var missing = await (await desk.Supervisor.GetAsync($"/api/data-requests/{nobody}")).AssertProblem(HttpStatusCode.NotFound);
        Assert.That(missing.GetProperty("detail").GetString(), Is.EqualTo($"No data-subject request with id {nobody} exists."));
        await (await desk.ExtendAsync(Guid.Parse(nobody), 1)).AssertProblem(HttpStatusCode.NotFound);
        await (await desk.Supervisor.PostAsJsonAsync($"/api/data-requests/{nobody}/refuse", new { reason = "x" })).AssertProblem(HttpStatusCode.NotFound);
        await (await desk.ExportAsync(Guid.Parse(nobody))).AssertProblem(HttpStatusCode.NotFound);
        var months = await (await desk.ExtendAsync(id, 3)).AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(months.ErrorFields(), Is.EqualTo(new[] { "months" }));
    }
}
