using CitizenCrm.Core.Staff;
using Microsoft.AspNetCore.Mvc;

namespace CitizenCrm.Server.Hosting;

/// <summary>
/// The staff console's session: the same opaque token as the API's, kept in an HttpOnly, SameSite=Strict cookie that no
/// script can read. A cookie goes with every request the browser makes, forged ones too, so every unsafe request signed
/// only by the cookie must also carry the console's own header: a page of another origin cannot add a custom header
/// without a CORS preflight, which this server never grants (OWASP's "custom request header" defence), and SameSite
/// keeps the cookie off cross-site requests in the first place.
/// </summary>
public static class ConsoleSession
{
    public const string CookieName = "citizencrm_session";
    public const string HeaderName = "X-CitizenCRM-Console";

    public static CookieOptions CookieFor(HttpContext http, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = http.Request.IsHttps,
        Path = http.Request.PathBase.HasValue ? http.Request.PathBase.Value : "/",
        Expires = expires,
        IsEssential = true,
    };

    public static bool HasConsoleHeader(HttpRequest request) => request.Headers[HeaderName] == "1";

    /// <summary>Refuses, with 403, an unsafe request signed only by the session cookie that lacks the console's header.</summary>
    public static void UseConsoleCookieGuard(this WebApplication app) => app.Use(async (http, next) =>
    {
        var byCookie = http.User.FindFirst(BearerTokenHandler.CarriedByClaim)?.Value == "cookie";
        if (byCookie && !HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method) && !HttpMethods.IsOptions(http.Request.Method)
            && !HasConsoleHeader(http.Request))
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = new ProblemDetails
                {
                    Status = 403, Title = "Missing anti-forgery header",
                    Detail = $"A change signed by the console's session cookie must carry the header '{HeaderName}: 1', which only the console's own pages send. Nothing was changed.",
                },
            });
            return;
        }
        await next(http);
    });
}
