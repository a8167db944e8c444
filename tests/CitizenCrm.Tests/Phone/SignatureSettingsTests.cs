using System.Net;
using CitizenCrm.Tests.Infrastructure;

namespace CitizenCrm.Tests.Phone;

public class SignatureSettingsTests
{
    private static HttpRequestMessage Incoming() => new(HttpMethod.Post, "/twilio/voice/incoming")
    {
        Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["CallSid"] = "CA" + Guid.NewGuid().ToString("N"), ["From"] = "+40721234567" }),
    };

    [Test]
    public async Task Without_an_auth_token_every_webhook_is_refused()
    {
        using var app = new CrmTestApp();
        var response = await app.CreateClient().SendAsync(Incoming());
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Only_the_explicit_development_setting_accepts_unsigned_webhooks()
    {
        using var app = new CrmTestApp(settings: new Dictionary<string, string?> { ["Phone:SkipSignatureValidation"] = "true" });
        var response = await app.CreateClient().SendAsync(Incoming());
        var xml = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), xml);
        Assert.That(TwimlSchema.Validate(xml).Descendants("Say").First().Value, Does.Contain("Primăria"));
    }
}
