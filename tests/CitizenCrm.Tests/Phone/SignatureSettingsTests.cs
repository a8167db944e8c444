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

    /// <summary>
    /// The test host enforces none of Kestrel's limits (1 MB bodies, the request line): these run over a real Kestrel on
    /// 127.0.0.1 and a free port, where a body over 1 MB once got a JSON 413 and a query over 8 KB a bare 414.
    /// </summary>
    [Test]
    public async Task Over_real_Kestrel_huge_bodies_and_query_strings_get_403_or_TwiML_never_413_or_414()
    {
        using (var app = new CrmTestApp(settings: TwilioPhone.Settings()))
        {
            var client = StartKestrel(app);
            foreach (var signature in new[] { "bm90IGEgc2lnbmF0dXJl", null })
            {
                using var post = new HttpRequestMessage(HttpMethod.Post, "/twilio/voice/incoming") { Content = HostileWebhookBodies.Body("over 1 MB") };
                if (signature is not null) post.Headers.Add("X-Twilio-Signature", signature);
                // The refusal is sent before the body is read, and Kestrel then closes the connection: a client still
                // writing the megabyte saw "broken pipe" instead of the 403 whenever the server was faster than the
                // upload. Asking first (Expect: 100-continue, as large uploads do) makes the client wait for the answer;
                // the Content-Length still tells Kestrel the size, so a 413 would still show.
                post.Headers.ExpectContinue = true;
                await HostileWebhookBodies.AssertSignatureRefusal(await client.SendAsync(post));
                foreach (var kilobytes in new[] { 20, 100 })
                {
                    using var get = new HttpRequestMessage(HttpMethod.Get, HugeQuery("/twilio/voice/incoming", kilobytes));
                    if (signature is not null) get.Headers.Add("X-Twilio-Signature", signature);
                    await HostileWebhookBodies.AssertSignatureRefusal(await client.SendAsync(get));
                }
            }

            // A signed GET that long (nothing Twilio sends, but signed) is answered: the greeting, whole, with its Content-Length.
            var local = HugeQuery("/twilio/voice/incoming", 100);
            using var signed = new HttpRequestMessage(HttpMethod.Get, local);
            signed.Headers.Add("X-Twilio-Signature", CitizenCrm.Ivr.TwilioSignature.Compute(TwilioPhone.AuthToken, TwilioPhone.PublicBaseUrl + local, []));
            var greeting = await HostileWebhookBodies.AssertTwiml(await client.SendAsync(signed));
            Assert.That(greeting.Descendants("Say").First().Value, Does.Contain("Primăria"));
        }

        using (var app = new CrmTestApp(settings: Unchecked))
        {
            var client = StartKestrel(app);
            using var post = new HttpRequestMessage(HttpMethod.Post, "/twilio/voice/turn?turn=2") { Content = HostileWebhookBodies.Body("over 1 MB") };
            var apology = await HostileWebhookBodies.AssertTwiml(await client.SendAsync(post));
            Assert.That(apology.Descendants("Say").First().Value, Is.EqualTo("Ne pare rău, a apărut o problemă."));
            foreach (var kilobytes in new[] { 20, 100 })
                await HostileWebhookBodies.AssertTwiml(await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, HugeQuery("/twilio/voice/incoming", kilobytes))));
        }
    }

    private static HttpClient StartKestrel(CrmTestApp app)
    {
        app.UseKestrel(0);
        app.StartServer();
        var address = app.CreateClient().BaseAddress!;
        Assert.That(address.Port, Is.Not.EqualTo(80), "the client must talk to the real Kestrel on its free port");
        // With Expect: 100-continue the client waits for the server's answer before sending the body, but only for a
        // second by default: a server slower than that under load (CI) was still answered with a broken pipe.
        return new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromMinutes(1) }) { BaseAddress = address };
    }

    /// <summary>A GET webhook's query padded to about that many kilobytes.</summary>
    private static string HugeQuery(string path, int kilobytes) =>
        $"{path}?CallSid={HostileWebhookBodies.Sid}&From=%2B40722123456&Pad=" + new string('a', kilobytes * 1024);
}
