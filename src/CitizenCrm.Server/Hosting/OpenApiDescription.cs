using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CitizenCrm.Server.Hosting;

/// <summary>
/// Makes /openapi/v1.json say what the server really does, so a client generated from it works: the bearer scheme
/// and which operations need it (and for whom), the RFC 9457 problem answers each kind of operation can give, the
/// revenue import's CSV and multipart bodies, the raw document upload, Twilio's form posts and TwiML answers, and
/// which body fields may be left out. Success codes and body types are declared beside each endpoint (.Produces).
/// </summary>
public static class OpenApiDescription
{
    public const string BearerScheme = "Bearer";
    private const string ProblemJson = "application/problem+json";

    public static void Describe(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "CitizenCRM";
            document.Info.Description =
                "The back office of a city hall's relationship with its citizens. Sign in with POST /api/auth/sign-in and send the token as " +
                "'Authorization: Bearer <token>'. Errors are RFC 9457 problem details (application/problem+json); field errors are under 'errors'. " +
                "The /twilio/voice webhooks are for Twilio only: they need a valid X-Twilio-Signature and answer TwiML.";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "opaque token from POST /api/auth/sign-in",
                Description = "An opaque token (not a JWT), looked up on every request: it ends at sign-out, after Staff:TokenLifetimeHours, or when the account is disabled.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer(DescribeOperationAsync);
        options.AddSchemaTransformer(MarkOptionalFields);
    }

    private static async Task DescribeOperationAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var description = context.Description;
        // The relative path keeps route constraints ({id:guid}); the document's paths do not.
        var path = "/" + RouteConstraint.Replace(description.RelativePath ?? "", "{$1}").TrimStart('/');
        var method = description.HttpMethod ?? "GET";
        var metadata = description.ActionDescriptor.EndpointMetadata;
        operation.Responses ??= new OpenApiResponses();

