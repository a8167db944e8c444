using System.Text.Json;
using CitizenCrm.Core;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Staff;
using CitizenCrm.Core.Storage;
using CitizenCrm.Ivr;
using CitizenCrm.Server.Endpoints;
using Mediator;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Scalar.AspNetCore;

namespace CitizenCrm.Server.Hosting;

public static class ServerApp
{
    /// <summary>JSON bodies larger than this are refused with 413 before they are read.</summary>
    public const long MaxJsonBodyBytes = 1024 * 1024;

    private static readonly string[] QuietCategories = ["Microsoft.AspNetCore.Hosting.Diagnostics", "Microsoft.AspNetCore.Server.Kestrel.BadRequests"];

    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = SettingsFolder.ContentRootFor(args) });
        // Request lines carry query strings, and a GET webhook's query holds the caller's number (From=+40...): never
        // logged, whatever Logging:LogLevel says (a rule this specific outranks "Default" and "Microsoft.AspNetCore").
        // Kestrel's bad-request lines may quote the request target too.
        foreach (var category in QuietCategories) builder.Logging.AddFilter(category, LogLevel.Warning);
        // A level set for one provider (Logging:Console:LogLevel:...) outranks every rule for all providers, so each
        // provider named in the settings gets the same rule too, added last so that it wins a tie.
        builder.Services.PostConfigure<LoggerFilterOptions>(o =>
        {
            foreach (var provider in o.Rules.Select(r => r.ProviderName).OfType<string>().Distinct().ToList())
                foreach (var category in QuietCategories) o.Rules.Add(new LoggerFilterRule(provider, category, LogLevel.Warning, null));
        });
        var services = builder.Services;
        services.Configure<DatabaseOptions>(builder.Configuration.GetSection("Database"));
        services.Configure<StaffOptions>(builder.Configuration.GetSection("Staff"));
        services.Configure<CitizenCrm.Core.Revenue.RevenueOptions>(builder.Configuration.GetSection("Revenue"));
        services.Configure<CitizenCrm.Core.Citizens.CitizenImportOptions>(builder.Configuration.GetSection("CitizenImport"));
        services.AddCitizenCrmCore();
        services.AddRegistry(builder.Configuration);
        services.AddIntake(builder.Configuration);
        services.AddDispatch(builder.Configuration);
        services.AddMap(builder.Configuration);
        services.Configure<CitizenCrm.Core.Phone.PhoneOptions>(builder.Configuration.GetSection("Phone"));
        services.AddCitizenCrmIvr();
        services.AddHostedService<Phone.PhoneStartup>();

        // The source generator reads these options from this very call. The order is DESIGN.md's, except that
        // the transaction opens before the idempotency step, so a stored result commits with its state change.
        services.AddMediator((MediatorOptions options) =>
        {
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.Assemblies = [typeof(CoreServices), typeof(CitizenCrm.Ivr.IvrServices)];
            options.PipelineBehaviors =
            [
                typeof(CitizenCrm.Core.Pipeline.LoggingBehavior<,>),
                typeof(CitizenCrm.Core.Pipeline.ValidationBehavior<,>),
                typeof(CitizenCrm.Core.Pipeline.UnitOfWorkBehavior<,>),
                typeof(CitizenCrm.Core.Pipeline.MaskingBehavior<,>), // outside idempotency: a replayed answer is masked too
                typeof(CitizenCrm.Core.Pipeline.IdempotencyBehavior<,>),
                typeof(CitizenCrm.Core.Pipeline.AuditBehavior<,>),
            ];
        });

        services.ConfigureHttpJsonOptions(o => Json.Configure(o.SerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<KestrelServerOptions>(o =>
        {
            o.Limits.MaxRequestBodySize = MaxJsonBodyBytes;
            // Kestrel answers a bare 414 to a request line over 8 KB, before any of our code runs. A Twilio GET webhook
            // carries every parameter in its query (speech, caller ID, call token): let up to 128 KB reach the phone
            // endpoints, which answer 403 (not signed) or TwiML. Beyond that no Twilio request can go.
            o.Limits.MaxRequestLineSize = Phone.TwilioWebhooks.MaxRequestLineBytes;
        });
        services.Configure<FormOptions>(o => o.MultipartBodyLengthLimit = MaxJsonBodyBytes);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            // Empty 401/403 answers from authorization get a sentence a person can act on.
            c.ProblemDetails.Detail ??= c.ProblemDetails.Status switch
            {
                401 => "Sign in first and send the token as 'Authorization: Bearer <token>'. Tokens expire, and end at sign-out or when an account is disabled.",
                403 => Forbidden(c.HttpContext),
                404 => "There is nothing at this address.",
                405 => "This address does not accept this method.",
                415 => "Send the request body as JSON, with the header Content-Type: application/json.",
                _ => null,
            };
        });
        services.AddExceptionHandler<ProblemMapping>();

        // The roles the endpoint is for (AllowRoles), so the person refused knows whom to ask.
        static string Forbidden(HttpContext http)
        {
            var roles = http.GetEndpoint()?.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Authorization.AuthorizationPolicy>()
                .SelectMany(p => p.Requirements.OfType<Microsoft.AspNetCore.Authorization.Infrastructure.RolesAuthorizationRequirement>())
                .SelectMany(r => r.AllowedRoles).Distinct().ToList() ?? [];
            return roles.Count == 0
                ? "Your role does not allow this action."
                : $"Your role does not allow this action: it is for the {(roles.Count == 1 ? "role" : "roles")} " +
                  (roles.Count == 1 ? roles[0] : string.Join(", ", roles[..^1]) + " and " + roles[^1]) + ".";
        }
        services.AddOpenApi(OpenApiDescription.Describe);
        services.Configure<Microsoft.AspNetCore.OpenApi.OpenApiOptions>("v1", o => o.AddOperationTransformer(RevealParameter.DescribeAsync));
        services.AddHealthChecks().AddCheck<DatabaseReadiness>("database", tags: ["ready"]);

        services.AddAuthentication(BearerTokenHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null);
        services.AddAuthorization();
        services.AddHostedService<DatabaseStartup>();
        services.AddSharedDataProtection(); // after DatabaseStartup: its key ring is read from a migrated database
        services.AddScheduledJobs(builder.Configuration); // after DatabaseStartup: Quartz starts on a migrated file
        return builder;
    }

    public static WebApplication Build(string[] args)
    {
        var app = CreateBuilder(args).Build();
        // First: everything after it (sign-in throttling, the web form's rate limit) sees the client's address,
        // taken from X-Forwarded-For only when the direct peer is a known proxy (Network:KnownProxies).
        app.UseForwardedHeaders();
        // Before routing, which must then be placed here by hand: WebApplication's implicit routing would run first
        // and match the path with the prefix still on it.
        var pathBase = ServerPathBase.Read(app.Configuration);
        if (pathBase.HasValue)
        {
            app.UsePathBase(pathBase);
            app.UsePrefixedLocations();
        }
        app.UseRouting();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<RequestContextMiddleware>();
        app.UseMiddleware<RevealParameter>();
        app.UseRateLimiter();
        app.UseConsoleCookieGuard();
        app.UseBrowserPages();
        app.UseMiddleware<UnparsedParameter>(); // last: it looks at what the endpoint itself answered

        app.MapOpenApi();
        if (app.Environment.IsDevelopment()) // Scalar fetches fonts and reports usage unless told not to (DESIGN.md traps).
            app.MapScalarApiReference(o => o.DisableDefaultFonts().DisableTelemetry());
        app.MapGet("/", ServerIndex.Describe).WithTags("Server").Produces<ServerIndex.Index>();
        app.MapHealthEndpoints();
        var api = app.MapGroup("/api").AddEndpointFilter<IdempotencyReplayFilter>();
        api.MapSessionEndpoints();
        api.MapConsoleSessionEndpoints();
        api.MapStaffUserEndpoints();
        api.MapCitizenEndpoints();
        api.MapTimelineEndpoints();
        api.MapAuditEndpoints();
        api.MapCalendarEndpoints();
        api.MapCaseEndpoints();
        api.MapDispatchEndpoints();
        api.MapCatalogueEndpoints();
        api.MapRevenueEndpoints();
        api.MapJobEndpoints();
        api.MapNotificationEndpoints();
        api.MapIntakeEndpoints();
        api.MapReportEndpoints();
        api.MapErasureEndpoints();
        app.MapPhotoEndpoints(api);
        api.MapMapFeedEndpoints();
        api.MapMapPageEndpoints();
        api.MapDataRequestEndpoints();
        api.MapRectificationEndpoints();
        app.MapPhoneEndpoints();
        CitizenCrm.Server.Open311.Open311Endpoints.MapOpen311Endpoints(app);
        return app;
    }

    internal static JsonSerializerOptions JsonOptions(this HttpContext http) =>
        http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
}
