using System.Reflection;

namespace CitizenCrm.Server.Hosting;

/// <summary>GET /: what this server is and where to go next, for someone who opened its address in a browser or with curl.</summary>
public static class ServerIndex
{
    public sealed record Index(string Name, string Version, string About, IReadOnlyDictionary<string, string> Links);

    public static IResult Describe(HttpContext http, IWebHostEnvironment environment)
    {
        var version = typeof(ServerIndex).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        // Under Server:PathBase the links are followed through the proxy, so they carry the prefix.
        var root = http.Request.PathBase.ToUriComponent();
        var links = new Dictionary<string, string>
        {
            ["console"] = root + "/console/",
            ["map"] = root + "/map",
            ["openapi"] = root + "/openapi/v1.json",
            ["health"] = root + "/health/ready",
            ["readme"] = "README.md at the root of the CitizenCRM repository: prerequisites, configuration and walk-throughs",
        };
        // The interactive reference is served only in Development (ServerApp).
        if (environment.IsDevelopment()) links["reference"] = root + "/scalar";
        return Results.Ok(new Index("CitizenCRM", version.Split('+')[0],
            "The back office of a city hall's relationship with its citizens: the staff console at /console/, the public map at /map, an HTTP API under /api (sign in with POST /api/auth/sign-in) and Twilio voice webhooks under /twilio/voice.",
            links));
    }
}
