using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Infrastructure;

namespace CitizenCrm.Tests.Open311;

/// <summary>What an Open311 app does, by hand: form posts, both formats, and reading the answers as the specification shapes them.</summary>
internal static class Open311Client
{
    public const string Base = "/open311/v2";

    public static async Task<string> IssueKeyAsync(CrmTestApp app, string appName = "FixMyStreet Alba")
    {
        var admin = await app.ClientFor(StaffRole.Admin);
        var response = await admin.PostAsJsonAsync("/api/open311/keys", new { appName });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("apiKey").GetString()!;
    }

    /// <summary>A report of illegal dumping at the Citadel's gate, with everything GeoReport v2 lets an app send.</summary>
    public static List<KeyValuePair<string, string>> DumpingReport(string apiKey) =>
    [
        new("api_key", apiKey), new("jurisdiction_id", "apulum.ro"), new("service_code", "illegal_dumping"),
        new("lat", "46.0686"), new("long", "23.5705"), new("address_string", "Strada Trandafirilor 10, Alba Iulia"),
        new("attribute[waste_type][]", "household"), new("attribute[waste_type][]", "bulky"), new("attribute[amount]", "car"),
        new("email", "ana.popescu@example.com"), new("phone", "0745 123 987"), new("first_name", "Ana"), new("last_name", "Popescu"),
        new("device_id", "device-7781"), new("account_id", "acct-5521"),
        new("description", "Saci de gunoi și o canapea pe trotuar"), new("media_url", "https://photos.example.org/dump/1.jpg"),
    ];

    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string format, IEnumerable<KeyValuePair<string, string>> fields) =>
        await client.PostAsync($"{Base}/requests.{format}", new FormUrlEncodedContent(fields));

    /// <summary>Posts a report and returns its service_request_id, read from the JSON answer.</summary>
    public static async Task<string> ReportAsync(HttpClient client, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var response = await PostAsync(client, "json", fields);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), body);
        return JsonDocument.Parse(body).RootElement[0].GetProperty("service_request_id").GetString()!;
    }

    public static async Task<XDocument> Xml(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), body);
        Assert.That(response.Content.Headers.ContentType?.ToString(), Is.EqualTo("text/xml; charset=utf-8"));
        Assert.That(body, Does.StartWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>"));
        return XDocument.Parse(body);
    }

    public static async Task<JsonElement> Json(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), body);
        Assert.That(response.Content.Headers.ContentType?.ToString(), Is.EqualTo("application/json; charset=utf-8"));
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static string[] ChildNames(XElement e) => e.Elements().Select(x => x.Name.LocalName).ToArray();

    public static string[] PropertyNames(JsonElement e) => e.EnumerateObject().Select(p => p.Name).ToArray();

    /// <summary>Open311's error answer in XML: errors/error/code + description, with the HTTP status; the descriptions.</summary>
    public static async Task<string[]> XmlErrors(HttpResponseMessage response, HttpStatusCode status)
    {
        var xml = await Xml(response, status);
        Assert.That(xml.Root!.Name.LocalName, Is.EqualTo("errors"));
        Assert.That(xml.Root.Elements().Select(e => e.Name.LocalName).Distinct(), Is.EqualTo(new[] { "error" }));
        foreach (var error in xml.Root.Elements())
        {
            Assert.That(ChildNames(error), Is.EqualTo(new[] { "code", "description" }));
            Assert.That(error.Element("code")!.Value, Is.EqualTo(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        return xml.Root.Elements().Select(e => e.Element("description")!.Value).ToArray();
    }

    /// <summary>Open311's error answer in JSON: an array of {code, description}.</summary>
    public static async Task<string[]> JsonErrors(HttpResponseMessage response, HttpStatusCode status)
    {
        var json = await Json(response, status);
        Assert.That(json.ValueKind, Is.EqualTo(JsonValueKind.Array));
        foreach (var error in json.EnumerateArray())
        {
            Assert.That(PropertyNames(error), Is.EqualTo(new[] { "code", "description" }));
            Assert.That(error.GetProperty("code").GetInt32(), Is.EqualTo((int)status));
        }
        return json.EnumerateArray().Select(e => e.GetProperty("description").GetString()!).ToArray();
    }

    public static long Count(CrmTestApp app, string sql)
    {
        using var db = app.OpenDatabase();
        using var command = db.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    public static string? DbValue(CrmTestApp app, string sql)
    {
        using var db = app.OpenDatabase();
        using var command = db.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar()?.ToString();
    }
}
