using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Infrastructure;

namespace CitizenCrm.Tests.DataProtection.Erasure;

/// <summary>Documents are stored once per content: an erasure removes a file only when no other case still refers to it.</summary>
[TestFixture]
public sealed class ErasureFileTests
{
    [Test]
    public async Task A_document_another_case_also_holds_stays_until_that_case_lets_go_of_it()
    {
        using var app = new CrmTestApp();
        var clerk = await app.ClientFor(StaffRole.Clerk);
        var supervisor = await app.ClientFor(StaffRole.Supervisor);
        var first = (await clerk.RegisterCitizen(firstName: "Ilie", lastName: "Moldovan")).Id;
        var second = (await clerk.RegisterCitizen(firstName: "Dana", lastName: "Moldovan")).Id;
        var firstCase = await clerk.RegisterPetition(first, "Cerere comună");
        var secondCase = await clerk.RegisterPetition(second, "Cerere comună");
        var bytes = Encoding.UTF8.GetBytes("%PDF-1.7\n% Cererea familiei Moldovan\n%%EOF\n");
        string sha = "";
        foreach (var caseId in new[] { firstCase, secondCase })
        {
            using var pdf = new ByteArrayContent(bytes);
            pdf.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            var response = await clerk.PostAsync($"/api/cases/{caseId}/documents", pdf);
            var body = await response.Content.ReadAsStringAsync();
            Assert.That((int)response.StatusCode, Is.EqualTo(201), body);
            sha = JsonDocument.Parse(body).RootElement.GetProperty("sha256").GetString()!;
            await clerk.FileCase(caseId);
        }
        var path = Path.Combine(app.DataFolder, "documents", sha[..2], sha);
        Assert.That(File.Exists(path), "stored once for both cases");

        var erased = await supervisor.EraseOk(await app.RegisterRequest(first));
        Assert.That(erased.GetProperty("counts").GetProperty("documentsRemoved").GetInt32(), Is.EqualTo(1), "the first case's row went");
        Assert.That(File.Exists(path), "the second case still refers to the same content");
        Assert.That((int)(await clerk.GetAsync($"/api/cases/{secondCase}/documents/{sha}")).StatusCode, Is.EqualTo(200));

        await supervisor.EraseOk(await app.RegisterRequest(second));
        Assert.That(File.Exists(path), Is.False, "no case refers to it any more");
    }
}
