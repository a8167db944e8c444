using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Intake;
using CitizenCrm.Server.Hosting;
using Mediator;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace CitizenCrm.Server.Endpoints;

/// <summary>Bound from "Intake:Web": how many web requests and status look-ups one client address may make per window.</summary>
public sealed class WebIntakeOptions
{
    /// <summary>Requests sent through the web form per address per window. A person sends one or two; a flood is a bot.</summary>
    public int PermitLimit { get; set; } = 5;
    public int WindowSeconds { get; set; } = 600;

    /// <summary>Status look-ups and answer downloads per address per window: enough for a family, far too few to guess a 60-bit code.</summary>
    public int LookupPermitLimit { get; set; } = 30;
    public int LookupWindowSeconds { get; set; } = 600;
}

/// <summary>
/// Bound from "Network". A reverse proxy's X-Forwarded-For is believed only when the direct peer is one of these;
/// otherwise anyone could name any address and step around the per-address limits (web form, sign-in throttling).
/// </summary>
public sealed class NetworkOptions
{
    /// <summary>Addresses of the reverse proxies in front of the server, e.g. ["127.0.0.1", "::1"] for nginx on the same host.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of reverse proxies, in CIDR notation (e.g. "10.0.0.0/24").</summary>
    public List<string> KnownNetworks { get; set; } = [];
}

/// <summary>
/// Requests from every door into the one register: the public web form (no login) and its status and answer by
/// number + access code, calls logged by dispatchers, and requests registered in the field by volunteers and mobile teams.
/// </summary>
public static class IntakeEndpoints
{
    public const string WebPolicy = "web-intake", LookupPolicy = "web-lookup", AccessCodeHeader = "X-Access-Code";

    /// <summary>The web form's fields, as JSON (no attachments) or as multipart/form-data (with files in any file field).</summary>
    public sealed record WebRequestBody(string? Kind, string? Name, string? Email, string? Phone, string? Service, string? Subject, string? Text, string? Website);

    public sealed record PhoneRequestBody(
        string? Kind, string? Service, string? Subject, string? Description, Guid? CitizenId, ContactParty? Contact, bool? WrittenAndConfirmed, string? CallSid);

    public sealed record FieldRequestBody(string? Kind, string? Service, string? Subject, string? Description, Guid? CitizenId, ContactParty? Contact);

    /// <summary>Settings, the forwarded-headers rule and the rate limiter; called once from ServerApp.</summary>
    public static IServiceCollection AddIntake(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<WebIntakeOptions>(configuration.GetSection("Intake:Web"));
        services.AddScoped<CaseIntake>();
        services.Configure<ForwardedHeadersOptions>(o => ConfigureForwardedHeaders(o, configuration.GetSection("Network").Get<NetworkOptions>() ?? new NetworkOptions()));
        services.AddRateLimiter(o =>
        {
            o.AddPolicy(WebPolicy, http => Partition(http, static w => (w.PermitLimit, w.WindowSeconds)));
            o.AddPolicy(LookupPolicy, http => Partition(http, static w => (w.LookupPermitLimit, w.LookupWindowSeconds)));
            o.OnRejected = RejectAsync;
        });
        return services;
    }

