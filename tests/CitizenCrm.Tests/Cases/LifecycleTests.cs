using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Infrastructure;

namespace CitizenCrm.Tests.Cases;

public sealed class LifecycleTests
{
    private RegistryDesk _desk = null!;

    [SetUp]
    public async Task SetUp() => _desk = await RegistryDesk.OpenAsync("2026-03-02 10:00");

    [TearDown]
    public void TearDown() => _desk.Dispose();

    private static readonly object Answer = new
    {
        text = "Groapa a fost reparată pe 10 martie.", legalBasis = "OG 27/2002 art. 8", signedBy = "Primar, Gabriel Pleșa", sentVia = "email",
    };

    [Test]
    public async Task A_petition_goes_from_registered_to_closed_and_every_step_is_one_event_in_its_history()
    {
        var citizen = await _desk.NewCitizen();
        var petition = await _desk.Petition(citizen);

        var assigned = await _desk.PostOk(petition.Id, "assign", new { department = "Direcția Tehnică", staffUsername = "test-clerk" });
        var started = await _desk.PostOk(petition.Id, "start");
        _desk.SetLocalTime("2026-03-10 12:00");
        var answered = await _desk.PostOk(petition.Id, "answer", Answer);
        var closed = await _desk.PostOk(petition.Id, "close", new { note = "Petentul a confirmat." });

        Assert.That(assigned.Status, Is.EqualTo("assigned"));
        Assert.That(assigned.AssignedDepartment, Is.EqualTo("Direcția Tehnică"));
        Assert.That(assigned.AssignedTo, Is.EqualTo("test-clerk"));
        Assert.That(started.Status, Is.EqualTo("in_progress"));
        Assert.That(answered.Status, Is.EqualTo("answered"));
        Assert.That(answered.Answer!.AnsweredOn, Is.EqualTo(new DateOnly(2026, 3, 10)));
        Assert.That(answered.Answer.SentVia, Is.EqualTo("email"));
        Assert.That(answered.Answer.SignedBy, Is.EqualTo("Primar, Gabriel Pleșa"));
        Assert.That(answered.Answer.OutgoingNumber, Is.EqualTo("2/2026"));
        Assert.That(answered.Late, Is.False);
        Assert.That(closed.Status, Is.EqualTo("closed"));
        Assert.That(closed.DueOn, Is.Null);
        Assert.That(await _desk.HistoryKinds(petition.Id),
            Is.EqualTo(new[] { "case.registered", "case.assigned", "case.started", "case.answered", "case.closed" }));

        var cases = await _desk.Clerk.GetFromJsonAsync<CitizenCases>($"/api/citizens/{citizen}/cases?openOnly=true", Json.Options);
        Assert.That(cases!.Items, Is.Empty);
        var answeredEvents = _desk.Scalar($"SELECT COUNT(*) FROM timeline WHERE kind = 'case.answered' AND upper(citizen_id) = upper('{citizen}') AND channel = 'email'");
        Assert.That(answeredEvents, Is.EqualTo(1), "the answer is on the citizen's timeline, on the channel it went by");
    }

    [Test]
    public async Task Unlawful_moves_are_409s_that_tell_the_clerk_what_to_do()
    {
        var petition = await _desk.Petition(await _desk.NewCitizen());

        var startUnassigned = await _desk.Post(petition.Id, "start");
        Assert.That((await startUnassigned.AssertProblem(HttpStatusCode.Conflict)).GetProperty("detail").GetString(), Does.Contain("Assign it first"));
        var closeUnanswered = await _desk.Post(petition.Id, "close");
        Assert.That((await closeUnanswered.AssertProblem(HttpStatusCode.Conflict)).GetProperty("detail").GetString(), Does.Contain("Record the answer first"));

        await _desk.PostOk(petition.Id, "assign", new { department = "Direcția Tehnică" });
        await _desk.PostOk(petition.Id, "answer", Answer);
        var answerTwice = await _desk.Post(petition.Id, "answer", Answer);
        await answerTwice.AssertProblem(HttpStatusCode.Conflict);
        await _desk.PostOk(petition.Id, "close");

        var assignClosed = await _desk.Post(petition.Id, "assign", new { department = "Altă direcție" });
        var problem = await assignClosed.AssertProblem(HttpStatusCode.Conflict);
        Assert.That(problem.GetProperty("detail").GetString(), Does.StartWith("A closed case cannot be assigned; register the matter again, linked to this one"));
        Assert.That(await _desk.HistoryKinds(petition.Id), Has.Exactly(1).EqualTo("case.assigned"), "refused moves leave no event");
    }

