using System.Net;
using System.Net.Http.Json;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Intake;
using CitizenCrm.Tests.Infrastructure;

namespace CitizenCrm.Tests.Intake;

public sealed class PublicStatusTests : WebForm
{
    private async Task<WebRequestReceipt> SendPetition() =>
        await (await Send(Form(Petition()))).ReadJson<WebRequestReceipt>();

    [Test]
    public async Task With_number_and_code_anyone_reads_the_status_without_any_personal_data()
    {
        var receipt = await SendPetition();

        var response = await Status("/api/public/requests/2026/1", receipt.AccessCode.ToLowerInvariant().Replace("-", " "));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the code is read in any case, with spaces or dashes");
        var text = await response.Content.ReadAsStringAsync();
        var status = await response.ReadJson<PublicCaseStatus>();
        Assert.That((status.RegistrationNumber, status.Status, status.DueOn, status.AnswerDocumentAvailable),
            Is.EqualTo(("1/2026", "registered", (DateOnly?)new DateOnly(2026, 4, 9), false)));
        Assert.That(text, Does.Not.Contain("Maria").And.Not.Contain("Ionescu").And.Not.Contain("example.ro").And.Not.Contain("groapă adâncă"));
    }

    [Test]
    public async Task A_wrong_code_an_unknown_number_and_no_code_all_read_the_same_404()
    {
        var receipt = await SendPetition();
        var wrong = receipt.AccessCode[..^1] + (receipt.AccessCode[^1] == 'A' ? 'B' : 'A');

        var bodies = new List<string>();
        foreach (var (path, code) in new[] { ("/api/public/requests/2026/1", wrong), ("/api/public/requests/2026/2", receipt.AccessCode),
                     ("/api/public/requests/2026/1", null), ("/api/public/requests/2026/1/answer", wrong) })
        {
            var problem = await (await Status(path, code)).AssertProblem(HttpStatusCode.NotFound);
            bodies.Add(problem.GetProperty("title").GetString() + "|" + problem.GetProperty("detail").GetString());
        }
        Assert.That(bodies.Distinct().Count(), Is.EqualTo(1), "no oracle: " + string.Join(" / ", bodies));
    }

    [Test]
    public async Task Once_answered_with_a_document_the_answer_is_downloaded_with_number_and_code()
    {
        var receipt = await SendPetition();
        var early = await (await Status("/api/public/requests/2026/1/answer", receipt.AccessCode)).AssertProblem(HttpStatusCode.Conflict);
        Assert.That(early.GetProperty("detail").GetString(), Does.Contain("not been answered yet"));

        var caseId = (await (await Clerk.GetAsync("/api/cases?dueWithinDays=60")).ReadJson<CaseQueue>()).Items.Single().CaseId;
        var answerPdf = "%PDF-1.7\n% raspuns semnat\n%%EOF\n"u8.ToArray();
        var upload = new ByteArrayContent(answerPdf);
        upload.Headers.ContentType = new("application/pdf");
        var doc = await (await Clerk.PostAsync($"/api/cases/{caseId}/documents?fileName=raspuns-Ionescu.pdf", upload)).ReadJson<CaseDocument>();
        Assert.That((await Clerk.PostAsJsonAsync($"/api/cases/{caseId}/assign", new { department = "Direcția Tehnică" })).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var answered = await Clerk.PostAsJsonAsync($"/api/cases/{caseId}/answer", new
        {
            text = "Groapa a fost astupată.", legalBasis = "OG 27/2002 art. 8", signedBy = "Primar", sentVia = "email", documentSha256 = doc.Sha256,
        });
        Assert.That(answered.StatusCode, Is.EqualTo(HttpStatusCode.OK), await answered.Content.ReadAsStringAsync());

        var status = await (await Status("/api/public/requests/2026/1", receipt.AccessCode)).ReadJson<PublicCaseStatus>();
        Assert.That((status.Status, status.AnsweredOn, status.OutgoingNumber, status.AnswerDocumentUrl),
            Is.EqualTo(("answered", (DateOnly?)new DateOnly(2026, 3, 10), "2/2026", "/api/public/requests/2026/1/answer")));
        var download = await Status("/api/public/requests/2026/1/answer", receipt.AccessCode);
        Assert.That(download.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(download.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/pdf"));
        Assert.That(download.Content.Headers.ContentDisposition?.FileName, Is.EqualTo("raspuns-1-2026.pdf"), "named by its number, not by the clerk's file name");
        Assert.That(await download.Content.ReadAsByteArrayAsync(), Is.EqualTo(answerPdf));
    }
}

/// <summary>The web form and the status look-ups are limited per client address (Intake:Web), here to 3 and 2 per 10 minutes.</summary>
public sealed class WebFloodTests : WebForm
{
    protected override Dictionary<string, string?> Settings => new()
    {
        ["Intake:Web:PermitLimit"] = "3", ["Intake:Web:WindowSeconds"] = "600",
        ["Intake:Web:LookupPermitLimit"] = "2", ["Intake:Web:LookupWindowSeconds"] = "600",
    };

    [Test]
    public async Task A_flood_from_one_address_gets_429_with_retry_after_and_nothing_from_the_refused_requests_is_written()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            var response = await Send(Form(Petition($"Cererea {i}"), ("a.pdf", Pdf, "application/pdf")));
            statuses.Add(response.StatusCode);
            if (i < 3) continue;
            var problem = await response.AssertProblem(HttpStatusCode.TooManyRequests);
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("Nothing was registered"));
            var retryAfter = response.Headers.RetryAfter?.Delta?.TotalSeconds;
            Assert.That(retryAfter, Is.GreaterThan(0).And.LessThanOrEqualTo(600), "Retry-After in seconds, within the window");
        }

        Assert.That(statuses, Is.EqualTo(new[] { HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created,
            HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests }));
        Assert.That(Count("cases"), Is.EqualTo(3));
        Assert.That(Count("case_documents"), Is.EqualTo(3));
        Assert.That(Count("timeline WHERE case_id IS NOT NULL"), Is.EqualTo(6), "a registration and an attachment for each of the three accepted");
    }

    [Test]
    public async Task Guessing_access_codes_is_throttled_too()
    {
        await Send(Form(Petition()));
        await (await Status("/api/public/requests/2026/1", "AAAA-AAAA-AAAA")).AssertProblem(HttpStatusCode.NotFound);
        await (await Status("/api/public/requests/2026/1", "AAAA-AAAA-AAAB")).AssertProblem(HttpStatusCode.NotFound);

        var third = await Status("/api/public/requests/2026/1", "AAAA-AAAA-AAAC");

        await third.AssertProblem(HttpStatusCode.TooManyRequests);
        Assert.That(third.Headers.RetryAfter?.Delta, Is.Not.Null);
    }
}
