using System.Net.Http.Json;
using System.Text.Json;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Cases;
using CitizenCrm.Tests.Infrastructure;
using CitizenCrm.Tests.Intake;
using CitizenCrm.Tests.Jobs;
using Dapper;
using MimeKit;

namespace CitizenCrm.Tests.Notifications;

/// <summary>
/// The seam between the sender of notifications and the e-mail intake: the acknowledgement goes to the real SMTP sink
/// (CITIZENCRM_SMTP), the citizen's answer to it comes back through the real IMAP mailbox (CITIZENCRM_IMAP), and the poll
/// must find the case by the acknowledgement's Message-ID, which only the sender can have remembered.
/// Monday 2 March 2026, 10:00 in Bucharest.
/// </summary>
public sealed class ReplyToAcknowledgementTests
{
    private TwilioStandIn _twilio = null!;
    private TestMailbox? _mailbox;

    [SetUp]
    public async Task StartTwilio() => _twilio = await TwilioStandIn.StartAsync();

    [TearDown]
    public async Task Stop()
    {
        await _twilio.DisposeAsync();
        if (_mailbox is not null) await _mailbox.DisposeAsync();
        _mailbox = null;
    }

    [Test]
    public async Task A_citizen_answering_our_emailed_acknowledgement_under_a_subject_of_their_own_has_the_answer_added_to_the_case_not_registered_anew()
    {
        var sink = SmtpSink.Require();
        _mailbox = await TestMailbox.OpenAsync();
        using var desk = await NotificationDesk.OpenAsync(_twilio, sink, more: _mailbox.Settings());
        var admin = await desk.App.ClientFor(StaffRole.Admin);
        var address = NotificationDesk.NewAddress("ion");
        var created = await desk.Clerk.PostAsJsonAsync("/api/citizens", new
        {
            nationalId = TestData.NewCnp(), firstName = "Ion", lastName = "Popescu", preferredLanguage = "ro", emails = new[] { address },
        });
        Assert.That((int)created.StatusCode, Is.EqualTo(201), await created.Content.ReadAsStringAsync());
        var citizen = (await created.ReadJson<JsonElement>()).GetProperty("id").GetGuid();
        var petition = await desk.Petition(citizen);
        Assert.That(petition.RegistrationNumber, Is.EqualTo("1/2026"));

        Assert.That(await JobRunner.SummaryOfRunAsync(admin, "notification-sender"), Is.EqualTo("1 sent, 0 to retry later, 0 given up"));
        var acknowledgement = sink.MessagesTo(address).Single();
        var notification = desk.Notifications(petition.Id).Single();
        Assert.That(acknowledgement.MessageId, Is.EqualTo($"notification-{notification.NotificationId:N}@primaria-exemplu.ro"));

        // The citizen's mail client answers with the thread headers (RFC 5322 3.6.4) but the citizen wrote a subject of
        // their own, without the registration number: only the Message-ID can lead to the case.
        var answer = new MimeMessage();
        answer.From.Add(new MailboxAddress("Ion Popescu", address));
        answer.To.Add(new MailboxAddress("Registratura", "registratura@primaria-exemplu.ro"));
        answer.Subject = "Completare: fotografia gropii";
        answer.Date = new DateTimeOffset(2026, 3, 2, 11, 0, 0, TimeSpan.FromHours(2));
        answer.MessageId = "raspuns-1@exemplu.ro";
        answer.InReplyTo = acknowledgement.MessageId;
        answer.References.Add(acknowledgement.MessageId);
        answer.Body = new TextPart("plain") { Text = "Groapa este chiar lângă intrarea în scara B." };
        await _mailbox.DeliverAsync(answer);

        Assert.That(await JobRunner.SummaryOfRunAsync(admin, "mailbox-poll"), Is.EqualTo(
            "0 e-mail(s) registered as new cases, 1 added to their cases, 0 automatic set aside, 0 moved to the failed folder, " +
            "0 already handled and moved, 0 to try again"));
        using var db = desk.App.OpenDatabase();
        Assert.That(db.QuerySingle<long>("SELECT COUNT(*) FROM cases"), Is.EqualTo(1L), "no second case was registered");
        Assert.That(db.Query<string>("SELECT summary FROM timeline WHERE case_id = @id AND kind = 'case.email_reply'",
                new { id = DbKeys.Key(petition.Id) }),
            Is.EqualTo(new[] { "E-mail from Ion Popescu added to 1/2026 (a reply in its e-mail thread): no attachments" }));
        Assert.That(await desk.HistoryKinds(petition.Id), Is.EqualTo(new[] { "case.registered", "notification.sent", "case.email_reply" }));
    }
}
