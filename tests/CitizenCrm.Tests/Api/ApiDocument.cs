using System.Text.Json;
using CitizenCrm.Tests.Infrastructure;

namespace CitizenCrm.Tests.Api;

/// <summary>The operations /openapi/v1.json lists, as "METHOD /path" with the document's {name} placeholders.</summary>
public static class ApiDocument
{
    public static async Task<JsonElement> ReadAsync(CrmTestApp app)
    {
        var response = await app.CreateClient().GetAsync("/openapi/v1.json");
        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    public static async Task<List<string>> OperationsAsync(CrmTestApp app)
    {
        var document = await ReadAsync(app);
        var operations = new List<string>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject())
                if (operation.Name is "get" or "post" or "put" or "delete" or "patch")
                    operations.Add($"{operation.Name.ToUpperInvariant()} {path.Name}");
        Assert.That(operations, Has.Count.GreaterThan(40), "the document must list the API");
        return operations;
    }

    /// <summary>Fills a document path's placeholders with values the test chose.</summary>
    public static string Fill(string path, IReadOnlyDictionary<string, string> values) =>
        System.Text.RegularExpressions.Regex.Replace(path, @"\{(\w+)\}", m =>
            values.TryGetValue(m.Groups[1].Value, out var v) ? v : throw new AssertionException($"no value for {{{m.Groups[1].Value}}} in {path}"));
}
