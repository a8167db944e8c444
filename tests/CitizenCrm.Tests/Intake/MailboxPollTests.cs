using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Intake;
using CitizenCrm.Core.Storage;
using CitizenCrm.Tests.Cases;
using CitizenCrm.Tests.Infrastructure;
using CitizenCrm.Tests.Jobs;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace CitizenCrm.Tests.Intake;

/// <summary>
/// The registry mailbox against a real Dovecot on loopback (CITIZENCRM_IMAP): mail is put in with IMAP APPEND, the poll
/// is run as an admin runs it, and the cases, documents, timeline and mailbox folders are read back. Monday 2 March 2026,
/// 10:00 in Bucharest: a petition registered today is due on 1 April 2026 (30 days, OG 27/2002 art. 8).
/// </summary>
public sealed class MailboxPollTests
{
    private const string Job = "mailbox-poll";
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0];
    private static readonly byte[] Exe = [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00];

    private TestMailbox _mailbox = null!;
    private RegistryDesk _desk = null!;
    private HttpClient _admin = null!;

    private async Task StartAsync(long? maxMessageBytes = null, int? maxMessagesPerRun = null)
    {
        _mailbox = await TestMailbox.OpenAsync();
        var settings = _mailbox.Settings(maxMessageBytes);
        if (maxMessagesPerRun is { } most) settings["Mailbox:MaxMessagesPerRun"] = most.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _desk = await RegistryDesk.OpenAsync("2026-03-02 10:00", settings);
        _admin = await _desk.App.ClientFor(StaffRole.Admin);
    }

    [TearDown]
    public async Task StopAsync()
    {
        _desk?.Dispose();
        if (_mailbox is not null) await _mailbox.DisposeAsync();
        _desk = null!;
        _mailbox = null!;
    }

    private static string Summary(int registered = 0, int threaded = 0, int ignored = 0, int failed = 0, int already = 0, int retrying = 0) =>
        $"{registered} e-mail(s) registered as new cases, {threaded} added to their cases, {ignored} automatic set aside, " +
        $"{failed} moved to the failed folder, {already} already handled and moved, {retrying} to try again";

    private static MimeMessage Email(string fromName, string from, string subject, string text, string? messageId,
        params (string Name, string Type, byte[] Bytes)[] attachments)
    {
        var m = new MimeMessage();
        m.From.Add(new MailboxAddress(fromName, from));
        m.To.Add(new MailboxAddress("Registratura", "registratura@primaria.example.ro"));
        m.Subject = subject;
        m.Date = new DateTimeOffset(2026, 3, 2, 9, 45, 0, TimeSpan.FromHours(2));
        var body = new BodyBuilder { TextBody = text };
        foreach (var (name, type, bytes) in attachments) body.Attachments.Add(name, bytes, ContentType.Parse(type));
        m.Body = body.ToMessageBody();
        if (messageId is null) m.Headers.Remove(HeaderId.MessageId);
        else m.MessageId = messageId;
        return m;
    }

    private async Task<Guid> NewCitizenWithEmail(string firstName, string lastName, params string[] emails)
    {
        var response = await _desk.Clerk.PostAsJsonAsync("/api/citizens", new { nationalId = TestData.NewCnp(), firstName, lastName, emails });
        Assert.That((int)response.StatusCode, Is.EqualTo(201), await response.Content.ReadAsStringAsync());
        return (await response.ReadJson<CitizenCrm.Core.Citizens.Citizen>()).Id;
    }

    private List<Guid> EmailCases()
    {
        using var db = _desk.App.OpenDatabase();
        return db.Query<Guid>("SELECT id FROM cases WHERE channel = 'email' ORDER BY number").ToList();
    }

    private List<(string Kind, string Channel, string Actor, string Summary)> History(Guid caseId)
    {
        using var db = _desk.App.OpenDatabase();
        return db.Query<(string, string, string, string)>("SELECT kind, channel, actor, summary FROM timeline WHERE case_id = @id ORDER BY seq",
            new { id = DbKeys.Key(caseId) }).ToList();
    }

    private List<(string Sha256, string ContentType, string FileName)> Documents(Guid caseId)
    {
        using var db = _desk.App.OpenDatabase();
        return db.Query<(string, string, string)>("SELECT sha256, content_type, file_name FROM case_documents WHERE case_id = @id ORDER BY file_name",
            new { id = DbKeys.Key(caseId) }).ToList();
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();

    [Test]
    public async Task A_citizens_email_is_registered_once_as_an_email_petition_with_its_pdf_and_the_exe_listed_as_refused_then_moved_to_processed()
    {
        await StartAsync();
        var ion = await NewCitizenWithEmail("Ion", "Popescu", "Ion.Popescu@Example.ro");
        await _mailbox.DeliverAsync(Email("Ion Popescu", "ion.popescu@example.ro", "Groapă în asfalt pe strada Mihai Viteazul",
            "Bună ziua,\r\nÎn fața blocului 7 este o groapă adâncă.\r\nVă rog să o reparați.\r\n\r\nIon Popescu\r\n", "petitie-1@mail.example.ro",
            ("groapa.pdf", "application/pdf", Pdf), ("program.exe", "application/x-msdownload", Exe)));

        Assert.That(await JobRunner.SummaryOfRunAsync(_admin, Job), Is.EqualTo(Summary(registered: 1)));

        var ids = EmailCases();
        Assert.That(ids, Has.Count.EqualTo(1));
        var c = await _desk.Get(ids[0]);
        Assert.That((c.RegistrationNumber, c.Kind, c.Channel, c.Status), Is.EqualTo(("1/2026", "petition", "email", "registered")));
        Assert.That(c.Subject, Is.EqualTo("Groapă în asfalt pe strada Mihai Viteazul"));
        Assert.That(c.Description, Is.EqualTo("Bună ziua,\nÎn fața blocului 7 este o groapă adâncă.\nVă rog să o reparați.\n\nIon Popescu"));
        Assert.That((c.Party.Kind, c.Party.CitizenId, c.Party.DisplayName), Is.EqualTo(("citizen", (Guid?)ion, "Ion Popescu")));
        Assert.That((c.RegisteredOn, c.DueOn), Is.EqualTo((new DateOnly(2026, 3, 2), (DateOnly?)new DateOnly(2026, 4, 1))));

        Assert.That(Documents(c.Id), Is.EqualTo(new[] { (Sha256(Pdf), "application/pdf", "groapa.pdf") }));
        var download = await _desk.Clerk.GetAsync($"/api/cases/{c.Id}/documents/{Sha256(Pdf)}");
        Assert.That(await download.Content.ReadAsByteArrayAsync(), Is.EqualTo(Pdf));

        var history = History(c.Id);
        Assert.That(history.Select(h => h.Kind), Is.EqualTo(new[] { "case.registered", "case.document_attached", "case.attachment_refused", "case.email_received" }));
        Assert.That(history.Select(h => h.Actor).Distinct(), Is.EqualTo(new[] { "system" }));
        Assert.That(history.Select(h => h.Channel).Distinct(), Is.EqualTo(new[] { "email" }), "every event of an e-mail is on the e-mail channel");
        Assert.That(history[2], Is.EqualTo(("case.attachment_refused", "email", "system",
            "Attachment 'program.exe' (application/x-msdownload, 1 KB) of an e-mail to 1/2026 was not kept: " +
            "Attach a PDF, PNG, JPEG, DOCX or ODT document, sent with its Content-Type (e.g. application/pdf).")));
        Assert.That(history[3].Summary, Is.EqualTo("E-mail from citizen Ion Popescu registered as 1/2026: 1 attachment(s) kept, 1 refused"));

        Assert.That(await _mailbox.ListAsync(_mailbox.Inbox), Is.Empty);
        Assert.That(await _mailbox.ListAsync(_mailbox.Processed), Is.EqualTo(new[] { "petitie-1@mail.example.ro" }));

        // Polled again: nothing new, nothing registered twice.
        Assert.That(await JobRunner.SummaryOfRunAsync(_admin, Job), Is.EqualTo(Summary()));
        Assert.That(EmailCases(), Has.Count.EqualTo(1));
        Assert.That(_desk.Scalar("SELECT COUNT(*) FROM job_runs WHERE job_name = 'mailbox-poll' AND outcome = 'succeeded'"), Is.EqualTo(2));
        Assert.That(_desk.Scalar("SELECT COUNT(*) FROM mail_messages WHERE message_key = 'petitie-1@mail.example.ro' AND outcome = 'registered'"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_crash_between_registering_and_moving_registers_nothing_twice_and_the_next_poll_only_moves_the_message()
    {
        await StartAsync();
        var message = Email("Maria Ionescu", "maria@example.ro", "Iluminat stradal defect", "Becul de pe stâlpul 12 nu mai arde.", "crash-1@example.ro",
            ("stalp.pdf", "application/pdf", Pdf));
        await _mailbox.DeliverAsync(message);

        // What the poll does up to the crash: the message registered (its transaction committed), the MOVE never sent.
        var documents = _desk.App.Services.GetRequiredService<DocumentStore>();
        var email = await IncomingEmail.ReadAsync(message, "crash-1@example.ro", documents, CancellationToken.None);
        var first = await _desk.App.Send(new ReceiveEmail(email), "system");
        Assert.That((first.Outcome, first.RegistrationNumber, first.AlreadyDone), Is.EqualTo(("registered", "1/2026", false)));
        Assert.That(await _mailbox.ListAsync(_mailbox.Inbox), Is.EqualTo(new[] { "crash-1@example.ro" }), "the message is still in the inbox");

        Assert.That(await JobRunner.SummaryOfRunAsync(_admin, Job), Is.EqualTo(Summary(already: 1)));
        Assert.That(EmailCases(), Has.Count.EqualTo(1), "no second case");
        Assert.That(Documents(EmailCases()[0]), Has.Count.EqualTo(1));
        Assert.That(await _mailbox.ListAsync(_mailbox.Inbox), Is.Empty);
        Assert.That(await _mailbox.ListAsync(_mailbox.Processed), Is.EqualTo(new[] { "crash-1@example.ro" }));

        // The same message delivered twice (a copy back in the inbox) is the same Message-ID: moved, not registered.
        await _mailbox.PutBackProcessedAsync();
        Assert.That(await JobRunner.SummaryOfRunAsync(_admin, Job), Is.EqualTo(Summary(already: 1)));
        Assert.That(EmailCases(), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_message_without_a_Message_ID_gets_a_key_from_its_envelope_and_is_registered_once_even_when_put_back_in_the_inbox()
    {
        await StartAsync();
        await _mailbox.DeliverAsync(Email("Vasile Pop", "vasile@example.ro", "Fără Message-ID", "Textul petiției.", messageId: null));

        Assert.That(await JobRunner.SummaryOfRunAsync(_admin, Job), Is.EqualTo(Summary(registered: 1)));
        Assert.That(_desk.Scalar("SELECT COUNT(*) FROM mail_messages WHERE message_key LIKE 'env-sha256:%'"), Is.EqualTo(1));

        await _mailbox.PutBackProcessedAsync();
        Assert.That(await _mailbox.ListAsync(_mailbox.Inbox), Is.EqualTo(new[] { "subject:Fără Message-ID" }));
        Assert.That(await JobRunner.SummaryOfRunAsync(_admin, Job), Is.EqualTo(Summary(already: 1)));
        Assert.That(EmailCases(), Has.Count.EqualTo(1));
        Assert.That(await _mailbox.ListAsync(_mailbox.Processed), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task An_unknown_sender_and_an_address_two_citizens_share_both_stay_unmatched_contacts_for_a_dispatcher_to_link()
    {
        await StartAsync();
        await NewCitizenWithEmail("Ana", "Mureșan", "familia.muresan@example.ro");
        await NewCitizenWithEmail("Petru", "Mureșan", "familia.muresan@example.ro");
        var html = new MimeMessage();
        html.From.Add(new MailboxAddress("Familia Mureșan", "familia.muresan@example.ro"));
        html.To.Add(new MailboxAddress("Registratura", "registratura@primaria.example.ro"));
        html.Subject = "Zgomot noaptea";
        html.MessageId = "familie-1@example.ro";
        html.Body = new TextPart("html") { Text = "<html><head><style>p{color:red}</style></head><body><p>Vecinul face zgomot</p><p>după ora 22.</p></body></html>" };
        await _mailbox.DeliverAsync(
            Email("", "necunoscut@example.net", "Copac căzut", "Un copac a căzut pe trotuar.", "necunoscut-1@example.net"),
            html);

        Assert.That(await JobRunner.SummaryOfRunAsync(_admin, Job), Is.EqualTo(Summary(registered: 2)));
        var ids = EmailCases();
        var stranger = await _desk.Get(ids[0]);
        Assert.That((stranger.Party.Kind, stranger.Party.CitizenId, stranger.Party.DisplayName, stranger.Party.ContactDetails),
            Is.EqualTo(("contact", (Guid?)null, "necunoscut@example.net", "necunoscut@example.net")));
        var family = await _desk.Get(ids[1]);
        Assert.That((family.Party.Kind, family.Party.CitizenId, family.Party.DisplayName, family.Party.ContactDetails),
            Is.EqualTo(("contact", (Guid?)null, "Familia Mureșan", "familia.muresan@example.ro")));
        Assert.That(family.Description, Is.EqualTo("Vecinul face zgomot\ndupă ora 22."), "the text of an HTML-only e-mail, without its style");
        Assert.That(History(family.Id).Last().Summary,
            Is.EqualTo("E-mail from Familia Mureșan (an address 2 citizens share: link the right one) registered as 2/2026: no attachments"));
        Assert.That(History(stranger.Id).Last().Summary,
            Is.EqualTo("E-mail from necunoscut@example.net (no citizen has this address: link or register one) registered as 1/2026: no attachments"));
    }

    [Test]
    public async Task A_reply_in_the_thread_or_to_our_acknowledgement_or_with_the_number_in_the_subject_is_added_to_its_case_not_registered_anew()
    {
        await StartAsync();
        var ion = await NewCitizenWithEmail("Ion", "Popescu", "ion.popescu@example.ro");
        var first = Email("Ion Popescu", "ion.popescu@example.ro", "Groapă în asfalt", "Este o groapă în fața blocului 7.", "thread-1@example.ro");
        var reply = Email("Ion Popescu", "ion.popescu@example.ro", "Re: Groapă în asfalt", "Atașez o fotografie.", "thread-2@example.ro",
            ("groapa.png", "image/png", Png));
        reply.InReplyTo = "thread-1@example.ro";
        reply.References.Add("thread-1@example.ro");
        // Both arrive before the poll: the first is taken first, so the reply finds its case.
        await _mailbox.DeliverAsync(first, reply);

        Assert.That(await JobRunner.SummaryOfRunAsync(_admin, Job), Is.EqualTo(Summary(registered: 1, threaded: 1)));
        var caseId = EmailCases().Single();
        Assert.That(Documents(caseId), Is.EqualTo(new[] { (Sha256(Png), "image/png", "groapa.png") }));
        var replyEvent = History(caseId).Single(h => h.Kind == "case.email_reply");
        Assert.That(replyEvent.Summary, Is.EqualTo("E-mail from Ion Popescu added to 1/2026 (a reply in its e-mail thread): 1 attachment(s) kept"));
        using (var db = _desk.App.OpenDatabase())
            Assert.That(System.Text.Json.JsonDocument.Parse(db.QuerySingle<string>("SELECT payload FROM timeline WHERE kind = 'case.email_reply'"))
                .RootElement.GetProperty("text").GetString(), Is.EqualTo("Atașez o fotografie."));

        // A reply to the acknowledgement we sent (its Message-ID remembered by the sender of notifications).
        await using (var scope = _desk.App.Services.CreateAsyncScope())
            await SentEmails.RememberAsync(scope.ServiceProvider.GetRequiredService<UnitOfWork>(), "<ack-1@citizencrm.example.ro>", caseId,
                DateTimeOffset.UtcNow, CancellationToken.None);
        var toAcknowledgement = Email("Ion Popescu", "ion.popescu@example.ro", "Re: Confirmare", "Mulțumesc.", "thread-3@example.ro");
        toAcknowledgement.InReplyTo = "ack-1@citizencrm.example.ro";
        // The number in the subject, from the case's own party, with no thread headers (a new e-mail, not a reply).
        var byNumber = Email("Ion Popescu", "ion.popescu@example.ro", "Petiția 1/2026 – completare", "Am uitat să spun: blocul 7, scara B.", "thread-4@example.ro");
        // The same number from someone else: not theirs to add to; a new registration.
        var stranger = Email("Cineva", "cineva@example.net", "Despre 1/2026", "Și eu am văzut groapa.", "thread-5@example.net");
        await _mailbox.DeliverAsync(toAcknowledgement, byNumber, stranger);

        Assert.That(await JobRunner.SummaryOfRunAsync(_admin, Job), Is.EqualTo(Summary(registered: 1, threaded: 2)));
        Assert.That(EmailCases(), Has.Count.EqualTo(2));
        Assert.That(History(caseId).Where(h => h.Kind == "case.email_reply").Select(h => h.Summary), Is.EqualTo(new[]
        {
            "E-mail from Ion Popescu added to 1/2026 (a reply in its e-mail thread): 1 attachment(s) kept",
            "E-mail from Ion Popescu added to 1/2026 (a reply in its e-mail thread): no attachments",
            "E-mail from Ion Popescu added to 1/2026 (its number in the subject): no attachments",
        }));
        Assert.That((await _desk.Get(caseId)).Party.CitizenId, Is.EqualTo(ion));
        Assert.That(await _mailbox.ListAsync(_mailbox.Processed), Has.Count.EqualTo(5));
    }

    [Test]
    public async Task The_number_in_the_subject_threads_a_message_from_the_contact_of_the_case_but_not_from_an_address_inside_theirs()
    {
        await StartAsync();
        await _mailbox.DeliverAsync(Email("Marion Varga", "marion@example.ro", "Banca din parc", "Banca din parc este ruptă.", "contact-1@example.ro"));
        Assert.That(await JobRunner.SummaryOfRunAsync(_admin, Job), Is.EqualTo(Summary(registered: 1)));

        await _mailbox.DeliverAsync(
            Email("Ion", "ion@example.ro", "Re: 1/2026", "Și banca de lângă.", "contact-2@example.ro"),
            Email("Marion Varga", "marion@example.ro", "1/2026 fotografie", "Revin cu o fotografie.", "contact-3@example.ro"));

        Assert.That(await JobRunner.SummaryOfRunAsync(_admin, Job), Is.EqualTo(Summary(registered: 1, threaded: 1)));
        var ids = EmailCases();
        Assert.That(ids, Has.Count.EqualTo(2));
        Assert.That(History(ids[0]).Single(h => h.Kind == "case.email_reply").Summary,
            Is.EqualTo("E-mail from Marion Varga added to 1/2026 (its number in the subject): no attachments"));
        Assert.That((await _desk.Get(ids[1])).Party.ContactDetails, Is.EqualTo("ion@example.ro"));
    }

    [Test]
    public async Task A_reply_to_a_closed_case_is_a_matter_raised_again_registered_and_linked_to_the_old_case()
    {
        await StartAsync();
        await _mailbox.DeliverAsync(Email("Ion Popescu", "ion@example.ro", "Groapă", "Groapă în asfalt.", "closed-1@example.ro"));
        Assert.That(await JobRunner.SummaryOfRunAsync(_admin, Job), Is.EqualTo(Summary(registered: 1)));
        var old = EmailCases().Single();
        _desk.Execute($"UPDATE cases SET status = 'closed' WHERE id = '{old.ToString().ToUpperInvariant()}'");

        var again = Email("Ion Popescu", "ion@example.ro", "Re: Groapă", "Groapa a apărut din nou.", "closed-2@example.ro");
        again.InReplyTo = "closed-1@example.ro";
        await _mailbox.DeliverAsync(again);

        Assert.That(await JobRunner.SummaryOfRunAsync(_admin, Job), Is.EqualTo(Summary(registered: 1)));
        var second = await _desk.Get(EmailCases()[1]);
        Assert.That((second.RegistrationNumber, second.RelatedCaseId), Is.EqualTo(("2/2026", (Guid?)old)));
    }

    [Test]
    public async Task A_message_too_large_goes_to_the_failed_folder_on_the_timeline_and_the_next_message_is_still_registered()
    {
        await StartAsync(maxMessageBytes: 20_000);
        var big = Email("Ion Popescu", "ion@example.ro", "Planuri", "Planurile atașate.", "big-1@example.ro",
            ("plan.pdf", "application/pdf", [.. Pdf, .. new byte[30_000]]));
        var small = Email("Ion Popescu", "ion@example.ro", "Altceva", "O întrebare scurtă.", "small-1@example.ro");
        await _mailbox.DeliverAsync(big, small);

        Assert.That(await JobRunner.SummaryOfRunAsync(_admin, Job), Is.EqualTo(Summary(registered: 1, failed: 1)));
        Assert.That(await _mailbox.ListAsync(_mailbox.Failed), Is.EqualTo(new[] { "big-1@example.ro" }));
        Assert.That(await _mailbox.ListAsync(_mailbox.Processed), Is.EqualTo(new[] { "small-1@example.ro" }));
        Assert.That(EmailCases(), Has.Count.EqualTo(1));

        using var db = _desk.App.OpenDatabase();
        var failed = db.QuerySingle<(string Kind, string Channel, string Actor, string Summary, string? CaseId)>(
            "SELECT kind, channel, actor, summary, case_id FROM timeline WHERE kind = 'email.failed'");
        Assert.That((failed.Channel, failed.Actor, failed.CaseId), Is.EqualTo(("email", "system", (string?)null)));
        Assert.That(failed.Summary, Does.StartWith("An e-mail from Ion Popescu (\"Planuri\") was not registered: It is "));
        Assert.That(failed.Summary, Does.EndWith(" KB, more than the 20 KB a message may be (Mailbox:MaxMessageBytes); ask the sender to send the documents in several e-mails. " +
                                                 $"It is in the mailbox folder '{_mailbox.Failed}'."));
        Assert.That(db.QuerySingle<string>("SELECT outcome FROM mail_messages WHERE message_key = 'big-1@example.ro'"), Is.EqualTo("failed"));

        Assert.That(await JobRunner.SummaryOfRunAsync(_admin, Job), Is.EqualTo(Summary()), "nothing left, nothing repeated");
    }

    [Test]
    public async Task A_wrong_password_fails_the_run_without_the_password_in_its_record_and_the_mail_stays_in_the_inbox()
    {
        _mailbox = await TestMailbox.OpenAsync();
        var settings = _mailbox.Settings();
        settings["Mailbox:Password"] = "wrong-secret-4711";
        _desk = await RegistryDesk.OpenAsync("2026-03-02 10:00", settings);
        _admin = await _desk.App.ClientFor(StaffRole.Admin);
        await _mailbox.DeliverAsync(Email("Ion Popescu", "ion@example.ro", "Groapă", "Groapă în asfalt.", "password-1@example.ro"));

        var response = await _admin.PostAsync($"/api/jobs/{Job}/run", null);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(text, Does.Contain("\"outcome\":\"failed\""));
        Assert.That(text, Does.Not.Contain("wrong-secret-4711"));
        using var db = _desk.App.OpenDatabase();
        Assert.That(db.QuerySingle<string>("SELECT summary FROM job_runs WHERE job_name = 'mailbox-poll'"),
            Does.Match(@"^Failed: The mailbox 127\.0\.0\.1:\d+ could not be read: Authentication failed\.$").And.Not.Contain("wrong-secret-4711"));
        Assert.That(await _mailbox.ListAsync(_mailbox.Inbox), Is.EqualTo(new[] { "password-1@example.ro" }));
        Assert.That(EmailCases(), Is.Empty);
    }

    [Test]
    public async Task A_message_whose_registration_keeps_failing_is_tried_three_times_then_moved_to_failed_while_the_others_go_through()
    {
        await StartAsync();
        // Something unforeseen breaks this one message's registration every time (a database error, not a refusal).
        _desk.Execute(Sabotage.RefuseInsert("poison", "cases", "NEW.subject = 'Otrăvit'", "simulated failure"));
        await _mailbox.DeliverAsync(
            Email("Ion Popescu", "ion@example.ro", "Otrăvit", "Acest mesaj nu trece.", "poison-1@example.ro"),
            Email("Ion Popescu", "ion@example.ro", "Normal", "Acest mesaj trece.", "normal-1@example.ro"));

        Assert.That(await JobRunner.SummaryOfRunAsync(_admin, Job), Is.EqualTo(Summary(registered: 1, retrying: 1)));
        Assert.That(await _mailbox.ListAsync(_mailbox.Inbox), Is.EqualTo(new[] { "poison-1@example.ro" }));
        Assert.That(_desk.Scalar("SELECT COUNT(*) FROM cases"), Is.EqualTo(1), "the failed registration left nothing behind");
        Assert.That(await JobRunner.SummaryOfRunAsync(_admin, Job), Is.EqualTo(Summary(retrying: 1)));
        Assert.That(await JobRunner.SummaryOfRunAsync(_admin, Job), Is.EqualTo(Summary(failed: 1)));

        Assert.That(await _mailbox.ListAsync(_mailbox.Inbox), Is.Empty);
        Assert.That(await _mailbox.ListAsync(_mailbox.Failed), Is.EqualTo(new[] { "poison-1@example.ro" }));
        Assert.That(_desk.Scalar("SELECT COUNT(*) FROM mail_messages WHERE message_key = 'poison-1@example.ro' AND outcome = 'failed' AND attempts = 3"), Is.EqualTo(1));
        using var db = _desk.App.OpenDatabase();
        Assert.That(db.QuerySingle<string>("SELECT summary FROM timeline WHERE kind = 'email.failed'"), Is.EqualTo(
            "An e-mail from Ion Popescu (\"Otrăvit\") was not registered: Registering it failed 3 times (last: " + (TestDatabases.OnPostgres ? "P0001: simulated failure" : "SQLite Error 19: 'simulated failure'.") + "). " +
            $"It is in the mailbox folder '{_mailbox.Failed}'."));
        Assert.That(await JobRunner.SummaryOfRunAsync(_admin, Job), Is.EqualTo(Summary()));
        Assert.That((await _desk.Get(EmailCases().Single())).RegistrationNumber, Is.EqualTo("1/2026"),
            "numbers are gapless: the failed registration, taken first, rolled its number back");
    }

    [Test]
    public async Task A_run_takes_at_most_its_share_of_messages_oldest_first_and_leaves_the_rest_for_the_next_run()
    {
        await StartAsync(maxMessagesPerRun: 2);
        await _mailbox.DeliverAsync(
            Email("Ion Popescu", "ion@example.ro", "Primul", "Unu.", "batch-1@example.ro"),
            Email("Ion Popescu", "ion@example.ro", "Al doilea", "Doi.", "batch-2@example.ro"),
            Email("Ion Popescu", "ion@example.ro", "Al treilea", "Trei.", "batch-3@example.ro"));

        Assert.That(await JobRunner.SummaryOfRunAsync(_admin, Job), Is.EqualTo(Summary(registered: 2) + "; 1 left for the next run"));
        Assert.That(await _mailbox.ListAsync(_mailbox.Inbox), Is.EqualTo(new[] { "batch-3@example.ro" }));
        Assert.That(await JobRunner.SummaryOfRunAsync(_admin, Job), Is.EqualTo(Summary(registered: 1)));
        using var db = _desk.App.OpenDatabase();
        Assert.That(db.Query<string>("SELECT subject FROM cases ORDER BY number"), Is.EqualTo(new[] { "Primul", "Al doilea", "Al treilea" }));
    }

    [Test]
    public async Task A_bounce_that_answers_no_case_is_set_aside_and_never_becomes_a_petition()
    {
        await StartAsync();
        var bounce = Email("Mail Delivery System", "mailer-daemon@example.net", "Undelivered Mail Returned to Sender", "The message could not be delivered.", "bounce-1@example.net");
        bounce.Headers.Add(HeaderId.AutoSubmitted, "auto-replied");
        await _mailbox.DeliverAsync(bounce);

        Assert.That(await JobRunner.SummaryOfRunAsync(_admin, Job), Is.EqualTo(Summary(ignored: 1)));
        Assert.That(EmailCases(), Is.Empty);
        Assert.That(await _mailbox.ListAsync(_mailbox.Processed), Is.EqualTo(new[] { "bounce-1@example.net" }));
    }
}

/// <summary>Mailbox settings that need no mail server.</summary>
public sealed class MailboxSettingsTests
{
    [Test]
    public async Task Without_a_mailbox_configured_the_poll_reads_nothing_and_its_run_says_so()
    {
        using var app = new CrmTestApp();
        var admin = await app.ClientFor(StaffRole.Admin);
        Assert.That(await JobRunner.SummaryOfRunAsync(admin, "mailbox-poll"), Is.EqualTo("No mailbox configured (Mailbox:Host is empty): nothing read"));
    }

    [Test]
    public async Task A_mailbox_without_a_password_fails_its_run_naming_the_setting()
    {
        using var app = new CrmTestApp(settings: new Dictionary<string, string?> { ["Mailbox:Host"] = "127.0.0.1", ["Mailbox:User"] = "registratura" });
        var admin = await app.ClientFor(StaffRole.Admin);
        var response = await admin.PostAsync("/api/jobs/mailbox-poll/run", null);
        var run = System.Text.Json.JsonSerializer.Deserialize<System.Text.Json.JsonElement>(await response.Content.ReadAsStringAsync(), Json.Options);
        Assert.That(run.GetProperty("outcome").GetString(), Is.EqualTo("failed"));
        Assert.That(run.GetProperty("summary").GetString(), Is.EqualTo("Failed: Mailbox:Password is empty: set it, e.g. in the environment variable Mailbox__Password."));
    }

    [Test]
    public void Mail_travels_over_TLS_unless_plaintext_is_asked_for()
    {
        Assert.That(new MailboxOptions().SocketOptions, Is.EqualTo(MailKit.Security.SecureSocketOptions.SslOnConnect), "port 993: TLS from the first byte");
        Assert.That(new MailboxOptions { Port = 143 }.SocketOptions, Is.EqualTo(MailKit.Security.SecureSocketOptions.StartTls), "STARTTLS required, never skipped");
        Assert.That(new MailboxOptions { Port = 143, Security = MailboxSecurity.None }.SocketOptions, Is.EqualTo(MailKit.Security.SecureSocketOptions.None));
    }
}
