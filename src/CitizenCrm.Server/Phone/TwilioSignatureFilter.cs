using CitizenCrm.Core.Phone;
using Microsoft.Extensions.Options;
using Twilio.Security;

namespace CitizenCrm.Server.Phone;

/// <summary>
/// Every Twilio webhook must carry a valid X-Twilio-Signature, checked with the Twilio library's RequestValidator
/// against the URL Twilio called: the configured public base URL plus the path and query Kestrel received (behind a
/// proxy or tunnel the scheme, host and port Kestrel sees are not the ones Twilio signed). A bad or missing
/// signature gets 403 and nothing else happens: no state read, no event written, no TwiML.
/// A POST's signature covers its form parameters, so a body that cannot be read as a form (malformed, too many
/// fields, a key too long, over the size limit) cannot be shown to be signed: it gets the same 403, never a 500.
/// </summary>
public sealed class TwilioSignatureFilter(IOptions<PhoneOptions> options, ILogger<TwilioSignatureFilter> logger) : IEndpointFilter
{
    public const string Header = "X-Twilio-Signature";

    /// <summary>The body of the 403: says what is wrong with the request (not a staff role, as the API's 403s do).</summary>
    public const string RefusedDetail = "The X-Twilio-Signature header is missing or invalid for this URL and these parameters: only Twilio, with this account's auth token, can call this address.";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var o = options.Value;
        if (o.SkipSignatureValidation) return await next(invocation);
        var http = invocation.HttpContext;
        var (signed, unreadable) = await IsSignedAsync(http, o);
        if (signed) return await next(invocation);
        // The path only: a GET webhook's query holds the caller's number.
        if (unreadable is null) logger.LogWarning("Twilio webhook {Path} refused: missing or invalid signature", http.Request.Path.Value);
        else logger.LogWarning("Twilio webhook {Path} refused: its form could not be read ({Error}), so its signature cannot be checked", http.Request.Path.Value, unreadable);
        return Refused();
    }

    /// <summary>A short problem of its own, so the status-code pages do not fill in the API's "Your role does not allow this action".</summary>
    public static IResult Refused() => Results.Problem(statusCode: StatusCodes.Status403Forbidden,
        title: "Twilio signature missing or invalid", detail: RefusedDetail);

    private async Task<(bool Signed, string? Unreadable)> IsSignedAsync(HttpContext http, PhoneOptions o)
    {
        if (string.IsNullOrEmpty(o.AuthToken) || string.IsNullOrEmpty(o.PublicBaseUrl)) return (false, null);
        var signature = http.Request.Headers[Header].ToString();
        // Unsigned requests are refused before their body is read, whatever its size.
        if (string.IsNullOrEmpty(signature)) return (false, null);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (http.Request.HasFormContentType)
        {
            try
            {
                var form = await http.Request.ReadFormAsync(http.RequestAborted);
                foreach (var (key, value) in form) parameters[key] = value.ToString();
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !http.RequestAborted.IsCancellationRequested)
            {
                // InvalidDataException (FormOptions' 1,024 fields or 2,048-character keys, a malformed multipart body),
                // BadHttpRequestException (over Kestrel's 1 MB body limit, a body cut short), IOException...
                return (false, ex.GetType().Name);
            }
        }
        var url = o.PublicBaseUrl.TrimEnd('/') + http.Request.Path.Value + http.Request.QueryString.Value;
        try
        {
            return (new RequestValidator(o.AuthToken).Validate(url, parameters, signature), null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A forged signature or URL the validator cannot even parse is not signed either.
            logger.LogDebug("The Twilio validator failed on a request ({Error})", ex.GetType().Name);
            return (false, null);
        }
    }
}
