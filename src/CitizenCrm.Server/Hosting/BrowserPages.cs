using System.Text.RegularExpressions;

namespace CitizenCrm.Server.Hosting;

/// <summary>
/// The two pages built from ClientApp/ into wwwroot by the .NET build: the public map at /map and the staff console at
/// /console. Every address under them is answered by the page (a report's link /map/r/2026-154, a console screen), and
/// every answer under /map, /console and /assets carries a strict Content-Security-Policy, nosniff and no-referrer.
/// </summary>
public static partial class BrowserPages
{
    /// <summary>
    /// Both pages load nothing but their own files: no inline script or style, no third-party origin. The one exception
    /// is the maps' tiles (images only) from OpenStreetMap's tile server. Leaflet's marker images are bundled and small
    /// enough for Vite to inline as data: URLs; blob: shows the photos chosen before they are sent.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob: https://tile.openstreetmap.org; " +
        "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static void UseBrowserPages(this WebApplication app)
    {
        app.UseWhen(IsBrowserPage, page => page.Use(async (http, next) =>
        {
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                // A console address can name a citizen (#/citizen/<id>); no other site learns where a clerk came from.
                headers["Referrer-Policy"] = "no-referrer";
                // The pages are small and change with each release; the hashed assets may be kept.
                if (!http.Request.Path.StartsWithSegments("/assets")) headers.CacheControl = "no-cache";
                return Task.CompletedTask;
            });
            await next(http);
        }));
        app.UseStaticFiles();
        // Not MapFallback with a handler: here (compile-time request delegates on) it answered every unknown address
        // with the page, /scalar/ outside Development included. A catch-all already ranks below every other route.
        app.MapMethods("/map/{**path}", [HttpMethods.Get, HttpMethods.Head], (HttpContext http, IWebHostEnvironment environment) =>
            PageAsync(http, environment, "map/index.html")).WithMetadata(new ExcludeFromDescriptionAttribute());
        app.MapMethods("/console/{**path}", [HttpMethods.Get, HttpMethods.Head], (HttpContext http, IWebHostEnvironment environment) =>
            PageAsync(http, environment, "console/index.html")).WithMetadata(new ExcludeFromDescriptionAttribute());
    }

    private static bool IsBrowserPage(HttpContext http) =>
        http.Request.Path.StartsWithSegments("/map") || http.Request.Path.StartsWithSegments("/console") || http.Request.Path.StartsWithSegments("/assets");

    [GeneratedRegex(@"\b(src|href)=""/(?!/)")]
    private static partial Regex RootRelativeAddress();

    /// <summary>
    /// The built page, with the prefix the request came under (Server:PathBase) written into its root-relative src and
    /// href and into its citizencrm-root meta, which the scripts read for the addresses they build. A request that came
    /// without the prefix gets the page unchanged.
    /// </summary>
    private static async Task PageAsync(HttpContext http, IWebHostEnvironment environment, string page)
    {
        var file = environment.WebRootFileProvider.GetFileInfo(page);
        if (!file.Exists)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        string html;
        await using (var stream = file.CreateReadStream())
        using (var reader = new StreamReader(stream))
            html = await reader.ReadToEndAsync(http.RequestAborted);
        var root = http.Request.PathBase.ToUriComponent();
        if (root.Length > 0)
            html = RootRelativeAddress().Replace(html, m => $"{m.Groups[1].Value}=\"{root}/")
                .Replace("<meta name=\"citizencrm-root\" content=\"\">", $"<meta name=\"citizencrm-root\" content=\"{System.Net.WebUtility.HtmlEncode(root)}\">", StringComparison.Ordinal);
        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.WriteAsync(html, http.RequestAborted);
    }
}
