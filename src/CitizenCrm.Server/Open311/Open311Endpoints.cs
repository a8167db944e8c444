using System.Globalization;
using CitizenCrm.Core.Catalogue;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Map;
using CitizenCrm.Core.Map.Open311;
using CitizenCrm.Server.Hosting;
using Mediator;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace CitizenCrm.Server.Open311;

/// <summary>
/// Open311 GeoReport v2 at /open311/v2 (http://wiki.open311.org/GeoReport_v2), with mySociety's servicerequestupdates
/// (FixMyStreet's extension) and the media upload extension (photos as multipart "media" files), plus the admins' API
/// keys under /api/open311/keys. Every Open311 method answers .xml and .json, takes jurisdiction_id, and fails only in
/// Open311's own error format: 400 for anything wrong with the request (the specification's "general service error"
/// included), 403 for the api_key, 404 for what does not exist. Never a 500, never an RFC 9457 body.
/// </summary>
public static class Open311Endpoints
{
    public const string BasePath = "/open311/v2", Specification = "http://wiki.open311.org/GeoReport_v2";

    public sealed record IssueKeyBody(string? AppName);
    public sealed record RevokeKeyBody(string? Reason);

    public static void MapOpen311Endpoints(this WebApplication app)
    {
        var keys = app.MapGroup("/api/open311/keys").WithTags("Open311 keys").AddEndpointFilter<IdempotencyReplayFilter>();
        keys.MapPost("/", async (IssueKeyBody? body, IMediator m, CancellationToken ct) =>
            {
                var issued = await m.Send(new IssueOpen311Key(body?.AppName), ct);
                return Results.Created($"/api/open311/keys/{issued.Id}", issued);
            })
            .Produces<Open311KeyIssued>(StatusCodes.Status201Created).AllowRoles(StaffRole.Admin)
            .WithDescription("Issues an api_key for one Open311 app. The key is in this answer only: it is stored as a hash and cannot be shown again.");
        keys.MapGet("/", async (IMediator m, CancellationToken ct) => Results.Ok(await m.Send(new ListOpen311Keys(), ct)))
            .Produces<IReadOnlyList<Open311Key>>().AllowRoles(StaffRole.Admin)
            .WithDescription("Every Open311 app key issued, with who issued or revoked it; never the key itself.");
        keys.MapPost("/{id:guid}/revoke", async (Guid id, RevokeKeyBody? body, IMediator m, CancellationToken ct) =>
                Results.Ok(await m.Send(new RevokeOpen311Key(id, body?.Reason), ct)))
            .Produces<Open311Key>().AllowRoles(StaffRole.Admin)
            .WithDescription("Revokes an app's key at once: its next POST requests gets 403. The reports it sent stay.");

        var v2 = app.MapGroup(BasePath).WithTags("Open311 GeoReport v2").AllowAnonymous();
        Document(v2.MapGet("/discovery.{format}", (HttpContext http, string format) => Open311Handlers.Discovery(http, format)),
            "Service discovery (http://wiki.open311.org/Service_Discovery): where the GeoReport v2 endpoint is and which formats it speaks.");
        Document(v2.MapGet("/services.{format}", (HttpContext http, string format) => Open311Handlers.Services(http, format)),
            "GET Service List: the incident services an app may report, in ro (default), en or hu (locale=en, lang=en or Accept-Language).");
        Document(v2.MapGet("/services/{code}.{format}", (HttpContext http, string code, string format) => Open311Handlers.ServiceDefinition(http, code, format)),
            "GET Service Definition: the questions (attributes) of one service.");
        Document(v2.MapPost("/requests.{format}", (HttpContext http, string format) => Open311Handlers.PostRequest(http, format)),
                "POST Service Request, application/x-www-form-urlencoded (api_key, service_code, lat/long or address_string or address_id, " +
                "attribute[code]=value, attribute[code][]=value for multivaluelist, description, media_url, email, phone, first_name, last_name, " +
                "device_id, account_id), or multipart/form-data with photos in one or more 'media' file fields. Needs an api_key.")
            .Accepts<IDictionary<string, string>>("application/x-www-form-urlencoded", "multipart/form-data")
            .Produces<string>(StatusCodes.Status403Forbidden, Open311Documents.XmlContentType, Open311Documents.JsonContentType);
        Document(v2.MapGet("/requests.{format}", (HttpContext http, string format) => Open311Handlers.GetRequests(http, format)),
            "GET Service Requests: service_request_id (a comma list; when given, the other filters are ignored), service_code, " +
            "start_date, end_date (at most 90 days apart; the last 90 days by default), status (open, closed). At most 1000, newest first.");
        Document(v2.MapGet("/requests/{id}.{format}", (HttpContext http, string id, string format) => Open311Handlers.GetRequest(http, id, format)),
            "GET Service Request: one request, as a list of one.");
        Document(v2.MapGet("/tokens/{token}.{format}", (HttpContext http, string token, string format) => Open311Handlers.GetToken(http, token, format)),
            "GET service_request_id from a token.");
        Document(v2.MapGet("/servicerequestupdates.{format}", (HttpContext http, string format) => Open311Handlers.GetUpdates(http, format)),
            "mySociety's GET Service Request Updates (FixMyStreet): the public steps of reports between start_date and end_date.");
        // Anything else under /open311 (an unknown method, a missing extension, a wrong HTTP method) still answers in
        // Open311's format rather than with the rest of the API's problem details.
        app.Map("/open311/{**rest}", (Delegate)((HttpContext http) => Open311Handlers.NotAMethod(http))).AllowAnonymous().ExcludeFromDescription();
    }

