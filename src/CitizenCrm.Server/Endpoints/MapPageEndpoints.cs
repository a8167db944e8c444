using System.Globalization;
using System.Text.RegularExpressions;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Map;
using CitizenCrm.Core.Map.PublicReports;
using Mediator;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace CitizenCrm.Server.Endpoints;

/// <summary>
/// The city's own reporting site: the page at /map (built from ClientApp/ into wwwroot by the .NET build) and its two
/// public endpoints. Reports go through the public intake's rules (the web form's rate limit per address and its
/// honeypot), so the page needs no Open311 key, and then through the same ReportIncident command as Open311 apps.
/// </summary>
public static partial class MapPageEndpoints
{
    public static void MapMapPageEndpoints(this RouteGroupBuilder api)
    {
        var reports = api.MapGroup("/public/reports").WithTags("Map page").AllowAnonymous();

        reports.MapPost("/", SubmitAsync)
            .Accepts<ReportForm>("multipart/form-data", "application/x-www-form-urlencoded")
            .Produces<PublicReportReceipt>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .RequireRateLimiting(IntakeEndpoints.WebPolicy)
            .WithDescription("An incident reported from the city's map page, without a login: service_code, lat, long, address_string, " +
                             "description, attribute[code] (attribute[code][] for a multi-value question), optional first_name/last_name " +
                             "or name, email, phone, and photos in any file field (JPEG, PNG or WebP, Map:MaxPhotos). Answers the " +
                             "registration number and the link that follows the report. Leave 'website' empty: it is a trap for bots. " +
                             "Limited per client address like the web form (Intake:Web).");

        reports.MapGet("/{id}", async (string id, string? lang, IMediator mediator, CancellationToken ct) =>
                Results.Ok(await mediator.Send(new GetPublicReport(id, lang), ct)))
            .Produces<PublicReport>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithDescription("A report of the map by its id (like 2026-154), for anyone: service, status, term, place, public updates " +
                             "and reviewed photos; never the reporter. 404 for an unknown id and for a report kept off the public map.");
    }

    /// <summary>The form's fields as the OpenAPI description shows them (the handler reads the form itself).</summary>
    public sealed record ReportForm(
        string? service_code, string? lat, string? @long, string? address_string, string? description,
        string? first_name, string? last_name, string? name, string? email, string? phone, string? website, IFormFileCollection? photo);

    [GeneratedRegex(@"^attribute\[([^\[\]]+)\](\[\])?$")]
    private static partial Regex AttributeField();

    private static async Task<IResult> SubmitAsync(HttpContext http, RequestContext context, IOptions<MapOptions> options, IMediator mediator, CancellationToken ct)
    {
        // As on the web form: one answer per person, not per key, and the actor is "citizen".
        context.IdempotencyKey = null;
        context.SystemActor = "citizen";
        var o = options.Value;
        var request = http.Request;
        var bodyLimit = o.MaxPhotos * o.MaxPhotoBytes + 256 * 1024;
        var tooLarge = $"Send at most {o.MaxPhotos} photos of at most {o.MaxPhotoBytes / (1024 * 1024)} MB each; nothing was registered.";
        if (!request.HasFormContentType)
            return Results.Problem(statusCode: 415, title: "Unsupported content type",
                detail: "Send the report as multipart/form-data (with photos) or as application/x-www-form-urlencoded.");
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = bodyLimit;
        if (request.ContentLength > bodyLimit) return Results.Problem(statusCode: 413, title: "Request too large", detail: tooLarge);

        IFormCollection form;
        try
        {
            form = await new FormFeature(request, new FormOptions { MultipartBodyLengthLimit = bodyLimit, ValueLengthLimit = 64 * 1024 }).ReadFormAsync(ct);
        }
        catch (BadHttpRequestException big) when (big.StatusCode == 413)
        {
            return Results.Problem(statusCode: 413, title: "Request too large", detail: tooLarge);
        }
        catch (Exception malformed) when (malformed is InvalidDataException or IOException or BadHttpRequestException)
        {
            return Results.Problem(statusCode: 400, title: "The form could not be read",
                detail: "The body is not the form its Content-Type announces. Send the fields as multipart/form-data (curl -F service_code=pothole ...).");
        }

        // A bot fills every field, the hidden one too: it is answered as if accepted, before any check that would teach it.
        if (!string.IsNullOrEmpty(form["website"]))
            return Receipt(await mediator.Send(new GetDecoyReportReceipt(form.Files.Count), ct));

        var v = new Validation();
        var lat = Coordinate(form, "lat", "latitude", v);
        var lon = Coordinate(form, "long", "longitude", v);
        var answers = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (key, values) in form)
            if (AttributeField().Match(key) is { Success: true } m)
            {
                if (!answers.TryGetValue(m.Groups[1].Value, out var list)) answers[m.Groups[1].Value] = list = [];
                list.AddRange(values.OfType<string>());
            }
        var attributes = answers.ToDictionary(a => a.Key, a => (IReadOnlyList<string>)a.Value, StringComparer.Ordinal);
        if (form.Files.Count > o.MaxPhotos) v.Add("media", $"Send at most {o.MaxPhotos} photos with one report.");
        foreach (var file in form.Files.Where(f => f.Length > o.MaxPhotoBytes))
            v.Add("media", $"The photo '{Path.GetFileName(file.FileName)}' is larger than {o.MaxPhotoBytes / (1024 * 1024)} MB.");

        // "name" is the page's single field; apps may send Open311's first_name and last_name instead.
        var command = new ReportIncident(
            Blank(form["service_code"]), lat, lon, Blank(form["address_string"]), null, Blank(form["description"]), attributes,
            Blank(form["first_name"]) ?? Blank(form["name"]), Blank(form["last_name"]), Blank(form["email"]), Blank(form["phone"]),
            null, null, null, ReportSources.MapPage);
        // Every mistake the page can show beside its field, at once: the form's own (a coordinate that is not a number,
        // photos) and the command's. The command checks itself again in the pipeline; that costs nothing.
        if (!v.IsValid) command.Validate(v);
        v.ThrowIfInvalid();

        var photos = new List<PhotoUpload>();
        foreach (var file in form.Files)
        {
            using var buffer = new MemoryStream((int)file.Length);
            await using (var stream = file.OpenReadStream()) await stream.CopyToAsync(buffer, ct);
            photos.Add(new PhotoUpload(buffer.ToArray(), Path.GetFileName(file.FileName)));
        }

        // Up to a second of CPU per photo: checked and re-encoded before the reporting transaction takes SQLite's write lock.
        if (photos.Count > 0) await http.RequestServices.GetRequiredService<IReportPhotos>().PrepareAsync(photos, ct);
        var report = await mediator.Send(command with { Photos = photos }, ct);
        return Receipt(PublicReportReceipt.Of(report));
    }

    private static IResult Receipt(PublicReportReceipt receipt) => Results.Created($"/api/public/reports/{receipt.Id}", receipt);

    private static double? Coordinate(IFormCollection form, string field, string label, Validation v)
    {
        var text = Blank(form[field]);
        if (text is null) return null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)) return value;
        v.Add(field, $"The {label} ({field}) must be a number of degrees, written with a dot, like 46.0686.");
        return null;
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
