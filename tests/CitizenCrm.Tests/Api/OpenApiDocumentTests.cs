using System.Text.Json;
using CitizenCrm.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace CitizenCrm.Tests.Api;

/// <summary>/openapi/v1.json describes the API as it is, so that a generated client works against it.</summary>
public sealed class OpenApiDocumentTests
{
    private CrmTestApp _app = null!;
    private JsonElement _doc;

    [OneTimeSetUp]
    public async Task ReadDocument()
    {
        _app = new CrmTestApp();
        _doc = await ApiDocument.ReadAsync(_app);
    }

    [OneTimeTearDown]
    public void Stop() => _app.Dispose();

    private JsonElement Operation(string method, string path) => _doc.GetProperty("paths").GetProperty(path).GetProperty(method);

    private static List<string> Keys(JsonElement e) => e.EnumerateObject().Select(p => p.Name).ToList();

    [Test]
    public void The_bearer_scheme_is_declared_and_required_where_a_sign_in_is()
    {
        var scheme = _doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.That(scheme.GetProperty("type").GetString(), Is.EqualTo("http"));
        Assert.That(scheme.GetProperty("scheme").GetString(), Is.EqualTo("bearer"));

        var me = Operation("get", "/api/auth/me");
        Assert.That(Keys(me.GetProperty("security")[0]), Is.EqualTo(new[] { "Bearer" }));
        Assert.That(Keys(Operation("post", "/api/citizens").GetProperty("security")[0]), Is.EqualTo(new[] { "Bearer" }));
        Assert.That(Operation("post", "/api/auth/sign-in").TryGetProperty("security", out _), Is.False, "sign-in needs no token");
        Assert.That(Operation("post", "/twilio/voice/incoming").TryGetProperty("security", out _), Is.False, "Twilio signs, it has no token");
    }

    [Test]
    public void Success_codes_are_the_real_ones()
    {
        Assert.That(Keys(Operation("post", "/api/citizens").GetProperty("responses")), Does.Contain("201").And.Not.Contain("200"));
        Assert.That(Operation("post", "/api/citizens").GetProperty("responses").GetProperty("201").GetProperty("content")
            .GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString(), Is.EqualTo("#/components/schemas/Citizen"));
        Assert.That(Keys(Operation("post", "/api/cases").GetProperty("responses")), Does.Contain("201").And.Not.Contain("200"));
        Assert.That(Keys(Operation("post", "/api/auth/sign-out").GetProperty("responses")), Does.Contain("204").And.Not.Contain("200"));
        Assert.That(Keys(Operation("post", "/api/phone/requests/{id}/done").GetProperty("responses")), Does.Contain("204").And.Not.Contain("200"));
        Assert.That(Keys(Operation("get", "/api/citizens/{id}").GetProperty("responses")), Does.Contain("200"));
    }

    [Test]
    public void Errors_are_problem_details()
    {
        var responses = Operation("post", "/api/citizens").GetProperty("responses");
        Assert.That(Keys(responses), Is.SupersetOf(new[] { "400", "401", "403", "409", "413", "415" }));
        Assert.That(responses.GetProperty("400").GetProperty("content").GetProperty("application/problem+json").GetProperty("schema")
            .GetProperty("$ref").GetString(), Is.EqualTo("#/components/schemas/HttpValidationProblemDetails"));
        Assert.That(responses.GetProperty("403").GetProperty("content").GetProperty("application/problem+json").GetProperty("schema")
            .GetProperty("$ref").GetString(), Is.EqualTo("#/components/schemas/ProblemDetails"));
        Assert.That(Keys(Operation("get", "/api/citizens/{id}").GetProperty("responses")), Does.Contain("404"));
        Assert.That(Keys(Operation("post", "/api/auth/sign-in").GetProperty("responses")), Does.Contain("429").And.Contain("401").And.Not.Contain("403"));
        Assert.That(Keys(Operation("get", "/api/registry/categories").GetProperty("responses")), Does.Contain("401").And.Not.Contain("403"),
            "any signed-in user may read the categories");
        var schemas = _doc.GetProperty("components").GetProperty("schemas");
        Assert.That(Keys(schemas.GetProperty("ProblemDetails").GetProperty("properties")), Is.SupersetOf(new[] { "type", "title", "status", "detail" }));
        Assert.That(Keys(schemas.GetProperty("HttpValidationProblemDetails").GetProperty("properties")), Does.Contain("errors"));
    }

