using System.Text.Json;
using CitizenCrm.Tests.Api;

namespace CitizenCrm.Tests.Intake;

public sealed class IntakeApiDocumentTests : WebForm
{
    private static IEnumerable<string> Keys(JsonElement e) => e.EnumerateObject().Select(p => p.Name);

    [Test]
    public async Task The_api_document_shows_the_web_form_as_public_with_its_two_bodies_and_its_429()
    {
        var paths = (await ApiDocument.ReadAsync(App)).GetProperty("paths");
        var submit = paths.GetProperty("/api/public/requests").GetProperty("post");

        Assert.That(submit.TryGetProperty("security", out _), Is.False, "no login for citizens");
        Assert.That(Keys(submit.GetProperty("requestBody").GetProperty("content")), Is.EquivalentTo(new[] { "application/json", "multipart/form-data" }));
        Assert.That(Keys(submit.GetProperty("responses")), Is.SupersetOf(new[] { "201", "400", "429" }));
        var status = paths.GetProperty("/api/public/requests/{year}/{number}").GetProperty("get");
        Assert.That(status.GetProperty("parameters").EnumerateArray().Select(p => (p.GetProperty("name").GetString(), p.GetProperty("in").GetString())),
            Does.Contain(("X-Access-Code", "header")), "the code travels in a header, never in the URL");
        Assert.That(Keys(status.GetProperty("responses")), Is.SupersetOf(new[] { "200", "404", "429" }));
        Assert.That(Keys(paths.GetProperty("/api/intake/field").GetProperty("post").GetProperty("responses")), Is.SupersetOf(new[] { "201", "401", "403" }));
    }
}