    /// <summary>
    /// Only the configured proxies are believed. ASP.NET trusts loopback by default, and with both lists empty it trusts
    /// everyone; so the default is cleared, and with no proxy configured X-Forwarded-For is not read at all: the direct
    /// peer is the client. The rightmost address that is not a known
    /// proxy is the client (no ForwardLimit): a chain of known proxies is walked, and an address a client wrote itself at
    /// the left of the header is never reached.
    /// </summary>
    internal static void ConfigureForwardedHeaders(ForwardedHeadersOptions o, NetworkOptions network)
    {
        // The scheme too: behind a proxy that ends TLS the server sees http, and the absolute addresses it hands out
        // (Open311's discovery, the API description's server) must say https. Host is not taken: the proxy passes the
        // client's own Host header (docs/deploy/nginx.conf).
        o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        o.ForwardLimit = null;
        o.KnownProxies.Clear();
        o.KnownIPNetworks.Clear();
        // The older list is still read by the middleware and holds 127.0.0.0/8 by default: cleared too, or loopback stays trusted.
#pragma warning disable ASPDEPR005
        o.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
        foreach (var proxy in network.KnownProxies)
            o.KnownProxies.Add(IPAddress.TryParse(proxy, out var address) ? address
                : throw new InvalidOperationException($"Network:KnownProxies: '{proxy}' is not an IP address."));
        foreach (var cidr in network.KnownNetworks)
            o.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(cidr, out var net) ? net
                : throw new InvalidOperationException($"Network:KnownNetworks: '{cidr}' is not a network in CIDR notation (e.g. 10.0.0.0/24)."));
        // With both lists empty the middleware checks no peer at all and believes every header: no proxy, no forwarding.
        if (o.KnownProxies.Count == 0 && o.KnownIPNetworks.Count == 0) o.ForwardedHeaders = ForwardedHeaders.None;
    }

    private static RateLimitPartition<string> Partition(HttpContext http, Func<WebIntakeOptions, (int Permits, int Seconds)> pick)
    {
        var (permits, seconds) = pick(http.RequestServices.GetRequiredService<IOptions<WebIntakeOptions>>().Value);
        // After UseForwardedHeaders: the client's address, or the proxy's forwarded one when the proxy is known.
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, permits), Window = TimeSpan.FromSeconds(Math.Max(1, seconds)), QueueLimit = 0, AutoReplenishment = true,
        });
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken ct)
    {
        var http = rejected.HttpContext;
        var retry = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds));
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Status = 429, Title = "Too many requests", Type = "https://www.rfc-editor.org/rfc/rfc6585#section-4",
                Detail = $"Too many requests from this address. Nothing was registered; try again in {seconds} seconds.",
            },
        });
    }

    public static void MapIntakeEndpoints(this RouteGroupBuilder api)
    {
        var web = api.MapGroup("/public/requests").WithTags("Web intake").AllowAnonymous();

        web.MapPost("/", SubmitAsync)
            .Accepts<WebRequestBody>("application/json", "multipart/form-data")
            .Produces<WebRequestReceipt>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .RequireRateLimiting(WebPolicy)
            .WithDescription("A petition, a public-information request or a service request, without a login. Answers the registration number, " +
                             "the term and a private access code shown once. Leave 'website' empty: it is a trap for bots. Files: up to 5, " +
                             "PDF, PNG, JPEG, DOCX or ODT, each at most Registry:MaxDocumentBytes. Limited per client address (Intake:Web).");

        web.MapGet("/{year:int}/{number:int}", async (int year, int number, [FromHeader(Name = AccessCodeHeader)] string? accessCode,
                IMediator mediator, CancellationToken ct) => Results.Ok(await mediator.Send(new GetPublicCaseStatus(year, number, accessCode), ct)))
            .Produces<PublicCaseStatus>()
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .RequireRateLimiting(LookupPolicy)
            .WithDescription("Where a web request stands, by its number and the access code in the X-Access-Code header (never in the URL, " +
                             "which ends up in logs). A wrong code and an unknown number both answer 404.");

        web.MapGet("/{year:int}/{number:int}/answer", async (int year, int number, [FromHeader(Name = AccessCodeHeader)] string? accessCode,
            DocumentStore store, IMediator mediator, CancellationToken ct) =>
        {
            var doc = await mediator.Send(new GetPublicAnswerDocument(year, number, accessCode), ct);
            var stream = store.Open(doc.Sha256);
            return stream is null
                ? Results.Problem(statusCode: 404, title: "Not found", detail: "The answer's file is missing on the server; the city hall has been told nothing yet: call or write to it.")
                : Results.File(stream, doc.ContentType, $"raspuns-{number}-{year}{Extension(doc.ContentType)}");
        })
            .Produces<Stream>(StatusCodes.Status200OK, DocumentStore.Pdf, DocumentStore.Png, DocumentStore.Jpeg, DocumentStore.Docx, DocumentStore.Odt)
            .ProducesProblem(StatusCodes.Status409Conflict) // not answered yet, or answered without a document
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .RequireRateLimiting(LookupPolicy)
            .WithDescription("The answer document of an answered web request (the digital repository of answers), by number and X-Access-Code.");

        var intake = api.MapGroup("/intake").WithTags("Intake");
        intake.MapPost("/phone", async (PhoneRequestBody? body, IMediator mediator, CancellationToken ct) =>
        {
            var c = await mediator.Send(new LogPhoneRequest(body?.Kind, body?.Service, body?.Subject, body?.Description, body?.CitizenId, body?.Contact,
                body?.WrittenAndConfirmed ?? false, body?.CallSid), ct);
            return Results.Created($"/api/cases/{c.Id}", c);
        }).Produces<CaseDetails>(StatusCodes.Status201Created).AllowRoles(StaffRole.Clerk, StaffRole.Dispatcher, StaffRole.Supervisor);

        intake.MapPost("/field", async (FieldRequestBody? body, IMediator mediator, CancellationToken ct) =>
        {
            var c = await mediator.Send(new RegisterFieldRequest(body?.Kind, body?.Service, body?.Subject, body?.Description, body?.CitizenId, body?.Contact), ct);
            return Results.Created($"/api/cases/{c.Id}", c);
        }).Produces<CaseDetails>(StatusCodes.Status201Created).AllowRoles(StaffRole.Clerk, StaffRole.Dispatcher, StaffRole.Supervisor, StaffRole.Volunteer);
    }

    private static async Task<IResult> SubmitAsync(HttpContext http, RequestContext context, DocumentStore store, IMediator mediator, CancellationToken ct)
    {
        // One answer per person, not per key: a public Idempotency-Key would share one scope among all citizens
        // (every web sender is the same actor), and the access code is shown once and never replayed anyway.
        context.IdempotencyKey = null;
        context.SystemActor = "citizen";
        var request = http.Request;
        var bodyLimit = SubmitWebRequest.MaxAttachments * store.MaxBytes + 256 * 1024;
        // Room for the files in a form; a JSON body keeps the server's 1 MB limit.
        if (request.HasFormContentType && http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = bodyLimit;
        if (request.ContentLength > bodyLimit)
            return Results.Problem(statusCode: 413, title: "Request too large", detail: $"Send at most {SubmitWebRequest.MaxAttachments} files; {store.TooLargeDetail}");

        WebRequestBody? body;
        var attachments = new List<WebAttachment>();
        if (request.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                form = await new FormFeature(request, new FormOptions { MultipartBodyLengthLimit = bodyLimit, ValueLengthLimit = 128 * 1024 }).ReadFormAsync(ct);
            }
            catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == 413)
            {
                return Results.Problem(statusCode: 413, title: "Request too large", detail: $"Send at most {SubmitWebRequest.MaxAttachments} files; {store.TooLargeDetail}");
            }
            catch (Exception malformed) when (malformed is InvalidDataException or IOException or BadHttpRequestException)
            {
                return Results.Problem(statusCode: 400, title: "The form could not be read",
                    detail: "The body is not the form its Content-Type announces. Send the fields as multipart/form-data (curl -F kind=petition -F file=@letter.pdf) or as JSON.");
            }
            body = new WebRequestBody(form["kind"], form["name"], form["email"], form["phone"], form["service"], form["subject"], form["text"], form["website"]);
            if (form.Files.Count > SubmitWebRequest.MaxAttachments)
                throw ValidationFailedException.For("attachments", $"Send at most {SubmitWebRequest.MaxAttachments} attachments with one request.");
            // Every file is checked before anything is registered: one refused file refuses the whole request, so nothing is half-sent.
            foreach (var file in form.Files)
            {
                try
                {
                    if (file.Length > store.MaxBytes) throw new DocumentRefusedException(413, "Document too large", store.TooLargeDetail);
                    await using var stream = file.OpenReadStream();
                    attachments.Add(new WebAttachment(await store.ReadAsync(stream, file.ContentType, ct), file.FileName));
                }
                catch (DocumentRefusedException refused)
                {
                    return Results.Problem(statusCode: refused.Status, title: refused.Title,
                        detail: $"The attachment '{Path.GetFileName(file.FileName)}' was refused, and with it the request (nothing was registered): {refused.Message}");
                }
            }
        }
        else if (request.HasJsonContentType())
        {
            try
            {
                body = await request.ReadFromJsonAsync<WebRequestBody>(http.JsonOptions(), ct);
            }
            catch (System.Text.Json.JsonException json)
            {
                // The same 400 a framework-bound JSON body gets (ProblemMapping names the field or the place it broke).
                throw new BadHttpRequestException("The request body is not valid JSON.", StatusCodes.Status400BadRequest, json);
            }
        }
        else
            return Results.Problem(statusCode: 415, title: "Unsupported content type",
                detail: "Send the form as multipart/form-data (with files) or as JSON (Content-Type: application/json).");

        var command = new SubmitWebRequest(body?.Kind, body?.Name, body?.Email, body?.Phone, body?.Service, body?.Subject, body?.Text, body?.Website, attachments);
        var receipt = attachments.Count == 0
            ? await mediator.Send(command, ct)
            : await store.AttachAllAsync(attachments.Select(a => a.Upload).ToList(), async () => await mediator.Send(command, ct), ct);
        return Results.Created(receipt.StatusUrl, receipt);
    }

    private static string Extension(string contentType) => contentType switch
    {
        DocumentStore.Pdf => ".pdf",
        DocumentStore.Png => ".png",
        DocumentStore.Jpeg => ".jpg",
        DocumentStore.Docx => ".docx",
        _ => ".odt",
    };
}
