using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Notifications;
using CitizenCrm.Tests.Cases;
using CitizenCrm.Tests.Infrastructure;
using CitizenCrm.Tests.Jobs;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace CitizenCrm.Tests.Notifications;

/// <summary>
/// Notifications from the desk to the citizen's inbox or phone: the e-mail tests send to a real SMTP sink on loopback
/// (skipped with instructions when CITIZENCRM_SMTP is not set), SMS goes to a stand-in of Twilio's Messages endpoint.
/// Monday 2 March 2026, 10:00 in Bucharest: a petition registered then is due 30 days later, Wednesday 1 April 2026.
/// </summary>
public sealed class NotificationTests : TwilioStandInTest
{
    private static async Task<Guid> Citizen(RegistryDesk desk, string firstName, string lastName, string language, string? email = null, string? phone = null)
    {
        var response = await desk.Clerk.PostAsJsonAsync("/api/citizens", new
        {
            nationalId = TestData.NewCnp(), firstName, lastName, preferredLanguage = language,
            emails = email is null ? Array.Empty<string>() : [email],
            phones = phone is null ? Array.Empty<string>() : [phone],
        });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.ReadJson<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task<HttpClient> Admin(RegistryDesk desk) => await desk.App.ClientFor(StaffRole.Admin);

    private static string TextOf(MimeMessage m) => (m.TextBody ?? "").ReplaceLineEndings("\n").TrimEnd('\n');

    [Test]
    public async Task A_petition_registered_at_the_desk_is_acknowledged_by_email_in_Romanian_with_its_number_date_and_term()
    {
        var sink = SmtpSink.Require();
        using var desk = await NotificationDesk.OpenAsync(Twilio, sink);
        var address = NotificationDesk.NewAddress("ion");
        var citizen = await Citizen(desk, "Ion", "Popescu", "ro", email: address);
        var petition = await desk.Petition(citizen);
        Assert.That(petition.DueOn, Is.EqualTo(new DateOnly(2026, 4, 1)));

        var queued = desk.Notifications(petition.Id);
        Assert.That(queued.Select(n => (n.Kind, n.Channel, n.Status, n.Attempts)), Is.EqualTo(new[] { ("acknowledgement", "email", "pending", 0L) }),
            "the acknowledgement is in the outbox as soon as the registration committed");
        Assert.That(sink.MessagesTo(address), Is.Empty, "nothing leaves before the sender job runs");

        var admin = await Admin(desk);
        Assert.That(await JobRunner.SummaryOfRunAsync(admin, Sender), Is.EqualTo("1 sent, 0 to retry later, 0 given up"));

        var mail = sink.MessagesTo(address).Single();
        Assert.That(mail.Subject, Is.EqualTo("Înregistrare 1/2026: Groapă în asfalt pe strada Mihai Viteazul"));
        Assert.That(mail.From.Mailboxes.Single().Address, Is.EqualTo("registratura@primaria-exemplu.ro"));
        Assert.That(mail.MessageId, Is.EqualTo($"notification-{queued[0].NotificationId:N}@primaria-exemplu.ro"));
        Assert.That(TextOf(mail), Is.EqualTo("""
            Bună ziua, Ion Popescu,

            Solicitarea dumneavoastră „Groapă în asfalt pe strada Mihai Viteazul” a fost înregistrată la Primărie cu numărul 1/2026 din 02.03.2026.
            Termenul de răspuns este 01.04.2026.

            Vă rugăm să menționați numărul de înregistrare în orice corespondență.

            Registratura Primăriei
            """));
        var sent = desk.Notifications(petition.Id).Single();
        Assert.That((sent.Status, sent.Attempts, sent.ProviderId), Is.EqualTo(("sent", 1L, mail.MessageId)));
        Assert.That(await desk.HistoryKinds(petition.Id), Is.EqualTo(new[] { "case.registered", "notification.sent" }));

        Assert.That(await JobRunner.SummaryOfRunAsync(admin, Sender), Is.EqualTo("0 sent, 0 to retry later, 0 given up"));
        Assert.That(sink.MessagesTo(address), Has.Count.EqualTo(1), "a second run sends nothing again");
    }

    [Test]
    public async Task A_citizen_who_prefers_Hungarian_gets_the_acknowledgement_in_Hungarian_with_Hungarian_dates()
    {
        var sink = SmtpSink.Require();
        using var desk = await NotificationDesk.OpenAsync(Twilio, sink);
        var address = NotificationDesk.NewAddress("kovacs");
        var citizen = await Citizen(desk, "Anna", "Kovács", "hu", email: address);
        await desk.Petition(citizen, "Kátyú a Fő utcán");
        await JobRunner.RunAsync(await Admin(desk), Sender);

        var mail = sink.MessagesTo(address).Single();
        Assert.That(mail.Subject, Is.EqualTo("Iktatva 1/2026 számon: Kátyú a Fő utcán"));
        // Hungarian puts the family name first.
        Assert.That(TextOf(mail), Does.StartWith("Tisztelt Kovács Anna!\n\nA(z) „Kátyú a Fő utcán” tárgyú beadványát a Polgármesteri Hivatal " +
                                                 "2026.03.02. napon 1/2026 számon iktatta.\nA válaszadási határidő: 2026.04.01.\n"));
    }

    [Test]
    public async Task A_citizen_with_only_a_mobile_number_gets_the_acknowledgement_by_SMS_through_Twilio()
    {
        using var desk = await NotificationDesk.OpenAsync(Twilio, sink: null);
        var citizen = await Citizen(desk, "Maria", "Ionescu", "ro", phone: "0745 123 456");
        var petition = await desk.Petition(citizen);

        Assert.That(await JobRunner.SummaryOfRunAsync(await Admin(desk), Sender),
            Is.EqualTo("1 sent, 0 to retry later, 0 given up; not configured, left waiting: e-mail (Notifications:Email:Host)"));
        var sms = Twilio.Messages.Single();
        Assert.That(sms.Path, Is.EqualTo($"/2010-04-01/Accounts/{TwilioStandIn.AccountSid}/Messages.json"));
        Assert.That(sms.To, Is.EqualTo("+40745123456"));
        Assert.That(sms.From, Is.EqualTo(TwilioStandIn.From));
        Assert.That(sms.Body, Is.EqualTo("Primaria: solicitarea dvs. a fost inregistrata cu nr. 1/2026 din 02.03.2026. Termen de raspuns: 01.04.2026."));
        Assert.That(sms.Authorization, Is.EqualTo("Basic " + Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes($"{TwilioStandIn.AccountSid}:{TwilioStandIn.AuthToken}"))));
        var row = desk.Notifications(petition.Id).Single();
        Assert.That((row.Channel, row.Status, row.ProviderId), Is.EqualTo(("sms", "sent", sms.Sid)));
    }

