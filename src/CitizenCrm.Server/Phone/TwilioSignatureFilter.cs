using CitizenCrm.Core.Phone;
using Microsoft.Extensions.Options;
using Twilio.Security;

namespace CitizenCrm.Server.Phone;

/// <summary>
/// Every Twilio webhook must carry a valid X-Twilio-Signature, checked with the Twilio library's RequestValidator
/// against the URL Twilio called: the configured public base URL plus the path and query Kestrel received (behind a
/// proxy or tunnel the scheme, host and port Kestrel sees are not the ones Twilio signed). A bad or missing
/// signature gets 403 and nothing else happens: no state read, no event written, no TwiML.
/// </summary>
public sealed class TwilioSignatureFilter(IOptions<PhoneOptions> options, ILogger<TwilioSignatureFilter> logger) : IEndpointFilter
{
    public const string Header = "X-Twilio-Signature";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var o = options.Value;
        if (o.SkipSignatureValidation) return await next(invocation);
        var http = invocation.HttpContext;
        if (await IsSignedAsync(http, o)) return await next(invocation);
        logger.LogWarning("Twilio webhook {Path} refused: missing or invalid signature", http.Request.Path.Value);
        return Results.StatusCode(StatusCodes.Status403Forbidden);
    }

    private static async Task<bool> IsSignedAsync(HttpContext http, PhoneOptions o)
    {
        if (string.IsNullOrEmpty(o.AuthToken) || string.IsNullOrEmpty(o.PublicBaseUrl)) return false;
        var signature = http.Request.Headers[Header].ToString();
        if (string.IsNullOrEmpty(signature)) return false;
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (http.Request.HasFormContentType)
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            foreach (var (key, value) in form) parameters[key] = value.ToString();
        }
        var url = o.PublicBaseUrl.TrimEnd('/') + http.Request.Path.Value + http.Request.QueryString.Value;
        return new RequestValidator(o.AuthToken).Validate(url, parameters, signature);
    }
}
