using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace CitizenCrm.Tests.Phone;

/// <summary>Webhook bodies no Twilio request looks like, each of which once answered 500 (or a JSON 413).</summary>
public static class HostileWebhookBodies
{
    public const string Sid = "CA0123456789abcdef0123456789abcdef";

    public static IEnumerable<TestCaseData> Unreadable()
    {
        yield return new TestCaseData("malformed multipart").SetName("{m}(malformed multipart)");
        yield return new TestCaseData("1,025 fields").SetName("{m}(1,025 fields)");
        yield return new TestCaseData("a 2,049-character key").SetName("{m}(a 2,049-character key)");
        // ASP.NET's form reader refuses a NUL ("The form value contains invalid characters").
        yield return new TestCaseData("a NUL in a value").SetName("{m}(a NUL in a value)");
        yield return new TestCaseData("a NUL in the CallSid").SetName("{m}(a NUL in the CallSid)");
    }

    public static IEnumerable<TestCaseData> All()
    {
        foreach (var c in Unreadable()) yield return c;
        yield return new TestCaseData("over 1 MB").SetName("{m}(over 1 MB)");
    }

    public static HttpContent Body(string kind)
    {
        switch (kind)
        {
            case "malformed multipart":
            {
                // A part that never ends: the multipart reader fails at the end of the stream.
                var content = new StringContent($"--xyz\r\nContent-Disposition: form-data; name=\"CallSid\"\r\n\r\n{Sid}\r\n--xyz\r\nContent-Disp", Encoding.UTF8);
                content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=xyz");
                return content;
            }
            case "1,025 fields":
                return Form(Enumerable.Range(0, 1024).Select(i => new KeyValuePair<string, string>("f" + i, "x")).Prepend(new("CallSid", Sid)));
            case "a 2,049-character key":
                return Form([new("CallSid", Sid), new(new string('k', 2049), "x")]);
            case "a NUL in a value":
                return Raw($"CallSid={Sid}&From=%2B40%00722123456&To=%2B40258819462");
            case "a NUL in the CallSid":
                return Raw("CallSid=CA%00123&From=%2B40722123456");
            case "over 1 MB":
                return Raw($"CallSid={Sid}&SpeechResult=" + new string('a', 1024 * 1024 + 10));
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    private static HttpContent Form(IEnumerable<KeyValuePair<string, string>> pairs) =>
        Raw(string.Join("&", pairs.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value))));

    private static HttpContent Raw(string urlEncoded) =>
        new StringContent(urlEncoded, Encoding.ASCII, "application/x-www-form-urlencoded");

    /// <summary>Twilio's 403: the signature is named, the API's staff-role sentence is not.</summary>
    public static async Task AssertSignatureRefusal(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), body);
        Assert.That(body, Does.Contain("X-Twilio-Signature header is missing or invalid"));
        Assert.That(body, Does.Not.Contain("role"));
    }

    /// <summary>A TwiML reply sent whole: 200, valid TwiML, a Content-Length equal to the bytes sent, not chunked (Twilio error 12100).</summary>
    public static async Task<System.Xml.Linq.XDocument> AssertTwiml(HttpResponseMessage response)
    {
        // The header as sent: HttpContent.Headers.ContentLength would compute a length from the buffered body itself.
        var sent = response.Content.Headers.NonValidated.TryGetValues("Content-Length", out var values) ? values.ToString() : null;
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var xml = Encoding.UTF8.GetString(bytes);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), xml);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/xml"));
        Assert.That(sent, Is.EqualTo(bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)), "a TwiML reply carries its Content-Length");
        Assert.That(response.Headers.TransferEncodingChunked, Is.Not.True, "a TwiML reply is not chunked");
        return TwimlSchema.Validate(xml);
    }
}
