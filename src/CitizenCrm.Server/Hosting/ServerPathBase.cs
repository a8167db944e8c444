namespace CitizenCrm.Server.Hosting;

/// <summary>
/// Server:PathBase, the prefix the server answers under (/crm) when a proxy passes /crm/... through unchanged.
/// Requests without the prefix are still answered: the health probe of a load balancer that talks to the node
/// directly, and a proxy still configured to strip the prefix, keep working. Each answer's links follow the
/// address the request came by.
/// </summary>
public static class ServerPathBase
{
    public const string Setting = "Server:PathBase";

    /// <summary>The checked prefix, or empty. A bad value stops the start with a sentence that names it.</summary>
    public static PathString Read(IConfiguration configuration)
    {
        var value = configuration[Setting];
        if (string.IsNullOrEmpty(value)) return PathString.Empty;
        string? problem = null;
        if (!value.StartsWith('/')) problem = "it must start with '/'";
        else if (value == "/" || value.EndsWith('/')) problem = "it must not end with '/' (leave it empty for no prefix)";
        else if (value.IndexOfAny(['?', '#']) >= 0) problem = "it is a path only, without a query or fragment";
        else if (value.Contains("//", StringComparison.Ordinal) || value.Any(char.IsWhiteSpace)) problem = "it must not hold empty segments or spaces";
        if (problem is not null)
            throw new InvalidOperationException($"{Setting}: '{value}' is not a path prefix: {problem} (e.g. /crm).");
        return new PathString(value);
    }

    /// <summary>
    /// Handlers write app-rooted Location headers (/api/cases/{id}); under a prefix the client must be sent to
    /// /crm/api/cases/{id}. Done once here rather than in every Created(...) call, so a new endpoint cannot forget it.
    /// </summary>
    public static void UsePrefixedLocations(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        if (http.Request.PathBase.HasValue)
            http.Response.OnStarting(() =>
            {
                var location = http.Response.Headers.Location.ToString();
                if (location.StartsWith('/') && !location.StartsWith("//", StringComparison.Ordinal))
                    http.Response.Headers.Location = http.Request.PathBase.ToUriComponent() + location;
                return Task.CompletedTask;
            });
        return next(http);
    });
}