        if (path.StartsWith("/twilio/", StringComparison.Ordinal))
        {
            DescribeTwilioWebhook(operation, method);
            return;
        }

        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        var signedIn = !anonymous && (metadata.OfType<IAuthorizeData>().Any() || metadata.OfType<AuthorizationPolicy>().Any());
        var roles = metadata.OfType<AuthorizationPolicy>().SelectMany(p => p.Requirements).OfType<RolesAuthorizationRequirement>()
            .SelectMany(r => r.AllowedRoles).Distinct().ToList();
        if (signedIn)
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] });
            var who = roles.Count > 0 ? "Who: " + string.Join(", ", roles) + "." : "Who: any signed-in user.";
            operation.Description = string.IsNullOrEmpty(operation.Description) ? who : operation.Description + " " + who;
        }

        DescribeRawBodies(operation, method, path);
        var hasBody = operation.RequestBody is not null;
        var isCommand = method is not "GET" && path is not "/api/auth/sign-in" and not "/api/phone/scripts/reload";

        // What each kind of operation can really answer (see ProblemMapping, RequestContextMiddleware and the auth handler).
        // 400: a field error, an unreadable value or body, or a malformed Idempotency-Key header, which any /api request may carry.
        await ProblemAsync(operation, context, "400", "The request cannot be read or a field needs correcting (field errors under 'errors').", validation: true, ct);
        if (signedIn || path == "/api/auth/sign-in")
            await ProblemAsync(operation, context, "401", path == "/api/auth/sign-in"
                ? "Wrong user name or password, or the account is disabled."
                : "No valid bearer token: sign in first; tokens expire and end at sign-out.", validation: false, ct);
        if (roles.Count > 0)
            await ProblemAsync(operation, context, "403", "The signed-in user's role may not do this.", validation: false, ct);
        if (path.Contains('{'))
            await ProblemAsync(operation, context, "404", "Nothing with this id (or number) exists.", validation: false, ct);
        if (isCommand)
            await ProblemAsync(operation, context, "409", "The change conflicts with the current state (a newer version, a duplicate, a case in another status, or an Idempotency-Key reused for another request).", validation: false, ct);
        if (hasBody)
        {
            await ProblemAsync(operation, context, "413", "The body is larger than allowed.", validation: false, ct);
            await ProblemAsync(operation, context, "415", "The body's Content-Type is not one this operation reads.", validation: false, ct);
        }
        if (path == "/api/auth/sign-in")
            await ProblemAsync(operation, context, "429", "Too many failed sign-ins for this user or from this address: wait for the Retry-After seconds.", validation: false, ct);
    }

    private static readonly System.Text.RegularExpressions.Regex RouteConstraint = new(@"\{(\w+):[^}]+\}", System.Text.RegularExpressions.RegexOptions.Compiled);

    private static async Task ProblemAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, string status, string text, bool validation, CancellationToken ct)
    {
        if (operation.Responses!.ContainsKey(status)) return;
        var type = validation ? typeof(HttpValidationProblemDetails) : typeof(ProblemDetails);
        var name = validation ? nameof(HttpValidationProblemDetails) : nameof(ProblemDetails);
        if (context.Document?.Components?.Schemas?.ContainsKey(name) != true)
            context.Document?.AddComponent(name, await context.GetOrCreateSchemaAsync(type, null, ct));
        operation.Responses[status] = new OpenApiResponse
        {
            Description = text,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [ProblemJson] = new() { Schema = new OpenApiSchemaReference(name, context.Document) },
            },
        };
    }

    /// <summary>The two endpoints that read their body themselves, so the framework cannot see what they accept.</summary>
    private static void DescribeRawBodies(OpenApiOperation operation, string method, string path)
    {
        if (method == "POST" && path == "/api/revenue/imports")
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = "The revenue system's CSV export (UTF-8), as the body or as the multipart form field 'file'; at most Revenue:MaxImportBytes.",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["text/csv"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                    ["multipart/form-data"] = new()
                    {
                        Schema = new OpenApiSchema
                        {
                            Type = JsonSchemaType.Object,
                            Required = new HashSet<string> { "file" },
                            Properties = new Dictionary<string, IOpenApiSchema>
                            {
                                ["file"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = "the CSV export" },
                            },
                        },
                    },
                },
            };
        }
        else if (method == "POST" && path == "/api/cases/{id}/documents")
        {
            var file = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } };
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = "The document itself as the body, with its Content-Type; at most Registry:MaxDocumentBytes.",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/pdf"] = file,
                    ["image/png"] = file,
                    ["image/jpeg"] = file,
                    ["application/vnd.openxmlformats-officedocument.wordprocessingml.document"] = file,
                    ["application/vnd.oasis.opendocument.text"] = file,
                },
            };
        }
    }

    /// <summary>Twilio posts a form (or sends a query) signed with X-Twilio-Signature and reads TwiML back (TwilioWebhooks).</summary>
    private static void DescribeTwilioWebhook(OpenApiOperation operation, string method)
    {
        operation.Description = "For Twilio only. The X-Twilio-Signature header must be valid for Phone:PublicBaseUrl + path + query.";
        if (method == "POST")
            operation.RequestBody = new OpenApiRequestBody
            {
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/x-www-form-urlencoded"] = new()
                    {
                        Schema = new OpenApiSchema { Type = JsonSchemaType.Object, AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.String } },
                    },
                },
            };
        operation.Responses = new OpenApiResponses
        {
            ["200"] = new OpenApiResponse
            {
                Description = "TwiML, whatever went wrong inside (the caller hears an apology rather than Twilio's error).",
                Content = new Dictionary<string, OpenApiMediaType> { ["application/xml"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } } },
            },
            ["403"] = new OpenApiResponse { Description = "The signature is missing or wrong: nothing else happens." },
        };
    }

    /// <summary>
    /// System.Text.Json lists every constructor parameter of a record as required, yet our request records take null
    /// for a field left out and the core's validation names what is missing (400). A nullable field is optional.
    /// </summary>
    private static Task MarkOptionalFields(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken _)
    {
        if (context.JsonPropertyInfo is not null || context.JsonTypeInfo.Kind != JsonTypeInfoKind.Object || schema.Required is not { Count: > 0 })
            return Task.CompletedTask;
        foreach (var property in context.JsonTypeInfo.Properties)
        {
            var nullable = property.IsSetNullable || Nullable.GetUnderlyingType(property.PropertyType) is not null;
            if (nullable && !property.IsRequired) schema.Required.Remove(property.Name);
        }
        return Task.CompletedTask;
    }
}