    [Test]
    public async Task A_closed_matter_raised_again_is_a_new_registration_linked_to_the_old_one()
    {
        var citizen = await _desk.NewCitizen();
        var first = await _desk.Petition(citizen);
        await _desk.PostOk(first.Id, "assign", new { department = "Direcția Tehnică" });
        await _desk.PostOk(first.Id, "answer", Answer);
        await _desk.PostOk(first.Id, "close");

        var again = await _desk.RegisterOk(new { kind = "petition", subject = "Groapa a reapărut", citizenId = citizen, relatedCaseId = first.Id });

        Assert.That(again.RelatedCaseId, Is.EqualTo(first.Id));
        Assert.That(again.RegistrationNumber, Is.EqualTo("3/2026"), "1 = first petition, 2 = its answer, 3 = the new matter");
        Assert.That(again.Status, Is.EqualTo("registered"));
    }

    [Test]
    public async Task A_wrongly_addressed_petition_is_forwarded_and_the_petitioner_told()
    {
        var citizen = await _desk.NewCitizen();
        var petition = await _desk.Petition(citizen, "Pensia nu a sosit");
        _desk.SetLocalTime("2026-03-05 11:00");

        var forwarded = await _desk.PostOk(petition.Id, "forward", new { forwardedTo = "Casa Județeană de Pensii Alba", noticeVia = "post" });

        Assert.That(forwarded.Status, Is.EqualTo("forwarded"));
        Assert.That(forwarded.ForwardedTo, Is.EqualTo("Casa Județeană de Pensii Alba"));
        Assert.That(forwarded.DueOn, Is.Null, "the term now runs at the competent authority");
        Assert.That(petition.ForwardBy, Is.EqualTo(new DateOnly(2026, 3, 7)));
        var summary = _desk.Scalar($"SELECT COUNT(*) FROM timeline WHERE kind = 'case.forwarded' AND upper(citizen_id) = upper('{citizen}') AND summary LIKE '%Casa Județeană de Pensii Alba; petitioner told by post'");
        Assert.That(summary, Is.EqualTo(1));
        var assign = await _desk.Post(petition.Id, "assign", new { department = "Direcția Tehnică" });
        Assert.That((await assign.AssertProblem(HttpStatusCode.Conflict)).GetProperty("detail").GetString(), Does.Contain("forwarded to Casa Județeană de Pensii Alba"));
    }

    [Test]
    public async Task Petitions_of_one_petitioner_on_one_matter_are_joined_and_a_repeat_after_the_answer_is_filed_with_a_note()
    {
        var citizen = await _desk.NewCitizen();
        var other = await _desk.NewCitizen("Ilona", "Szabó");
        var first = await _desk.Petition(citizen, "Zgomot de la bar");
        var second = await _desk.Petition(citizen, "Zgomot de la bar (din nou)");
        var strangers = await _desk.Petition(other, "Zgomot de la bar");

        var joined = await _desk.PostOk(second.Id, "join", new { intoCaseId = first.Id });
        var notSamePetitioner = await _desk.Post(strangers.Id, "join", new { intoCaseId = first.Id });
        await _desk.PostOk(first.Id, "assign", new { department = "Poliția Locală" });
        await _desk.PostOk(first.Id, "answer", Answer);
        var repeat = await _desk.Petition(citizen, "Zgomot de la bar (a treia oară)");
        var filed = await _desk.PostOk(repeat.Id, "join", new { intoCaseId = first.Id });

        Assert.That(joined.Status, Is.EqualTo("joined"));
        Assert.That(joined.JoinedToCaseId, Is.EqualTo(first.Id));
        Assert.That(joined.DueOn, Is.Null, "answered once, with the first petition");
        await notSamePetitioner.AssertProblem(HttpStatusCode.Conflict);
        Assert.That(filed.Status, Is.EqualTo("filed"));
        Assert.That(filed.Note, Does.Contain(first.RegistrationNumber).And.Contain("art. 10"));
        Assert.That(await _desk.HistoryKinds(repeat.Id), Is.EqualTo(new[] { "case.registered", "case.filed" }));
    }

    [Test]
    public async Task An_information_request_is_refused_with_a_numbered_motivated_answer()
    {
        var request = await _desk.RegisterOk(new { kind = "information_request", subject = "Date personale ale vecinului", contact = new { name = "X Y", details = "x@example.org" } });

        var refused = await _desk.PostOk(request.Id, "reject", new
        {
            reason = "Informațiile cerute sunt date personale ale altei persoane.", legalBasis = "Legea 544/2001 art. 12 alin. (1) lit. d)",
            signedBy = "Secretarul general", sentVia = "email",
        });

        Assert.That(refused.Status, Is.EqualTo("rejected"));
        Assert.That(refused.Answer!.OutgoingNumber, Is.EqualTo("2/2026"));
        Assert.That(refused.DueOn, Is.Null);
    }