    private static RouteHandlerBuilder Document(RouteHandlerBuilder route, string description) => route
        .WithDescription(description + " Formats: .xml (text/xml) and .json (application/json). Errors: Open311's errors list, not problem details.")
        .Produces<string>(StatusCodes.Status200OK, Open311Documents.XmlContentType, Open311Documents.JsonContentType)
        .Produces<string>(StatusCodes.Status400BadRequest, Open311Documents.XmlContentType, Open311Documents.JsonContentType)
        .Produces<string>(StatusCodes.Status404NotFound, Open311Documents.XmlContentType, Open311Documents.JsonContentType);
}

/// <summary>An Open311 answer other than 200: its HTTP status and the error descriptions.</summary>
public sealed class Open311Exception(int status, params string[] descriptions) : Exception(string.Join(" ", descriptions))
{
    public int Status { get; } = status;
    public IReadOnlyList<string> Descriptions { get; } = descriptions;
}

internal static class Open311Handlers
{
    private const string Multipart = "multipart/form-data";

    internal static Task<IResult> Discovery(HttpContext http, string format) => Run(http, format, async (f, m, ct) =>
    {
        var changeset = await m.Send(new GetOpen311Changeset(), ct);
        var stamp = Open311Dates.InBucharest(changeset ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        var o = Options(http);
        var endpoint = O311.Object(
            ("specification", O311.Of(Open311Endpoints.Specification)),
            ("url", O311.Of(BaseUrl(http) + Open311Endpoints.BasePath)),
            ("changeset", O311.Of(stamp)),
            ("type", O311.Of("production")),
            ("formats", new O311.List("format", [O311.Of("text/xml"), O311.Of("application/json")])));
        return ("discovery", O311.Object(
            ("changeset", O311.Of(stamp)),
            ("contact", O311.Of(o.Contact)),
            ("key_service", O311.Of(o.KeyService)),
            ("endpoints", new O311.List("endpoint", [endpoint]))));
    });

    internal static Task<IResult> Services(HttpContext http, string format) => Run(http, format, async (f, m, ct) =>
    {
        var services = await m.Send(new GetOpen311Services(Language(http)), ct);
        return ("services", new O311.List("service", services.Select(s => (O311)O311.Object(
            ("service_code", O311.Of(s.ServiceCode)),
            ("service_name", O311.Of(s.ServiceName)),
            ("description", O311.Of(s.Description)),
            ("metadata", O311.Of(s.Metadata)),
            ("type", O311.Of(s.Type)),
            ("keywords", O311.Of(s.Keywords)),
            ("group", O311.Of(s.Group)))).ToList()));
    });

    internal static Task<IResult> ServiceDefinition(HttpContext http, string code, string format) => Run(http, format, async (f, m, ct) =>
    {
        var definition = await m.Send(new GetOpen311ServiceDefinition(code, Language(http)), ct)
                         ?? throw new Open311Exception(404, $"There is no service '{Shorten(code)}' on the map. GET services.{Ext(f)} lists them.");
        return ("service_definition", O311.Object(
            ("service_code", O311.Of(definition.ServiceCode)),
            ("attributes", new O311.List("attribute", definition.Attributes.Select(a => (O311)O311.Object(
                ("variable", O311.Of(a.Variable)),
                ("code", O311.Of(a.Code)),
                ("datatype", O311.Of(a.Datatype)),
                ("required", O311.Of(a.Required)),
                ("datatype_description", O311.Of(a.DatatypeDescription)),
                ("order", O311.Of(a.Order)),
                ("description", O311.Of(a.Description)),
                ("values", new O311.List("value", a.Values.Select(v => (O311)O311.Object(("key", O311.Of(v.Key)), ("name", O311.Of(v.Name)))).ToList())))).ToList()))));
    });

    internal static Task<IResult> PostRequest(HttpContext http, string format) => Run(http, format, async (f, m, ct) =>
    {
        var map = http.RequestServices.GetRequiredService<IOptions<MapOptions>>().Value;
        var form = await ReadFormAsync(http, map, ct);
        string? Field(string name) => form.TryGetValue(name, out var v) && !StringValues.IsNullOrEmpty(v) ? v.ToString() : http.Request.Query[name].FirstOrDefault();

        // The key before anything else is looked at: a refused app learns nothing about our services.
        var app = await m.Send(new FindOpen311App(Field("api_key")), ct)
                  ?? throw new Open311Exception(403, string.IsNullOrWhiteSpace(Field("api_key"))
                      ? "api_key is missing: an app that posts requests needs a key from the city hall (see key_service in discovery)."
                      : "Invalid api_key received: it is unknown or was revoked. Nothing was registered.");
        CheckJurisdiction(http, Field("jurisdiction_id"));

        var errors = new List<string>();
        double? Coordinate(string name)
        {
            var text = Field(name);
            if (string.IsNullOrWhiteSpace(text)) return null;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)) return d;
            errors.Add($"{name}: '{Shorten(text)}' is not a number of degrees (WGS84, with a dot: 46.0667).");
            return null;
        }
        var lat = Coordinate("lat");
        var lon = Coordinate("long");
        var attributes = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (name, values) in form)
        {
            if (!name.StartsWith("attribute[", StringComparison.Ordinal)) continue;
            // attribute[code]=value, and attribute[code][]=value repeated for a multivaluelist (the specification's example).
            var inner = name.EndsWith("][]", StringComparison.Ordinal) ? name[10..^3] : name.EndsWith(']') ? name[10..^1] : null;
            if (string.IsNullOrEmpty(inner) || inner.Contains('[') || inner.Contains(']'))
            {
                errors.Add($"{Shorten(name)}: write answers as attribute[code]=value, or attribute[code][]=value for each of several values.");
                continue;
            }
            var list = attributes.TryGetValue(inner, out var existing) ? existing.ToList() : [];
            list.AddRange(values.OfType<string>());
            attributes[inner] = list;
        }
        var photos = new List<PhotoUpload>();
        foreach (var file in form.Files)
        {
            if (file.Name is not ("media" or "media[]"))
            {
                errors.Add($"The file field '{Shorten(file.Name)}' is not read: send photos in file fields named 'media' (several are allowed).");
                continue;
            }
            if (file.Length > map.MaxPhotoBytes)
            {
                errors.Add($"media: the photo '{Shorten(Path.GetFileName(file.FileName))}' is larger than {map.MaxPhotoBytes / (1024 * 1024)} MB.");
                continue;
            }
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, ct);
            photos.Add(new PhotoUpload(buffer.ToArray(), file.FileName));
        }
        if (errors.Count > 0) throw new Open311Exception(400, errors.ToArray());

        // GeoReport v2: "404 - service_code ... was not found". A missing code is ReportIncident's 400.
        if (!string.IsNullOrWhiteSpace(Field("service_code")) && await m.Send(new GetOpen311ServiceDefinition(Field("service_code")!, Language(http)), ct) is null)
            throw new Open311Exception(404, $"service_code '{Shorten(Field("service_code"))}' was not found: GET services.{Ext(f)} lists the services on the map.");

        var context = http.RequestServices.GetRequiredService<RequestContext>();
        // Every app is its own actor on the timeline; an app's retries are not replayed from the Idempotency-Key store.
        context.IdempotencyKey = null;
        context.SystemActor = ("open311:" + app.AppName) is var actor && actor.Length > 100 ? actor[..100] : actor;
        var mediaLinks = (form.TryGetValue("media_url", out var links) ? links : http.Request.Query["media_url"])
            .OfType<string>().Where(l => !string.IsNullOrWhiteSpace(l)).ToList();
        var report = await m.Send(new ReportIncident(
            Field("service_code"), lat, lon, Field("address_string"), Field("address_id"), Field("description"), attributes,
            Field("first_name"), Field("last_name"), Field("email"), Field("phone"), Field("device_id"), Field("account_id"),
            mediaLinks, ReportSources.Open311, app.KeyId, photos.Count > 0 ? photos : null), ct);

        var lang = Language(http);
        var service = await m.Send(new GetCatalogueService(Field("service_code"), lang), ct);
        var notice = Open311Texts.ServiceNotice(lang, service.ProcessingDays, service.Department) + (report.Public ? "" : Open311Texts.UnderReview(lang));
        http.Response.StatusCode = StatusCodes.Status201Created;
        http.Response.Headers.Location = $"{Open311Endpoints.BasePath}/requests/{report.ServiceRequestId}.{Ext(f)}";
        // GeoReport v2: the token "should not be returned if service_request_id is returned". These services are realtime,
        // so the id is returned; the token stays valid for tokens/{token} (the city's own map page shows it).
        return ("service_requests", new O311.List("request", [O311.Object(
            ("service_request_id", O311.Of(report.ServiceRequestId)),
            ("service_notice", O311.Of(notice)),
            ("account_id", O311.Of(string.IsNullOrWhiteSpace(Field("account_id")) ? null : Field("account_id")!.Trim())))]));
    });

    internal static Task<IResult> GetRequests(HttpContext http, string format) => Run(http, format, async (f, m, ct) =>
    {
        var q = http.Request.Query;
        var limit = Math.Max(1, Options(http).MaxRequests);
        var ids = CommaList(q["service_request_id"]);
        FindOpen311Requests query;
        if (ids.Count > 0)
        {
            if (ids.Count > limit) throw new Open311Exception(400, $"service_request_id: ask for at most {limit} requests at once.");
            query = new FindOpen311Requests(ids, null, null, null, null, Language(http), limit);
        }
        else
        {
            var statuses = CommaList(q["status"]).Select(s => s.ToLowerInvariant()).ToList();
            if (statuses.FirstOrDefault(s => s is not (Open311Statuses.Open or Open311Statuses.Closed)) is { } wrong)
                throw new Open311Exception(400, $"status: '{Shorten(wrong)}' is not a status; use open, closed or both (status=open,closed).");
            var (from, to) = DateRange(http);
            var codes = CommaList(q["service_code"]);
            if (codes.Count > 100) throw new Open311Exception(400, "service_code: name at most 100 services.");
            query = new FindOpen311Requests(null, codes, from, to, statuses, Language(http), limit);
        }
        var requests = await m.Send(query, ct);
        return ("service_requests", new O311.List("request", requests.Select(r => Request(http, r)).ToList()));
    });

    internal static Task<IResult> GetRequest(HttpContext http, string id, string format) => Run(http, format, async (f, m, ct) =>
    {
        var found = ServiceRequestIds.TryParse(id, out _, out _)
            ? await m.Send(new FindOpen311Requests([id.Trim()], null, null, null, null, Language(http), 1), ct)
            : [];
        if (found.Count == 0) throw new Open311Exception(404, $"There is no service request '{Shorten(id)}' on the public map.");
        return ("service_requests", new O311.List("request", found.Select(r => Request(http, r)).ToList()));
    });

    internal static Task<IResult> GetToken(HttpContext http, string token, string format) => Run(http, format, async (f, m, ct) =>
    {
        var answer = await m.Send(new FindOpen311Token(token), ct)
                     ?? throw new Open311Exception(404, $"There is no token '{Shorten(token)}' on the public map.");
        return ("service_requests", new O311.List("request", [O311.Object(
            ("service_request_id", O311.Of(answer.ServiceRequestId)),
            ("token", O311.Of(answer.Token)))]));
    });

    internal static Task<IResult> GetUpdates(HttpContext http, string format) => Run(http, format, async (f, m, ct) =>
    {
        var (from, to) = DateRange(http);
        var updates = await m.Send(new GetOpen311Updates(from, to, Language(http), Math.Max(1, Options(http).MaxRequests)), ct);
        // mySociety's schema: every field present and a string; media_url is empty, as an update carries no photo of its own.
        return ("service_request_updates", new O311.List("request_update", updates.Select(u => (O311)O311.Object(
            ("update_id", O311.Of(u.UpdateId)),
            ("service_request_id", O311.Of(u.ServiceRequestId)),
            ("status", O311.Of(u.Status)),
            ("updated_datetime", O311.Of(Open311Dates.Format(u.UpdatedAt))),
            ("description", O311.Of(u.Description)),
            ("media_url", O311.Of("")))).ToList()));
    });

    internal static Task<IResult> NotAMethod(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "";
        var dot = path.LastIndexOf('.');
        var format = dot > path.LastIndexOf('/') ? Open311Documents.ParseFormat(path[(dot + 1)..]) ?? Open311Format.Xml : Open311Format.Xml;
        var known = new[] { "discovery", "services", "requests", "servicerequestupdates" }.Any(m =>
            path.StartsWith($"{Open311Endpoints.BasePath}/{m}.", StringComparison.Ordinal));
        var (status, text) = known
            ? (400, $"{http.Request.Method} is not a method of {Shorten(path)}: requests takes GET and POST, the other resources GET only.")
            : (404, $"There is no Open311 resource at {Shorten(path)}. GeoReport v2 is at {Open311Endpoints.BasePath}: discovery, services, " +
                    "services/{code}, requests, requests/{id}, tokens/{token}, servicerequestupdates, each ending in .xml or .json.");
        return Task.FromResult(Answer(format, status, "errors", Open311Documents.Errors(status, [text])));
    }

    // ---- the shared frame ----

    private static async Task<IResult> Run(HttpContext http, string format,
        Func<Open311Format, IMediator, CancellationToken, Task<(string Root, O311 Body)>> body)
    {
        if (Open311Documents.ParseFormat(format) is not { } f)
            return Answer(Open311Format.Xml, 404, "errors", Open311Documents.Errors(404, [$"The format '{Shorten(format)}' is not served: end the resource in .xml or .json."]));
        var ct = http.RequestAborted;
        try
        {
            if (!HttpMethods.IsPost(http.Request.Method)) CheckJurisdiction(http, http.Request.Query["jurisdiction_id"].FirstOrDefault());
            var (root, document) = await body(f, http.RequestServices.GetRequiredService<IMediator>(), ct);
            var status = http.Response.StatusCode is >= 200 and < 300 ? http.Response.StatusCode : 200;
            if (!string.IsNullOrEmpty(Language(http))) http.Response.Headers.ContentLanguage = Language(http);
            return Answer(f, status, root, document);
        }
        catch (Open311Exception e)
        {
            return Answer(f, e.Status, "errors", Open311Documents.Errors(e.Status, e.Descriptions));
        }
        catch (ValidationFailedException v)
        {
            // ReportIncident's refusals keep Open311's field names (service_code, lat, attribute[code], media).
            return Answer(f, 400, "errors", Open311Documents.Errors(400, v.Errors.SelectMany(e => e.Value.Select(message => $"{e.Key}: {message}"))));
        }
        catch (NotFoundException n)
        {
            return Answer(f, 404, "errors", Open311Documents.Errors(404, [n.Detail]));
        }
        catch (BadHttpRequestException b) when (b.StatusCode == 413)
        {
            return Answer(f, 400, "errors", Open311Documents.Errors(400, ["The request is larger than allowed: at most " +
                $"{http.RequestServices.GetRequiredService<IOptions<MapOptions>>().Value.MaxPhotos} photos of at most " +
                $"{http.RequestServices.GetRequiredService<IOptions<MapOptions>>().Value.MaxPhotoBytes / (1024 * 1024)} MB each."]));
        }
        catch (Exception e) when (e is BadHttpRequestException or InvalidDataException or IOException && !ct.IsCancellationRequested)
        {
            return Answer(f, 400, "errors", Open311Documents.Errors(400, ["The request could not be read: send the fields as " +
                "application/x-www-form-urlencoded (or multipart/form-data with photos in 'media'), UTF-8 encoded."]));
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // GeoReport v2: "400 - General service error (Anything that fails during ... processing. The client will need to notify us)".
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Open311").LogError(e, "Open311 {Method} {Path} failed", http.Request.Method, http.Request.Path.Value);
            return Answer(f, 400, "errors", Open311Documents.Errors(400, [
                "General service error: the request could not be completed and nothing was saved. Try again; if it happens again, tell the city hall the time it happened."]));
        }
    }

    private static IResult Answer(Open311Format format, int status, string root, O311 body) =>
        new Open311Result(status, Open311Documents.ContentType(format), Open311Documents.Render(format, root, body));

    private sealed class Open311Result(int status, string contentType, byte[] body) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = status;
            http.Response.ContentType = contentType;
            http.Response.ContentLength = body.Length;
            await http.Response.Body.WriteAsync(body, http.RequestAborted);
        }
    }

    private static async Task<IFormCollection> ReadFormAsync(HttpContext http, MapOptions map, CancellationToken ct)
    {
        var request = http.Request;
        if (!request.HasFormContentType)
            throw new Open311Exception(400, "Send the request as application/x-www-form-urlencoded (GeoReport v2), or as multipart/form-data with photos in 'media' files.");
        var multipart = request.ContentType?.StartsWith(Multipart, StringComparison.OrdinalIgnoreCase) == true;
        // Room for the photos in a multipart body; a form without files keeps the server's 1 MB.
        var limit = multipart ? map.MaxPhotos * map.MaxPhotoBytes + 256 * 1024 : ServerApp.MaxJsonBodyBytes;
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = limit;
        if (request.ContentLength > limit) throw new BadHttpRequestException("too large", 413);
        return await new FormFeature(request, new FormOptions
        {
            MultipartBodyLengthLimit = limit, ValueLengthLimit = 64 * 1024, ValueCountLimit = 1024, KeyLengthLimit = 300,
        }).ReadFormAsync(ct);
    }

    private static O311 Request(HttpContext http, Open311Request r) => O311.Object(
        ("service_request_id", O311.Of(r.ServiceRequestId)),
        ("status", O311.Of(r.Status)),
        ("status_notes", O311.Of(r.StatusNotes)),
        ("service_name", O311.Of(r.ServiceName)),
        ("service_code", O311.Of(r.ServiceCode)),
        ("description", O311.Of(r.Description)),
        ("agency_responsible", O311.Of(r.AgencyResponsible)),
        ("service_notice", O311.Of(r.ServiceNotice)),
        ("requested_datetime", O311.Of(Open311Dates.Format(r.RequestedDatetime))),
        ("updated_datetime", O311.Of(Open311Dates.Format(r.UpdatedDatetime))),
        ("expected_datetime", O311.Of(r.ExpectedDatetime is { } e ? Open311Dates.Format(e) : null)),
        ("address", O311.Of(r.Address)),
        ("address_id", O311.Of(r.AddressId)),
        ("zipcode", O311.Of(r.Zipcode)),
        ("lat", O311.Of(r.Lat)),
        ("long", O311.Of(r.Long)),
        ("media_url", O311.Of(Absolute(http, r.MediaUrl))));

    /// <summary>Our own photos are served under this server; an app needs the full address. A client's link is as given.</summary>
    private static string? Absolute(HttpContext http, string? url) =>
        url is null || Uri.TryCreate(url, UriKind.Absolute, out _) || !url.StartsWith('/') ? url : BaseUrl(http) + url;

    private static void CheckJurisdiction(HttpContext http, string? jurisdiction)
    {
        // "Implementations can ignore this parameter ... if the implementation only serves one jurisdiction"; we serve one,
        // so none given is fine, and another one is "jurisdiction_id provided was not found" (404).
        var ours = http.RequestServices.GetRequiredService<IOptions<MapOptions>>().Value.JurisdictionId;
        if (string.IsNullOrWhiteSpace(jurisdiction) || string.Equals(jurisdiction.Trim(), ours, StringComparison.OrdinalIgnoreCase)) return;
        throw new Open311Exception(404, $"jurisdiction_id '{Shorten(jurisdiction)}' was not found: this endpoint serves only {ours}.");
    }

    private static (DateTimeOffset From, DateTimeOffset To) DateRange(HttpContext http)
    {
        var q = http.Request.Query;
        var days = Math.Max(1, Options(http).MaxDays);
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var start = Date(q["start_date"].FirstOrDefault(), "start_date");
        var end = Date(q["end_date"].FirstOrDefault(), "end_date");
        // "When not specified, the range defaults to most recent 90 days"; given, it "may not span more than 90 days".
        var to = end ?? (start is { } s ? Min(s.AddDays(days), now) : now);
        var from = start ?? to.AddDays(-days);
        if (from > to) throw new Open311Exception(400, "start_date is after end_date.");
        if (to - from > TimeSpan.FromDays(days)) throw new Open311Exception(400, $"start_date and end_date may not be more than {days} days apart.");
        return (from, to);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset? Date(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        // W3C date-time with its offset (2010-01-01T00:00:00Z); a date alone is taken at midnight in Bucharest.
        if (DateTimeOffset.TryParseExact(text.Trim(), ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK"],
                CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) && text.Trim().Length > 16 && HasZone(text.Trim()))
            return at;
        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return CitizenCrm.Core.Common.Calendar.StartOfDay(day);
        throw new Open311Exception(400, $"{field}: '{Shorten(text)}' is not a W3C date-time like 2026-12-02T09:30:00+02:00 or 2026-12-02T07:30:00Z.");
    }

    private static bool HasZone(string s) => s.EndsWith('Z') || s.EndsWith('z') || (s.Length > 6 && s[^6] is '+' or '-' && s[^3] == ':');

    private static List<string> CommaList(StringValues values) =>
        values.OfType<string>().SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct().ToList();

    /// <summary>
    /// The catalogue is written in ro, en and hu. A client asks with locale= (the parameter GeoReport v2.1's draft and
    /// several servers use), lang=, or Accept-Language; the first of these that names one of the three wins, else ro.
    /// </summary>
    internal static string Language(HttpContext http)
    {
        var q = http.Request.Query;
        foreach (var asked in new[] { q["locale"].FirstOrDefault(), q["lang"].FirstOrDefault() })
            if (Primary(asked) is { } l) return l;
        foreach (var part in http.Request.Headers.AcceptLanguage.ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                     .Select((p, i) => (Tag: p.Split(';')[0], Q: Quality(p), I: i)).OrderByDescending(p => p.Q).ThenBy(p => p.I))
            if (part.Q > 0 && Primary(part.Tag) is { } l) return l;
        return CatalogueLanguages.Default;
    }

    private static string? Primary(string? tag) =>
        string.IsNullOrWhiteSpace(tag) ? null : CatalogueLanguages.Parse(tag.Trim().Split('-', '_')[0]) is { } l && tag.Trim().Length <= 35 ? l : null;

    private static double Quality(string part)
    {
        var q = part.Split(';').Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith("q=", StringComparison.OrdinalIgnoreCase));
        return q is not null && double.TryParse(q[2..], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : 1;
    }

    private static Open311Options Options(HttpContext http) => http.RequestServices.GetRequiredService<IOptions<Open311Options>>().Value;

    private static string BaseUrl(HttpContext http) =>
        Options(http).PublicBaseUrl is { Length: > 0 } configured
            ? configured.TrimEnd('/')
            : $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";

    private static string Ext(Open311Format f) => f == Open311Format.Json ? "json" : "xml";

    private static string Shorten(string? s)
    {
        s ??= "";
        s = new string(s.Where(c => !char.IsControl(c)).ToArray());
        return s.Length <= 60 ? s : s[..60] + "…";
    }
}
