using System.Reflection;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.DataProtection.Masking;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CitizenCrm.Server.Hosting;

/// <summary>
/// The one convention for whole CNPs and phone numbers: every answer masks them, and the query parameter
/// <c>reveal=true</c> asks for them whole (audited apart: "{query}:revealed"). Any other value is refused, so a typo
/// never reveals, and never silently masks what a dispatcher needs to call back.
/// Twilio's webhooks are the caller's own call, not a staff read: they keep what they need.
/// </summary>
public sealed class RevealParameter(RequestDelegate next)
{
    public const string Name = "reveal";

    public const string Description =
        "true: show CNPs and phone numbers whole instead of masked (*********3457, +407******67). Each citizen shown " +
        "whole gets an audit row of its own ('<query>:revealed'), beside the ordinary read's row. Ask only when you will use the number.";

    public async Task InvokeAsync(HttpContext http, RequestContext context, IProblemDetailsService problems)
    {
        if (http.Request.Path.StartsWithSegments("/twilio"))
        {
            await next(http);
            return;
        }
        context.Disclosure = NumberDisclosure.Masked;
        if (http.Request.Query.TryGetValue(Name, out var values))
        {
            var value = values.ToString();
            if (string.Equals(value, "true", StringComparison.OrdinalIgnoreCase)) context.Disclosure = NumberDisclosure.Revealed;
            else if (!string.Equals(value, "false", StringComparison.OrdinalIgnoreCase))
            {
                http.Response.StatusCode = 400;
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = new HttpValidationProblemDetails(new Dictionary<string, string[]>
                    {
                        [Name] = ["reveal takes true (show CNPs and phone numbers whole, audited) or false (masked, the default)."],
                    })
                    { Status = 400, Title = "Bad reveal parameter" },
                });
                return;
            }
        }
        await next(http);
    }

    /// <summary>Documents ?reveal on every operation whose declared answer is maskable (<see cref="IMaskable{TSelf}"/>).</summary>
    public static Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken _)
    {
        var answers = context.Description.SupportedResponseTypes.Select(r => r.Type).OfType<Type>();
        if (!answers.Any(IsMaskable)) return Task.CompletedTask;
        operation.Parameters ??= [];
        if (operation.Parameters.Any(p => p.Name == Name)) return Task.CompletedTask;
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = Name,
            In = ParameterLocation.Query,
            Required = false,
            Description = Description,
            Schema = new OpenApiSchema { Type = JsonSchemaType.Boolean, Default = System.Text.Json.Nodes.JsonValue.Create(false) },
        });
        return Task.CompletedTask;
    }

    private static bool IsMaskable(Type type) =>
        type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IMaskable<>));
}
