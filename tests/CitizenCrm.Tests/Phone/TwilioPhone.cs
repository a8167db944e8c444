using System.Net;
using System.Xml.Linq;
using CitizenCrm.Ivr;

namespace CitizenCrm.Tests.Phone;

/// <summary>One TwiML reply, already validated against Twilio's schema.</summary>
public sealed record TwimlReply(HttpStatusCode Status, string Xml, XDocument Document)
{
    public IReadOnlyList<string> Said => Document.Descendants("Say").Select(s => s.Value).ToList();
    public string Text => string.Join(" ", Said);
    public XElement? Gather => Document.Root!.Element("Gather");
    public XElement? Enqueue => Document.Root!.Element("Enqueue");
    public XElement? Record => Document.Root!.Element("Record");
    public bool HangsUp => Document.Root!.Element("Hangup") is not null;

    /// <summary>Where Twilio would post next: the gather's, the queue's or the recording's action URL.</summary>
    public string NextUrl => (Gather ?? Enqueue ?? Record)?.Attribute("action")?.Value
        ?? throw new AssertionException("This reply waits for nothing:\n" + Xml);

    public IEnumerable<string> Voices => Document.Descendants("Say").Select(s => s.Attribute("voice")?.Value ?? "");
}

/// <summary>
/// Plays Twilio against the test host: posts form parameters as Twilio does and signs them against the public URL
/// (which differs from the test host's own http://localhost, as behind a proxy or tunnel).
/// </summary>
public sealed class TwilioPhone(HttpClient client, string callSid, string from = "+40721234567")
{
    public const string AuthToken = "test-twilio-auth-token";
    public const string PublicBaseUrl = "https://crm.alba-iulia.example/city";

    public static Dictionary<string, string?> Settings(Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Phone:AuthToken"] = AuthToken,
            ["Phone:PublicBaseUrl"] = PublicBaseUrl,
        };
        foreach (var (k, v) in more ?? []) settings[k] = v;
        return settings;
    }

    public string CallSid { get; } = callSid;
    public string From { get; } = from;
    public TwimlReply? Last { get; private set; }
    public HttpClient Client { get; set; } = client;

    public Dictionary<string, string> BaseForm() => new()
    {
        ["CallSid"] = CallSid, ["AccountSid"] = "AC11111111111111111111111111111111", ["From"] = From, ["To"] = "+40258819462",
        ["CallStatus"] = "in-progress", ["Direction"] = "inbound", ["ApiVersion"] = "2010-04-01",
    };

    public Task<TwimlReply> Dial() => Post(PublicBaseUrl + "/twilio/voice/incoming", BaseForm());

    /// <summary>Answers the last question with keys (a trailing # is stripped, as Twilio does with finishOnKey).</summary>
    public Task<TwimlReply> Press(string keys)
    {
        var form = BaseForm();
        form["Digits"] = keys.TrimEnd('#');
        if (keys.EndsWith('#')) form["FinishedOnKey"] = "#";
        return Post(Last!.NextUrl, form);
    }

    public Task<TwimlReply> Say(string speech)
    {
        var form = BaseForm();
        form["SpeechResult"] = speech;
        form["Confidence"] = "0.91";
        return Post(Last!.NextUrl, form);
    }

    public Task<TwimlReply> Silence() => Post(Last!.NextUrl, BaseForm());

    public Task<TwimlReply> Then(Dictionary<string, string> extra)
    {
        var form = BaseForm();
        foreach (var (k, v) in extra) form[k] = v;
        return Post(Last!.NextUrl, form);
    }

    public async Task<TwimlReply> Post(string publicUrl, Dictionary<string, string> form, string? signature = null)
    {
        var response = await Send(publicUrl, form, signature);
        var xml = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), xml);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/xml"));
        var reply = new TwimlReply(response.StatusCode, xml, TwimlSchema.Validate(xml));
        Last = reply;
        return reply;
    }

    public async Task<HttpResponseMessage> Send(string publicUrl, Dictionary<string, string> form, string? signature = null)
    {
        Assert.That(publicUrl, Does.StartWith(PublicBaseUrl), "Replies must point Twilio at the public URL.");
        var local = publicUrl[PublicBaseUrl.Length..];
        using var request = new HttpRequestMessage(HttpMethod.Post, local) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("X-Twilio-Signature", signature ?? TwilioSignature.Compute(AuthToken, publicUrl, form));
        return await Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> Hangup(int seconds = 95)
    {
        var form = BaseForm();
        form["CallStatus"] = "completed";
        form["CallDuration"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Send(PublicBaseUrl + "/twilio/voice/status", form);
    }
}
