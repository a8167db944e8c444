using System.Text.Json;
using CitizenCrm.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CitizenCrm.Tests.Console;

/// <summary>
/// The console's navigation (ClientApp/src/console/sections.json) offers each role exactly the sections the server lets
/// it use: every section names the API endpoint it is built on, and its roles must be that endpoint's roles. A role
/// added to an endpoint, or taken away, fails here until the navigation follows.
/// </summary>
public sealed class SectionRolesTests
{
    private static string SectionsFile()
    {
        var folder = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "CitizenCRM.sln"))) folder = folder.Parent;
        return Path.Combine(folder!.FullName, "src", "CitizenCrm.Server", "ClientApp", "src", "console", "sections.json");
    }

    [Test]
    public void Each_sections_roles_are_the_roles_its_endpoint_allows()
    {
        using var app = new CrmTestApp();
        _ = app.Server; // builds the host, so the endpoints exist
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        using var json = JsonDocument.Parse(File.ReadAllText(SectionsFile()));
        var sections = json.RootElement.GetProperty("sections").EnumerateArray().ToList();
        Assert.That(sections, Has.Count.EqualTo(20), "the console's sections");

        var mismatches = new List<string>();
        foreach (var section in sections)
        {
            var id = section.GetProperty("id").GetString()!;
            var api = section.GetProperty("api").GetString()!.Split(' ', 2);
            var (method, route) = (api[0], api[1]);
            var endpoint = endpoints.SingleOrDefault(e => string.Equals("/" + e.RoutePattern.RawText!.TrimStart('/'), route, StringComparison.Ordinal)
                && (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains(method) ?? false));
            if (endpoint is null)
            {
                mismatches.Add($"{id}: no endpoint {method} {route}");
                continue;
            }
            var allowed = endpoint.Metadata.GetOrderedMetadata<AuthorizationPolicy>()
                .SelectMany(p => p.Requirements.OfType<RolesAuthorizationRequirement>()).SelectMany(r => r.AllowedRoles).Order().ToList();
            var declared = section.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!).Order().ToList();
            if (!allowed.SequenceEqual(declared))
                mismatches.Add($"{id}: sections.json says [{string.Join(", ", declared)}], {method} {route} allows [{string.Join(", ", allowed)}]");
        }
        Assert.That(mismatches, Is.Empty);
    }
}
