using CitizenCrm.Core.Common;
using Microsoft.AspNetCore.Mvc;

namespace CitizenCrm.Server.Hosting;

/// <summary>Tells the core which route is asking (for audit rows), from where (sign-in throttling) and with which Idempotency-Key.</summary>
public sealed class RequestContextMiddleware(RequestDelegate next)
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public async Task InvokeAsync(HttpContext http, RequestContext context, IProblemDetailsService problems)
    {
        var route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value ?? "";
        context.Endpoint = $"{http.Request.Method} {route}";
        context.ClientAddress = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

        // GeoReport v2 has no Idempotency-Key: an Open311 app's header is not ours to refuse, and its errors must stay
        // in Open311's format (its posts ignore the key; see Open311Endpoints).
        if (!http.Request.Path.StartsWithSegments("/open311") && http.Request.Headers.TryGetValue(IdempotencyHeader, out var values))
        {
            var key = values.ToString();
            if (key.Length is 0 or > 200 || key.Any(c => c < 0x21 || c > 0x7e))
            {
                http.Response.StatusCode = 400;
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = 400, Title = "Bad Idempotency-Key",
                        Detail = "The Idempotency-Key header must be 1 to 200 visible ASCII characters, e.g. a GUID.",
                    },
                });
                return;
            }
            context.IdempotencyKey = key;
        }
        await next(http);
    }
}

/// <summary>Marks a replayed result so a client can tell it did not run twice.</summary>
public sealed class IdempotencyReplayFilter(RequestContext context) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var result = await next(invocation);
        if (context.Replayed) invocation.HttpContext.Response.Headers["Idempotent-Replayed"] = "true";
        return result;
    }
}