    [Test]
    public async Task The_signed_answer_can_be_attached_as_a_pdf_and_is_stored_by_its_hash_not_its_name()
    {
        var petition = await _desk.Petition(await _desk.NewCitizen());
        await _desk.PostOk(petition.Id, "assign", new { department = "Direcția Tehnică" });
        var pdf = "%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"u8.ToArray();
        using var content = new ByteArrayContent(pdf);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");

        var upload = await _desk.Clerk.PostAsync($"/api/cases/{petition.Id}/documents?fileName=..%2F..%2Fetc%2Fpasswd", content);
        Assert.That(upload.StatusCode, Is.EqualTo(HttpStatusCode.Created), await upload.Content.ReadAsStringAsync());
        var doc = await upload.ReadJson<CaseDocument>();
        var answered = await _desk.PostOk(petition.Id, "answer", new
        {
            text = "Vezi răspunsul atașat.", legalBasis = "OG 27/2002", signedBy = "Primar", sentVia = "post", documentSha256 = doc.Sha256,
        });

        Assert.That(doc.FileName, Is.EqualTo("passwd"), "only the name is kept, without folders");
        Assert.That(answered.Answer!.DocumentSha256, Is.EqualTo(doc.Sha256));
        var stored = Path.Combine(_desk.App.DataFolder, "documents", doc.Sha256[..2], doc.Sha256);
        Assert.That(File.ReadAllBytes(stored), Is.EqualTo(pdf));
        var download = await _desk.Clerk.GetAsync($"/api/cases/{petition.Id}/documents/{doc.Sha256}");
        Assert.That(await download.Content.ReadAsByteArrayAsync(), Is.EqualTo(pdf));
        Assert.That(download.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/pdf"));
    }

    [Test]
    public async Task A_document_of_another_type_gets_415_and_one_too_large_gets_413()
    {
        using var desk = await RegistryDesk.OpenAsync(settings: new Dictionary<string, string?> { ["Registry:MaxDocumentBytes"] = "1024" });
        var petition = await desk.Petition(await desk.NewCitizen());

        using var exe = new ByteArrayContent([0x4D, 0x5A, 0x90, 0x00]);
        exe.Headers.ContentType = new MediaTypeHeaderValue("application/x-msdownload");
        var wrongType = await desk.Clerk.PostAsync($"/api/cases/{petition.Id}/documents", exe);
        Assert.That((await wrongType.AssertProblem(HttpStatusCode.UnsupportedMediaType)).GetProperty("detail").GetString(), Does.Contain("PDF, PNG, JPEG, DOCX or ODT"));

        using var fakePdf = new ByteArrayContent("MZ not really a pdf"u8.ToArray());
        fakePdf.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        var disguised = await desk.Clerk.PostAsync($"/api/cases/{petition.Id}/documents", fakePdf);
        await disguised.AssertProblem(HttpStatusCode.UnsupportedMediaType);

        using var big = new ByteArrayContent([.. "%PDF-"u8, .. new byte[2048]]);
        big.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        var tooLarge = await desk.Clerk.PostAsync($"/api/cases/{petition.Id}/documents", big);
        Assert.That((await tooLarge.AssertProblem(HttpStatusCode.RequestEntityTooLarge)).GetProperty("detail").GetString(), Does.Contain("at most 1 KB"));

        Assert.That(Directory.Exists(Path.Combine(desk.App.DataFolder, "documents")), Is.False, "nothing was stored");
        Assert.That(desk.Scalar("SELECT COUNT(*) FROM case_documents"), Is.EqualTo(0));
    }

    [Test]
    public async Task The_phone_robot_finds_a_citizens_case_by_number_and_never_someone_elses()
    {
        var citizen = await _desk.NewCitizen();
        var other = await _desk.NewCitizen("Maria", "Kovács");
        var mine = await _desk.Petition(citizen);
        var theirs = await _desk.Petition(other);

        var found = await _desk.App.Send(new FindCitizenCaseByNumber(citizen, mine.Number, null), "ivr");
        var foundWithYear = await _desk.App.Send(new FindCitizenCaseByNumber(citizen, mine.Number, 2026), "ivr");
        var notMine = await _desk.App.Send(new FindCitizenCaseByNumber(citizen, theirs.Number, null), "ivr");
        var wrongYear = await _desk.App.Send(new FindCitizenCaseByNumber(citizen, mine.Number, 2025), "ivr");
        var list = await _desk.App.Send(new GetCitizenCases(citizen, OpenOnly: true), "ivr");

        Assert.That(found.Case!.CaseId, Is.EqualTo(mine.Id));
        Assert.That(found.Case.DueOn, Is.EqualTo(new DateOnly(2026, 4, 1)));
        Assert.That(found.Case.DaysLeft, Is.EqualTo(30));
        Assert.That(foundWithYear.Case!.CaseId, Is.EqualTo(mine.Id));
        Assert.That(notMine.Case, Is.Null);
        Assert.That(wrongYear.Case, Is.Null);
        Assert.That(list.Items.Select(c => c.CaseId), Is.EqualTo(new[] { mine.Id }));
        Assert.That(_desk.Scalar($"SELECT COUNT(*) FROM audit_log WHERE actor = 'ivr' AND upper(citizen_id) = upper('{other}')"), Is.EqualTo(0), "a miss shows nobody's data");
        Assert.That(_desk.Scalar($"SELECT COUNT(*) FROM audit_log WHERE actor = 'ivr' AND upper(citizen_id) = upper('{citizen}')"), Is.EqualTo(3), "each answer that showed the citizen's case is audited");
    }
}
