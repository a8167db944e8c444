using System.Net;
using CitizenCrm.Tests.Infrastructure;
using Dapper;

namespace CitizenCrm.Tests.Phone;

public class NeverBreakTests : PhoneCallTest
{
    [Test]
    public async Task Forged_or_missing_signature_gets_403_and_nothing_happens()
    {
        var call = NewCall();
        var url = TwilioPhone.PublicBaseUrl + "/twilio/voice/incoming";
        var forged = await call.Send(url, call.BaseForm(), signature: "bm90IGEgc2lnbmF0dXJl");
        await HostileWebhookBodies.AssertSignatureRefusal(forged);

        var tampered = call.BaseForm();
        var signature = CitizenCrm.Ivr.TwilioSignature.Compute(TwilioPhone.AuthToken, url, tampered);
        tampered["From"] = "+40799999999";   // signed for another caller
        Assert.That((await call.Send(url, tampered, signature)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        using var unsigned = new HttpRequestMessage(HttpMethod.Post, "/twilio/voice/incoming") { Content = new FormUrlEncodedContent(call.BaseForm()) };
        await HostileWebhookBodies.AssertSignatureRefusal(await call.Client.SendAsync(unsigned));

        Assert.That(Scalar("SELECT COUNT(*) FROM ivr_calls"), Is.Zero);
        Assert.That(Scalar("SELECT COUNT(*) FROM timeline WHERE channel = 'ivr'"), Is.Zero);
    }

    [Test]
    public async Task Signature_is_checked_against_the_public_URL_behind_a_proxy_not_the_address_the_server_sees()
    {
        var call = NewCall();
        var form = call.BaseForm();
        // Signed for the URL Kestrel sees (http://localhost/...): that is not what Twilio called, so it is refused.
        var localSignature = CitizenCrm.Ivr.TwilioSignature.Compute(TwilioPhone.AuthToken, "http://localhost/twilio/voice/incoming", form);
        Assert.That((await call.Send(TwilioPhone.PublicBaseUrl + "/twilio/voice/incoming", form, localSignature)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        // Signed for the public URL (https, another host, a path prefix the proxy strips): accepted, and cross-checked with Twilio's own validator.
        var publicUrl = TwilioPhone.PublicBaseUrl + "/twilio/voice/incoming";
        var signature = CitizenCrm.Ivr.TwilioSignature.Compute(TwilioPhone.AuthToken, publicUrl, form);
        Assert.That(new Twilio.Security.RequestValidator(TwilioPhone.AuthToken).Validate(publicUrl, form, signature), Is.True);
        var greeting = await call.Dial();
        Assert.That(greeting.Text, Does.Contain("Primăria"));
    }

    [Test]
    public async Task A_number_configured_for_GET_webhooks_works_too()
    {
        var call = NewCall();
        var query = string.Join("&", call.BaseForm().Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));
        var publicUrl = TwilioPhone.PublicBaseUrl + "/twilio/voice/incoming?" + query;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/twilio/voice/incoming?" + query);
        request.Headers.Add("X-Twilio-Signature", CitizenCrm.Ivr.TwilioSignature.Compute(TwilioPhone.AuthToken, publicUrl, []));
        var response = await call.Client.SendAsync(request);
        var xml = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), xml);
        Assert.That(TwimlSchema.Validate(xml).Descendants("Say").First().Value, Does.Contain("Primăria"));
        Assert.That(CallEvents(call.CallSid).Single().Kind, Is.EqualTo("ivr.call_started"));
    }

    [Test]
    public async Task A_duplicated_turn_neither_advances_twice_nor_logs_twice()
    {
        var caller = await CitizenWithPin();
        var call = NewCall();
        await call.Dial();
        await call.Press("1");
        await call.Press(caller.Cnp + "#");
        var pinUrl = call.Last!.NextUrl;
        var form = call.BaseForm();
        form["Digits"] = caller.Pin;
        var first = await call.Post(pinUrl, form);
        var again = await call.Post(pinUrl, form);   // Twilio retried the same request
        Assert.That(again.Xml, Is.EqualTo(first.Xml));
        Assert.That(CallEvents(call.CallSid).Count(e => e.Kind == "ivr.identity_verified"), Is.EqualTo(1));

        // A late retry of the incoming call neither restarts the call nor logs a second "call started": the current question again.
        var incomingAgain = await call.Post(TwilioPhone.PublicBaseUrl + "/twilio/voice/incoming", call.BaseForm());
        Assert.That(incomingAgain.Xml, Is.EqualTo(first.Xml));
        Assert.That(CallEvents(call.CallSid).Count(e => e.Kind == "ivr.call_started"), Is.EqualTo(1));

        // An old turn posted late does not move the call back: the current question is repeated.
        var stale = call.BaseForm();
        stale["Digits"] = "2";
        var late = await call.Post(TwilioPhone.PublicBaseUrl + "/twilio/voice/turn?turn=1", stale);
        Assert.That(late.Xml, Is.EqualTo(first.Xml));
        var menu = await call.Post(first.Gather!.Attribute("action")!.Value, new Dictionary<string, string>(call.BaseForm()) { ["Digits"] = "9" });
        Assert.That(menu.Text, Does.Contain("Pentru taxe și impozite apăsați 1"));
    }

    [Test]
    public async Task The_same_turn_arriving_twice_at_once_is_answered_once()
    {
        var caller = await CitizenWithPin();
        var call = NewCall();
        await call.Dial();
        await call.Press("1");
        await call.Press(caller.Cnp + "#");
        var form = call.BaseForm();
        form["Digits"] = caller.Pin;
        var url = call.Last!.NextUrl;
        var replies = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => call.Post(url, form)));
        Assert.That(replies.Select(r => r.Xml).Distinct().Count(), Is.EqualTo(1));
        Assert.That(CallEvents(call.CallSid).Count(e => e.Kind == "ivr.identity_verified"), Is.EqualTo(1));
    }

    [Test]
    public async Task Silence_repeats_the_question_and_after_three_silences_a_human_takes_over()
    {
        var caller = await CitizenWithPin();
        var call = NewCall();
        await Identify(call, caller);
        var first = await call.Silence();
        Assert.That(first.Text, Does.StartWith("Ne pare rău, nu v-am auzit. Pentru taxe și impozite"));
        await call.Silence();
        var third = await call.Silence();
        Assert.That(third.Enqueue, Is.Not.Null, third.Xml);
        Assert.That(CallEvents(call.CallSid).Last().Summary, Does.Contain("no input"));
    }

    [Test]
    public async Task Letters_or_fifty_digits_are_treated_as_not_understood()
    {
        var caller = await CitizenWithPin();
        var call = NewCall();
        await Identify(call, caller);
        var letters = await call.Press("abc");
        Assert.That(letters.Text, Does.StartWith("Nu am înțeles.").And.Contain("Pentru taxe"));
        var many = await call.Press(new string('7', 50));
        Assert.That(many.Text, Does.StartWith("Nu am înțeles."));

        // In the CNP question, garbage is an invalid CNP (never parsed, never looked up).
        var other = NewCall();
        await other.Dial();
        await other.Press("1");
        var garbage = await other.Press("12345678901234567890123456789012345678901234567890");
        Assert.That(garbage.Text, Does.StartWith("Acest cod numeric personal nu este valid."));
    }

    [Test]
    public async Task Speech_picks_a_menu_entry_in_the_callers_language()
    {
        var caller = await CitizenWithPin();
        var call = NewCall();
        await Identify(call, caller);
        var petitions = await call.Say("aș vrea să aflu de o petiție");
        Assert.That(petitions.Text, Does.StartWith("Pentru o petiție după numărul de înregistrare"));
    }

    [Test]
    public async Task An_unknown_CallSid_on_a_later_turn_starts_the_call_again_with_an_apology()
    {
        var call = NewCall();
        var form = call.BaseForm();
        form["Digits"] = "1";
        var reply = await call.Post(TwilioPhone.PublicBaseUrl + "/twilio/voice/turn?turn=4", form);
        Assert.That(reply.Text, Does.StartWith("Ne pare rău, am pierdut legătura").And.Contain("Primăria Alba Iulia"));
        Assert.That(reply.Gather!.Attribute("action")!.Value, Does.EndWith("turn=5"));
        Assert.That(CallEvents(call.CallSid).Single().Summary, Does.Contain("restarted from the greeting"));
    }

    [Test]
    public async Task Missing_parameters_get_the_apology_and_a_human_never_an_error()
    {
        var call = NewCall();
        var noSid = call.BaseForm();
        noSid.Remove("CallSid");
        var reply = await call.Post(TwilioPhone.PublicBaseUrl + "/twilio/voice/turn?turn=2", noSid);
        Assert.That(reply.Text, Does.StartWith("Ne pare rău, a apărut o problemă."));
        Assert.That(reply.Enqueue, Is.Not.Null);

        var noTurn = await call.Post(TwilioPhone.PublicBaseUrl + "/twilio/voice/turn", call.BaseForm());
        Assert.That(noTurn.Enqueue, Is.Not.Null);
        var badTurn = await call.Post(TwilioPhone.PublicBaseUrl + "/twilio/voice/turn?turn=abc", call.BaseForm());
        Assert.That(badTurn.Enqueue, Is.Not.Null);
        Assert.That(Scalar("SELECT COUNT(*) FROM ivr_calls"), Is.Zero);
    }

    [Test]
    public async Task A_failure_inside_a_turn_answers_an_apology_in_the_callers_language_and_the_operator_queue()
    {
        var caller = await CitizenWithPin();
        var call = NewCall();
        await call.Dial();
        await call.Press("2");   // English
        await call.Press(caller.Cnp + "#");
        using (var db = App.OpenDatabase()) db.Execute("DROP TABLE phone_pin_failures");   // the database breaks under the robot
        var reply = await call.Press("0000");
        Assert.That(reply.Text, Does.StartWith("Sorry, something went wrong."));
        Assert.That(reply.Enqueue!.Value, Is.EqualTo("operatori"));
        Assert.That(reply.Voices.First(), Is.EqualTo("Polly.Amy"));
        Assert.That(Scalar("SELECT COUNT(*) FROM ivr_calls WHERE status = 'waiting' AND wait_reason = 'error'"), Is.EqualTo(1), "the dispatchers see the caller waiting, and why");
    }

    [Test]
    public async Task The_fallback_URL_answers_without_the_database()
    {
        var call = NewCall();
        var reply = await call.Post(TwilioPhone.PublicBaseUrl + "/twilio/voice/fallback", call.BaseForm());
        Assert.That(reply.Enqueue, Is.Not.Null);
        Assert.That(reply.Text, Does.StartWith("Ne pare rău"));
    }

    [Test]
    public async Task At_night_the_fallback_asks_the_caller_to_call_again_instead_of_queueing_them_for_nobody()
    {
        Clock.SetUtcNow(new DateTimeOffset(2026, 3, 10, 21, 0, 0, TimeSpan.Zero)); // 23:00 in Alba Iulia
        var call = NewCall();

        var reply = await call.Post(TwilioPhone.PublicBaseUrl + "/twilio/voice/fallback", call.BaseForm());

        Assert.That(reply.Enqueue, Is.Null);
        Assert.That(reply.HangsUp, Is.True);
        Assert.That(reply.Text, Does.Contain("sunați din nou în programul de lucru"));
    }

    [Category("SqliteOnly")] // copies the SQLite file to a new folder; on a server database every node already shares one (Hosting/TwoNodeTests)
    [Test]
    public async Task A_new_server_on_the_same_database_continues_the_call()
    {
        var caller = await CitizenWithPin();
        var call = NewCall();
        await call.Dial();
        await call.Press("2");
        await call.Press(caller.Cnp + "#");
        var pinUrl = call.Last!.NextUrl;

        // Stop this server (its folder is deleted on dispose: copy the database and PIN key first) and start another.
        var copy = Path.Combine(Path.GetTempPath(), "citizencrm-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(copy);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        using (var db = App.OpenDatabase()) db.Execute("PRAGMA wal_checkpoint(TRUNCATE)");
        foreach (var f in Directory.GetFiles(App.DataFolder)) File.Copy(f, Path.Combine(copy, Path.GetFileName(f)));
        App.Dispose();
        App = new CrmTestApp(dataFolder: copy, settings: TwilioPhone.Settings(), clock: Clock);

        call.Client = App.CreateClient();
        var form = call.BaseForm();
        form["Digits"] = caller.Pin;
        var menu = await call.Post(pinUrl, form);
        Assert.That(menu.Text, Does.StartWith($"Thank you, {caller.FirstName}.").And.Contain("For taxes, press 1"));
    }

    [Test]
    public async Task The_call_ended_callback_records_duration_and_outcome_even_for_an_anonymous_call()
    {
        var call = NewCall();
        var greeting = await call.Dial();
        var ended = await call.Hangup(seconds: 14);
        Assert.That(ended.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        TwimlSchema.Validate(await ended.Content.ReadAsStringAsync());
        await call.Hangup(seconds: 14);   // Twilio retries callbacks
        var events = CallEvents(call.CallSid);
        Assert.That(events.Select(e => e.Kind), Is.EqualTo(new[] { "ivr.call_started", "ivr.call_ended" }));
        Assert.That(events[1].Summary, Does.Contain("ended after 14 s (anonymous)"));
        Assert.That(events[1].CitizenId, Is.Null);

        // Twilio posting a turn after the end (a race with the status callback) hears goodbye, nothing else.
        var late = await call.Post(greeting.NextUrl, new Dictionary<string, string>(call.BaseForm()) { ["Digits"] = "1" });
        Assert.That(late.Text, Is.EqualTo("La revedere."));
        Assert.That(late.HangsUp, Is.True);
    }

    private static readonly string[] WebhookPaths =
        ["/incoming", "/turn?turn=2", "/wait?lang=ro", "/status", "/fallback", "/operator", "/bridged"];

    [TestCaseSource(typeof(HostileWebhookBodies), nameof(HostileWebhookBodies.All))]
    public async Task A_forged_or_missing_signature_gets_403_whatever_the_body_never_a_500(string kind)
    {
        var client = App.CreateClient();
        foreach (var path in WebhookPaths)
        {
            foreach (var signature in new[] { "bm90IGEgc2lnbmF0dXJl", null })
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/twilio/voice" + path) { Content = HostileWebhookBodies.Body(kind) };
                if (signature is not null) request.Headers.Add("X-Twilio-Signature", signature);
                await HostileWebhookBodies.AssertSignatureRefusal(await client.SendAsync(request));
            }
        }
        Assert.That(Scalar("SELECT COUNT(*) FROM ivr_calls"), Is.Zero);
        Assert.That(Scalar("SELECT COUNT(*) FROM timeline WHERE channel = 'ivr'"), Is.Zero);
    }

    [Test]
    public async Task A_signed_POST_with_a_NUL_cannot_be_read_so_cannot_be_shown_signed_but_a_signed_GET_gets_TwiML()
    {
        var call = NewCall();
        var form = call.BaseForm();
        form["From"] = "+40\07221234";
        // ASP.NET's form reader refuses the NUL: the parameters Twilio signs cannot be read, so the signature cannot be checked.
        await HostileWebhookBodies.AssertSignatureRefusal(await call.Send(TwilioPhone.PublicBaseUrl + "/twilio/voice/incoming", form));

        // In a GET the signature covers the URL alone and the query is read as it is: the core refuses the control
        // character like any other field's, so the caller hears the apology and nothing is written.
        var refused = await HostileWebhookBodies.AssertTwiml(await SignedGet("/incoming", form));
        Assert.That(refused.Descendants("Say").First().Value, Is.EqualTo("Ne pare rău, a apărut o problemă."));
        Assert.That(Scalar("SELECT COUNT(*) FROM ivr_calls"), Is.Zero);

        form["From"] = "+40722123456";
        var greeting = await HostileWebhookBodies.AssertTwiml(await SignedGet("/incoming", form));
        Assert.That(greeting.Descendants("Say").First().Value, Does.Contain("Primăria"));

        // A CallSid that is not one ("CA" and 32 hex digits) touches no state: the apology and a human.
        form["CallSid"] = "CA\0" + call.CallSid[3..];
        var apology = await HostileWebhookBodies.AssertTwiml(await SignedGet("/incoming", form));
        Assert.That(apology.Descendants("Say").First().Value, Is.EqualTo("Ne pare rău, a apărut o problemă."));
        Assert.That(Scalar("SELECT COUNT(*) FROM ivr_calls"), Is.EqualTo(1));
    }

    private async Task<HttpResponseMessage> SignedGet(string path, Dictionary<string, string> parameters)
    {
        var query = string.Join("&", parameters.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        var local = "/twilio/voice" + path + (path.Contains('?') ? "&" : "?") + query;
        using var request = new HttpRequestMessage(HttpMethod.Get, local);
        request.Headers.Add("X-Twilio-Signature", CitizenCrm.Ivr.TwilioSignature.Compute(TwilioPhone.AuthToken, TwilioPhone.PublicBaseUrl + local, []));
        return await App.CreateClient().SendAsync(request);
    }

    [Test]
    public async Task Every_TwiML_reply_carries_its_Content_Length_and_is_not_chunked()
    {
        var caller = await CitizenWithPin();
        var call = NewCall();
        foreach (var path in WebhookPaths)
            await HostileWebhookBodies.AssertTwiml(await call.Send(TwilioPhone.PublicBaseUrl + "/twilio/voice" + path, call.BaseForm()));
        var other = NewCall();
        await Identify(other, caller);
        var form = other.BaseForm();
        form["Digits"] = "1";
        await HostileWebhookBodies.AssertTwiml(await other.Send(other.Last!.NextUrl, form));
    }
}
