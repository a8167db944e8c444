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
        await HostileWebhookBodies.AssertSignatureRefusal(response);
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

    private static readonly string[] WebhookPaths =
        ["/incoming", "/turn?turn=2", "/wait?lang=ro", "/status", "/fallback", "/operator", "/bridged"];

    private static Dictionary<string, string?> Unchecked => new() { ["Phone:SkipSignatureValidation"] = "true" };

    [TestCaseSource(typeof(HostileWebhookBodies), nameof(HostileWebhookBodies.All))]
    public async Task Without_signature_checks_any_body_gets_TwiML_never_a_500(string kind)
    {
        using var app = new CrmTestApp(settings: Unchecked);
        var client = app.CreateClient();
        foreach (var path in WebhookPaths)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/twilio/voice" + path) { Content = HostileWebhookBodies.Body(kind) };
            await HostileWebhookBodies.AssertTwiml(await client.SendAsync(request));
        }
    }

    [TestCaseSource(typeof(HostileWebhookBodies), nameof(HostileWebhookBodies.Unreadable))]
    public async Task Without_signature_checks_a_form_that_cannot_be_read_gets_the_apology_in_Romanian(string kind)
    {
        using var app = new CrmTestApp(settings: Unchecked);
        foreach (var path in new[] { "/incoming", "/turn?turn=2" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/twilio/voice" + path) { Content = HostileWebhookBodies.Body(kind) };
            var twiml = await HostileWebhookBodies.AssertTwiml(await app.CreateClient().SendAsync(request));
            Assert.That(twiml.Descendants("Say").First().Value, Is.EqualTo("Ne pare rău, a apărut o problemă."));
        }
        using var db = app.OpenDatabase();
        using var count = db.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM ivr_calls";
        Assert.That(count.ExecuteScalar(), Is.Zero);
    }
}
