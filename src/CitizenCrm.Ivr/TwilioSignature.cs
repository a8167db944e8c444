using System.Security.Cryptography;
using System.Text;

namespace CitizenCrm.Ivr;

/// <summary>
/// Signs a request the way Twilio does (HMAC-SHA1 of the full URL followed by each POST parameter's name and value,
/// sorted by name, base64; https://www.twilio.com/docs/usage/security#validating-requests). Used by the `call` verb
/// and the tests to play Twilio; the server checks with the Twilio library's own RequestValidator.
/// </summary>
public static class TwilioSignature
{
    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var data = new StringBuilder(url);
        foreach (var (key, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal)) data.Append(key).Append(value);
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
    }
}