    [Test]
    public async Task A_number_Twilio_refuses_as_invalid_fails_at_once_shows_in_the_dispatchers_list_and_can_be_sent_again()
    {
        using var desk = await NotificationDesk.OpenAsync(Twilio, sink: null);
        var citizen = await Citizen(desk, "Maria", "Ionescu", "ro", phone: TwilioStandIn.InvalidNumber);
        var petition = await desk.Petition(citizen);

        Assert.That(await JobRunner.SummaryOfRunAsync(await Admin(desk), Sender),
            Is.EqualTo("0 sent, 0 to retry later, 1 given up; not configured, left waiting: e-mail (Notifications:Email:Host)"));
        var row = desk.Notifications(petition.Id).Single();
        Assert.That((row.Status, row.Attempts), Is.EqualTo(("failed", 1L)), "a permanent refusal is not retried");
        Assert.That(row.FailedAt, Is.EqualTo(RegistryDesk.Local("2026-03-02 10:00").ToUnixTimeMilliseconds()));
        Assert.That(row.LastError, Is.EqualTo("Twilio refused the SMS (error 21211): The 'To' number (recipient) is not a valid phone number."),
            "the number is not repeated in the error a dispatcher reads");

        var dispatcher = await desk.App.ClientFor(StaffRole.Dispatcher);
        var failed = await dispatcher.GetFromJsonAsync<JsonElement>("/api/notifications?status=failed", Json.Options);
        Assert.That(failed.GetProperty("total").GetInt64(), Is.EqualTo(1));
        var shown = failed.GetProperty("notifications")[0];
        Assert.That(shown.GetProperty("recipientMasked").GetString(), Is.EqualTo("+407******00"));
        Assert.That(shown.GetProperty("caseNumber").GetString(), Is.EqualTo("1/2026"));
        Assert.That(shown.GetRawText(), Does.Not.Contain("745000000"));
        Assert.That(await desk.HistoryKinds(petition.Id), Is.EqualTo(new[] { "case.registered", "notification.failed" }));

        // The desk corrects the number (as a PUT of the citizen stores it); sent again, the notice goes to the new one.
        using (var db = desk.App.OpenDatabase())
        using (var fix = db.CreateCommand())
        {
            fix.CommandText = "UPDATE citizens SET phones = '[\"+40745123456\"]' WHERE id = @id";
            fix.Parameters.AddWithValue("@id", citizen);
            Assert.That(fix.ExecuteNonQuery(), Is.EqualTo(1));
        }
        var retried = await dispatcher.PostAsync($"/api/notifications/{row.NotificationId}/retry", null);
        Assert.That(retried.StatusCode, Is.EqualTo(HttpStatusCode.OK), await retried.Content.ReadAsStringAsync());
        Assert.That((await retried.Content.ReadFromJsonAsync<JsonElement>(Json.Options)).GetProperty("recipientMasked").GetString(), Is.EqualTo("+407******56"));
        Assert.That(desk.Notifications(petition.Id).Single().Status, Is.EqualTo("pending"));
        var again = await dispatcher.PostAsync($"/api/notifications/{row.NotificationId}/retry", null);
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "only a failed notification is retried");
        Assert.That(await desk.HistoryKinds(petition.Id), Is.EqualTo(new[] { "case.registered", "notification.failed", "notification.retried" }));
    }

    [Test]
    public async Task The_answer_sent_by_email_goes_out_with_its_document_attached()
    {
        var sink = SmtpSink.Require();
        using var desk = await NotificationDesk.OpenAsync(Twilio, sink);
        var address = NotificationDesk.NewAddress("ion");
        var citizen = await Citizen(desk, "Ion", "Popescu", "ro", email: address);
        var petition = await desk.Petition(citizen);
        var pdf = "%PDF-1.4\n%raspuns primarie\n%%EOF\n"u8.ToArray();
        var upload = new ByteArrayContent(pdf);
        upload.Headers.ContentType = new("application/pdf");
        var attached = await desk.Clerk.PostAsync($"/api/cases/{petition.Id}/documents?fileName=raspuns-1-2026.pdf", upload);
        Assert.That(attached.StatusCode, Is.EqualTo(HttpStatusCode.Created), await attached.Content.ReadAsStringAsync());
        var sha = (await attached.ReadJson<JsonElement>()).GetProperty("sha256").GetString();
        await desk.PostOk(petition.Id, "assign", new { department = "Urbanism" });
        await desk.PostOk(petition.Id, "answer", new
        {
            text = "Groapa a fost astupată pe 10 martie 2026.", legalBasis = "OG 27/2002", signedBy = "Primar Ion Ionescu",
            sentVia = "email", documentSha256 = sha,
        });

        Assert.That(await JobRunner.SummaryOfRunAsync(await Admin(desk), Sender), Is.EqualTo("2 sent, 0 to retry later, 0 given up"));
        var answer = sink.MessagesTo(address).Single(m => (m.Subject ?? "").StartsWith("Răspuns", StringComparison.Ordinal));
        Assert.That(answer.Subject, Is.EqualTo("Răspuns la 1/2026: Groapă în asfalt pe strada Mihai Viteazul"));
        Assert.That(TextOf(answer), Does.Contain("nr. 1/2026 din 02.03.2026 (număr de ieșire 2/2026).\n\nGroapa a fost astupată pe 10 martie 2026.\n\nTemei legal: OG 27/2002\nSemnat: Primar Ion Ionescu"));
        var attachment = answer.Attachments.OfType<MimePart>().Single();
        Assert.That(attachment.FileName, Is.EqualTo("raspuns-1-2026.pdf"));
        Assert.That(attachment.ContentType.MimeType, Is.EqualTo("application/pdf"));
        using var bytes = new MemoryStream();
        await attachment.Content!.DecodeToAsync(bytes);
        Assert.That(bytes.ToArray(), Is.EqualTo(pdf));
    }

    [Test]
    public async Task A_petition_forwarded_to_another_authority_brings_the_petitioner_a_notice_naming_it()
    {
        var sink = SmtpSink.Require();
        using var desk = await NotificationDesk.OpenAsync(Twilio, sink);
        var address = NotificationDesk.NewAddress("ion");
        var petition = await desk.Petition(await Citizen(desk, "Ion", "Popescu", "en", email: address));
        await desk.PostOk(petition.Id, "forward", new { forwardedTo = "Cluj County Council", noticeVia = "email" });
        await JobRunner.RunAsync(await Admin(desk), Sender);

        var notice = sink.MessagesTo(address).Single(m => (m.Subject ?? "").StartsWith("Petition", StringComparison.Ordinal));
        Assert.That(notice.Subject, Is.EqualTo("Petition 1/2026 forwarded to Cluj County Council"));
        Assert.That(TextOf(notice), Does.Contain("Your petition \"Groapă în asfalt pe strada Mihai Viteazul\", registered as number 1/2026 on 2 March 2026, " +
                                                 "is not within the City Hall's remit and has been forwarded to Cluj County Council"));
        Assert.That(desk.Notifications(petition.Id).Select(n => (n.Kind, n.Status)),
            Is.EquivalentTo(new[] { ("acknowledgement", "sent"), ("forwarded", "sent") }));
    }

    [Test]
    public async Task An_extended_term_is_announced_with_the_new_date_and_the_reason()
    {
        var sink = SmtpSink.Require();
        using var desk = await NotificationDesk.OpenAsync(Twilio, sink);
        var address = NotificationDesk.NewAddress("ion");
        var petition = await desk.Petition(await Citizen(desk, "Ion", "Popescu", "ro", email: address));
        // 30 + 15 = 45 days from 2 March 2026: Thursday 16 April 2026 (no holiday in between that day).
        var extended = await desk.PostOk(petition.Id, "extend", new { days = 15, reason = "Necesită o expertiză tehnică.", noticeVia = "post" });
        Assert.That(extended.DueOn, Is.EqualTo(new DateOnly(2026, 4, 16)));
        await JobRunner.RunAsync(await Admin(desk), Sender);

        var notice = sink.MessagesTo(address).Single(m => (m.Subject ?? "").StartsWith("Termen", StringComparison.Ordinal));
        Assert.That(notice.Subject, Is.EqualTo("Termen prelungit pentru 1/2026"));
        Assert.That(TextOf(notice), Does.Contain("Noul termen de răspuns este 16.04.2026.\nMotivul: Necesită o expertiză tehnică."));
    }

    [Test]
    public async Task A_mail_server_that_is_down_is_retried_with_doubling_waits_and_the_notice_goes_out_once_it_is_back()
    {
        var sink = SmtpSink.Require();
        using var port = new FlakySmtpPort(sink);
        using var desk = await NotificationDesk.OpenAsync(Twilio, sink, smtpPort: port.Port);
        var address = NotificationDesk.NewAddress("ion");
        var petition = await desk.Petition(await Citizen(desk, "Ion", "Popescu", "ro", email: address));
        var admin = await Admin(desk);
        var start = RegistryDesk.Local("2026-03-02 10:00").ToUnixTimeMilliseconds();

        Assert.That(await JobRunner.SummaryOfRunAsync(admin, Sender), Is.EqualTo("0 sent, 1 to retry later, 0 given up"));
        var row = desk.Notifications(petition.Id).Single();
        Assert.That((row.Status, row.Attempts, row.NextAttemptAt), Is.EqualTo(("pending", 1L, start + 60_000)), "first wait: 1 minute");
        Assert.That(row.LastError, Does.StartWith("E-mail could not be sent (SocketException)"));

        Assert.That(await JobRunner.SummaryOfRunAsync(admin, Sender), Is.EqualTo("0 sent, 0 to retry later, 0 given up"), "not before its time");
        desk.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.That(await JobRunner.SummaryOfRunAsync(admin, Sender), Is.EqualTo("0 sent, 1 to retry later, 0 given up"));
        row = desk.Notifications(petition.Id).Single();
        Assert.That((row.Attempts, row.NextAttemptAt), Is.EqualTo((2L, start + 60_000 + 120_000)), "second wait: 2 minutes");

        port.Open();
        desk.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.That(await JobRunner.SummaryOfRunAsync(admin, Sender), Is.EqualTo("1 sent, 0 to retry later, 0 given up"));
        row = desk.Notifications(petition.Id).Single();
        Assert.That((row.Status, row.Attempts, row.LastError), Is.EqualTo(("sent", 3L, (string?)null)));
        Assert.That(sink.MessagesTo(address), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_notification_claimed_by_a_run_that_died_is_taken_again_after_its_lease_and_sent_once()
    {
        var sink = SmtpSink.Require();
        using var desk = await NotificationDesk.OpenAsync(Twilio, sink);
        var address = NotificationDesk.NewAddress("ion");
        var petition = await desk.Petition(await Citizen(desk, "Ion", "Popescu", "ro", email: address));
        var admin = await Admin(desk);
        // A run claimed it and the server died before it sent anything: its claim (lease 5 minutes) stays behind.
        var lease = RegistryDesk.Local("2026-03-02 10:05").ToUnixTimeMilliseconds();
        desk.Execute($"UPDATE notifications SET claimed_by = 'run-that-died', claimed_until = {lease}, attempts = 1");

        Assert.That(await JobRunner.SummaryOfRunAsync(admin, Sender), Is.EqualTo("0 sent, 0 to retry later, 0 given up"),
            "while the lease runs, the row may still be another live run's");
        Assert.That(sink.MessagesTo(address), Is.Empty);

        desk.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.That(await JobRunner.SummaryOfRunAsync(admin, Sender), Is.EqualTo("1 sent, 0 to retry later, 0 given up"));
        Assert.That(await JobRunner.SummaryOfRunAsync(admin, Sender), Is.EqualTo("0 sent, 0 to retry later, 0 given up"));
        Assert.That(sink.MessagesTo(address), Has.Count.EqualTo(1));
        var row = desk.Notifications(petition.Id).Single();
        Assert.That((row.Status, row.Attempts, row.ClaimedBy), Is.EqualTo(("sent", 2L, (string?)null)));
    }

    [Test]
    public async Task A_crash_after_the_mail_server_accepted_but_before_the_outcome_was_recorded_resends_with_the_same_Message_ID()
    {
        var sink = SmtpSink.Require();
        using var desk = await NotificationDesk.OpenAsync(Twilio, sink);
        var address = NotificationDesk.NewAddress("ion");
        var petition = await desk.Petition(await Citizen(desk, "Ion", "Popescu", "ro", email: address));
        var admin = await Admin(desk);
        var transports = desk.App.Services.GetRequiredService<NotificationTransports>();
        transports.AfterAccepted = _ => throw new InvalidOperationException("simulated crash between the SMTP server's 250 and our commit");

        var crashed = await admin.PostAsync($"/api/jobs/{Sender}/run", null);
        Assert.That((await crashed.ReadJson<JsonElement>()).GetProperty("outcome").GetString(), Is.EqualTo("failed"));
        Assert.That(sink.MessagesTo(address), Has.Count.EqualTo(1), "the server had accepted it");
        Assert.That(desk.Notifications(petition.Id).Single().Status, Is.EqualTo("pending"), "but the outbox never heard");

        transports.AfterAccepted = null;
        desk.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.That(await JobRunner.SummaryOfRunAsync(admin, Sender), Is.EqualTo("1 sent, 0 to retry later, 0 given up"));
        Assert.That(await JobRunner.SummaryOfRunAsync(admin, Sender), Is.EqualTo("0 sent, 0 to retry later, 0 given up"));
        // At-least-once across this one window: the copy carries the same Message-ID, so mail clients and archives
        // recognise it as the same message rather than a second notice.
        var copies = sink.MessagesTo(address);
        Assert.That(copies, Has.Count.EqualTo(2));
        Assert.That(copies.Select(m => m.MessageId).Distinct().Single(),
            Is.EqualTo($"notification-{desk.Notifications(petition.Id).Single().NotificationId:N}@primaria-exemplu.ro"));
    }

    [Test]
    public async Task An_admin_edits_a_template_the_change_is_recorded_with_who_made_it_and_the_next_notice_uses_it()
    {
        var sink = SmtpSink.Require();
        using var desk = await NotificationDesk.OpenAsync(Twilio, sink);
        var admin = await Admin(desk);

        var refused = await admin.PutAsJsonAsync("/api/notification-templates/acknowledgement/ro",
            new { subject = "Nr. {numar}", body = "Text", sms = "SMS {number}" });
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await refused.Content.ReadAsStringAsync();
        Assert.That(problem, Does.Contain("Unknown placeholder {numar}. The acknowledgement texts may use: {number}, {date}, {term}, {subject}, {name}."));
        var stray = await admin.PutAsJsonAsync("/api/notification-templates/acknowledgement/ro",
            new { subject = "Nr. {number", body = "Text", sms = "SMS" });
        Assert.That(stray.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await stray.Content.ReadAsStringAsync(), Does.Contain("A brace without its pair near character 5"));

        var saved = await admin.PutAsJsonAsync("/api/notification-templates/acknowledgement/ro", new
        {
            subject = "Cererea dvs. are nr. {number}",
            body = "Stimate {name},\n\ncererea din {date} are nr. {number}; răspundem până la {term}.",
            sms = "Nr. {number}, termen {term}",
        });
        Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await saved.Content.ReadAsStringAsync());

        var address = NotificationDesk.NewAddress("ion");
        await desk.Petition(await Citizen(desk, "Ion", "Popescu", "ro", email: address));
        await JobRunner.RunAsync(admin, Sender);
        var mail = sink.MessagesTo(address).Single();
        Assert.That(mail.Subject, Is.EqualTo("Cererea dvs. are nr. 1/2026"));
        Assert.That(TextOf(mail), Is.EqualTo("Stimate Ion Popescu,\n\ncererea din 02.03.2026 are nr. 1/2026; răspundem până la 01.04.2026."),
            "line breaks in a template are kept");

        var history = await admin.GetFromJsonAsync<JsonElement>("/api/notification-templates/acknowledgement/ro", Json.Options);
        Assert.That(history.GetProperty("template").GetProperty("updatedBy").GetString(), Is.EqualTo("test-admin"));
        var change = history.GetProperty("changes").EnumerateArray().Single();
        Assert.That(change.GetProperty("actor").GetString(), Is.EqualTo("test-admin"));
        Assert.That(change.GetProperty("beforeSubject").GetString(), Is.EqualTo("Înregistrare {number}: {subject}"));
        Assert.That(change.GetProperty("afterSubject").GetString(), Is.EqualTo("Cererea dvs. are nr. {number}"));
        Assert.That(desk.Scalar("SELECT COUNT(*) FROM timeline WHERE kind = 'notification.template_changed' AND actor = 'test-admin'"), Is.EqualTo(1));
        var hungarian = await admin.GetFromJsonAsync<JsonElement>("/api/notification-templates/acknowledgement/hu", Json.Options);
        Assert.That(hungarian.GetProperty("changes").GetArrayLength(), Is.EqualTo(0), "the other languages are untouched");
    }

    [Test]
    public async Task The_templates_ship_for_every_kind_in_three_languages_and_the_answer_has_no_SMS_text()
    {
        using var desk = await NotificationDesk.OpenAsync(Twilio, sink: null);
        var templates = await (await Admin(desk)).GetFromJsonAsync<JsonElement>("/api/notification-templates", Json.Options);
        var keys = templates.EnumerateArray().Select(t => $"{t.GetProperty("kind").GetString()}/{t.GetProperty("language").GetString()}").ToList();
        Assert.That(keys, Is.EqualTo(new[]
        {
            "acknowledgement/ro", "acknowledgement/en", "acknowledgement/hu", "forwarded/ro", "forwarded/en", "forwarded/hu",
            "term_extended/ro", "term_extended/en", "term_extended/hu", "answer/ro", "answer/en", "answer/hu",
            "escalation/ro", "escalation/en", "escalation/hu",
            "status_changed/ro", "status_changed/en", "status_changed/hu",
            "request_extended/ro", "request_extended/en", "request_extended/hu",
        }));
        // Every shipped text passes the same check an admin's edit must pass.
        foreach (var t in templates.EnumerateArray())
        {
            var kind = t.GetProperty("kind").GetString()!;
            var sms = t.GetProperty("sms");
            var v = new Validation();
            new SaveNotificationTemplate(kind, t.GetProperty("language").GetString(), t.GetProperty("subject").GetString(),
                t.GetProperty("body").GetString(), sms.ValueKind == JsonValueKind.Null ? null : sms.GetString()).Validate(v);
            Assert.That(v.IsValid, Is.True, $"{kind}/{t.GetProperty("language").GetString()}");
        }
    }

    [Test]
    public async Task A_case_due_soon_sends_an_escalation_to_its_assignee_and_the_supervisors_of_its_department()
    {
        var sink = SmtpSink.Require();
        using var desk = await NotificationDesk.OpenAsync(Twilio, sink, localTime: "2026-03-30 07:00");
        var admin = await Admin(desk);
        string clerkMail = NotificationDesk.NewAddress("clerk"), bossMail = NotificationDesk.NewAddress("sef"), otherMail = NotificationDesk.NewAddress("alt");
        foreach (var (user, role, email, department) in new[]
                 {
                     ("ana.clerk", "clerk", clerkMail, "Urbanism"), ("sef.urbanism", "supervisor", bossMail, "Urbanism"),
                     ("sef.taxe", "supervisor", otherMail, "Taxe locale"),
                 })
        {
            var created = await admin.PostAsJsonAsync("/api/staff-users",
                new { username = user, displayName = user, role, password = CrmTestApp.Password, email, department });
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        }
        var petition = await desk.RegisterOk(new { kind = "petition", channel = "post", subject = "Autorizație de construire", contact = new { name = "Vasile Pop", details = "Str. Lungă 3, Cluj" } });
        await desk.PostOk(petition.Id, "assign", new { department = "Urbanism", staffUsername = "ana.clerk" });
        desk.Execute($"UPDATE cases SET due_on = '2026-04-01' WHERE id = '{petition.Id.ToString().ToUpperInvariant()}'");

        // Monday 30 March: Tue 31, Wed 1 April: within 3 working days.
        Assert.That(await JobRunner.SummaryOfRunAsync(admin, "deadline-sweep"), Is.EqualTo("1 case(s) escalated as due soon, 0 flagged overdue"));
        Assert.That(await JobRunner.SummaryOfRunAsync(admin, Sender), Is.EqualTo("2 sent, 0 to retry later, 0 given up"));
        var toClerk = sink.MessagesTo(clerkMail).Single();
        Assert.That(toClerk.Subject, Is.EqualTo("Termen aproape: 1/2026 expiră pe 01.04.2026"));
        Assert.That(TextOf(toClerk), Does.StartWith("Cazul 1/2026 („Autorizație de construire”) are termenul de răspuns pe 01.04.2026, în cel mult 3 zile lucrătoare.\nRepartizat: ana.clerk (Urbanism)."));
        Assert.That(sink.MessagesTo(bossMail), Has.Count.EqualTo(1));
        Assert.That(sink.MessagesTo(otherMail), Is.Empty, "another department's supervisor is not bothered");
        Assert.That(desk.Notifications(petition.Id).Select(n => n.Kind), Is.EqualTo(new[] { "escalation", "escalation" }),
            "the contact gave no e-mail address, so no acknowledgement");

        await JobRunner.RunAsync(admin, "deadline-sweep");
        Assert.That(desk.Notifications(petition.Id), Has.Count.EqualTo(2), "the stage fires once, and so does its notice");
    }

    [Test]
    public async Task A_contact_who_wrote_an_email_address_in_the_contact_details_is_acknowledged_there_and_an_organisation_is_not()
    {
        using var desk = await NotificationDesk.OpenAsync(Twilio, sink: null);
        var contact = await desk.RegisterOk(new { kind = "petition", channel = "post", subject = "Iluminat public", contact = new { name = "Vasile Pop", details = "Str. Lungă 3, Cluj; vasile.pop@exemplu.ro" } });
        var organisation = await desk.RegisterOk(new { kind = "petition", channel = "post", subject = "Iluminat public", organisation = new { name = "Asociația Lumina", cui = "RO18547290" } });
        var anonymous = await desk.RegisterOk(new { kind = "petition", channel = "post", subject = "Iluminat public", anonymous = true });

        Assert.That(desk.Notifications(contact.Id).Select(n => (n.Kind, n.Channel, n.Language)), Is.EqualTo(new[] { ("acknowledgement", "email", "ro") }));
        using (var db = desk.App.OpenDatabase())
            Assert.That(db.ExecuteScalar<string>("SELECT recipient FROM notifications"), Is.EqualTo("vasile.pop@exemplu.ro"));
        Assert.That(desk.Notifications(organisation.Id), Is.Empty);
        Assert.That(desk.Notifications(anonymous.Id), Is.Empty);
    }

    [Test]
    public async Task The_demo_city_generator_queues_no_notifications_for_its_made_up_citizens()
    {
        using var desk = await NotificationDesk.OpenAsync(Twilio, sink: null);
        var citizen = await Citizen(desk, "Maria", "Ionescu", "ro", phone: "0745 123 456");
        var byDemo = await desk.App.Send(new RegisterCase("petition", "post", "Iluminat public", null, citizen, null, null), actor: Outbox.DemoActor);
        var byClerk = await desk.Petition(citizen);

        Assert.That(desk.Notifications(byDemo.Id), Is.Empty);
        Assert.That(desk.Notifications(byClerk.Id).Select(n => n.Channel), Is.EqualTo(new[] { "sms" }));
    }
}