    [Test]
    public void The_revenue_import_takes_a_csv_body_or_a_multipart_file_field()
    {
        var content = Operation("post", "/api/revenue/imports").GetProperty("requestBody").GetProperty("content");
        Assert.That(Keys(content), Is.EquivalentTo(new[] { "text/csv", "multipart/form-data" }));
        var form = content.GetProperty("multipart/form-data").GetProperty("schema");
        Assert.That(Keys(form.GetProperty("properties")), Is.EqualTo(new[] { "file" }));
        Assert.That(form.GetProperty("properties").GetProperty("file").GetProperty("format").GetString(), Is.EqualTo("binary"));
        Assert.That(Keys(Operation("post", "/api/revenue/imports").GetProperty("responses")), Does.Contain("413").And.Contain("415"));
    }

    [Test]
    public void Optional_fields_are_not_required()
    {
        var body = _doc.GetProperty("components").GetProperty("schemas").GetProperty("CitizenBody");
        var required = body.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(e => e.GetString()).ToList() : [];
        Assert.That(required, Does.Not.Contain("address").And.Not.Contain("dateOfBirth").And.Not.Contain("emails"));
        Assert.That(Keys(body.GetProperty("properties")), Does.Contain("address").And.Not.Contain("details"), "a computed property is not part of the body");
        var search = _doc.GetProperty("components").GetProperty("schemas").GetProperty("SearchBody");
        Assert.That(search.TryGetProperty("required", out var s) ? s.GetArrayLength() : 0, Is.EqualTo(0), "every search criterion is optional");
    }

    [Test]
    public void Twilio_webhooks_take_a_form_and_answer_twiml_or_403()
    {
        var turn = Operation("post", "/twilio/voice/turn");
        Assert.That(Keys(turn.GetProperty("requestBody").GetProperty("content")), Is.EqualTo(new[] { "application/x-www-form-urlencoded" }));
        Assert.That(Keys(turn.GetProperty("responses")), Is.EquivalentTo(new[] { "200", "403" }));
        Assert.That(Keys(turn.GetProperty("responses").GetProperty("200").GetProperty("content")), Is.EqualTo(new[] { "application/xml" }));
    }

    [Test]
    public async Task The_root_says_what_the_server_is_and_where_to_go()
    {
        var response = await _app.CreateClient().GetAsync("/");
        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        var index = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.That(index.GetProperty("name").GetString(), Is.EqualTo("CitizenCRM"));
        Assert.That(index.GetProperty("version").GetString(), Is.Not.Empty);
        var links = index.GetProperty("links");
        Assert.That(links.GetProperty("console").GetString(), Is.EqualTo("/console/"));
        Assert.That(links.GetProperty("map").GetString(), Is.EqualTo("/map"));
        Assert.That(links.GetProperty("openapi").GetString(), Is.EqualTo("/openapi/v1.json"));
        Assert.That(links.GetProperty("health").GetString(), Is.EqualTo("/health/ready"));
        Assert.That(links.GetProperty("readme").GetString(), Does.StartWith("README.md"));
        Assert.That(links.TryGetProperty("reference", out _), Is.False, "the interactive reference is served in Development only");
        Assert.That((int)(await _app.CreateClient().GetAsync("/scalar/")).StatusCode, Is.EqualTo(404));
    }

    [Test]
    public async Task In_development_the_interactive_reference_is_served_without_fetching_fonts()
    {
        using var development = _app.WithWebHostBuilder(b => b.UseEnvironment("Development"));
        var client = development.CreateClient();
        var page = await client.GetAsync("/scalar/");
        var html = await page.Content.ReadAsStringAsync();
        Assert.That((int)page.StatusCode, Is.EqualTo(200), html);
        Assert.That(html, Does.Contain("openapi/v1.json"));
        Assert.That(html, Does.Contain("\"withDefaultFonts\":false").And.Contain("\"telemetry\":false"));
        Assert.That(html, Does.Not.Contain("fonts.scalar.com").And.Not.Contain("fonts.googleapis.com"));
        var index = JsonDocument.Parse(await client.GetStringAsync("/")).RootElement;
        Assert.That(index.GetProperty("links").GetProperty("reference").GetString(), Is.EqualTo("/scalar"));
    }
}
