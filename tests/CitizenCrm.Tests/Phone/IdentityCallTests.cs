using System.Net;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Infrastructure;

namespace CitizenCrm.Tests.Phone;

public class IdentityCallTests : PhoneCallTest
{
    [Test]
    public async Task Caller_hears_greeting_with_data_protection_notice_then_identifies_with_CNP_and_PIN()
    {
        var caller = await CitizenWithPin("Ioana");
        var call = NewCall();
        var greeting = await call.Dial();
        Assert.That(greeting.Text, Does.Contain("Primăria Alba Iulia").And.Contain("Protecția datelor").And.Contain("For English, press 2"));
        Assert.That(greeting.Document.Descendants("Say").Single(e => e.Value.StartsWith("For English")).Attribute("voice")!.Value, Is.EqualTo("Polly.Amy"),
            "each language option is spoken by its own language's voice");
        Assert.That(greeting.Document.Descendants("Say").Single(e => e.Value.StartsWith("Magyar")).Attribute("voice")!.Value, Is.EqualTo("Google.hu-HU-Standard-A"));
        Assert.That(greeting.Gather!.Attribute("action")!.Value, Is.EqualTo(TwilioPhone.PublicBaseUrl + "/twilio/voice/turn?turn=1"));

        var askCnp = await call.Press("1");
        Assert.That(askCnp.Text, Does.Contain("codul numeric personal"));
        Assert.That(askCnp.Gather!.Attribute("input")!.Value, Is.EqualTo("dtmf"), "the CNP is taken by keypad only");
        Assert.That(askCnp.Gather!.Attribute("finishOnKey")!.Value, Is.EqualTo("#"));

        var askPin = await call.Press(caller.Cnp + "#");
        Assert.That(askPin.Text, Does.Contain("PIN"));
        Assert.That(askPin.Gather!.Attribute("input")!.Value, Is.EqualTo("dtmf"), "the PIN is taken by keypad only");

        var menu = await call.Press(caller.Pin);
        Assert.That(menu.Text, Does.StartWith("Vă mulțumim, Ioana.").And.Contain("Pentru taxe și impozite apăsați 1"));
        Assert.That(menu.Gather!.Attribute("input")!.Value, Is.EqualTo("dtmf speech"));
        Assert.That(menu.Gather!.Attribute("hints")!.Value, Does.Contain("amenzi"));

        var events = CallEvents(call.CallSid);
        Assert.That(events.Select(e => e.Kind), Is.EqualTo(new[] { "ivr.call_started", "ivr.identity_verified" }));
        Assert.That(events[0].Summary, Is.EqualTo($"Call from {CitizenCrm.Core.Citizens.PhoneNumber.Mask("+40721234567")} started"));
        Assert.That(events[1].CitizenId, Is.EqualTo(caller.Id));
        Assert.That(events.Select(e => e.DedupKey), Is.EqualTo(new[] { $"twilio:{call.CallSid}:0:0", $"twilio:{call.CallSid}:3:1" }));
    }

    [Test]
    public async Task Wrong_PIN_three_times_puts_the_caller_through_to_an_operator()
    {
        var caller = await CitizenWithPin();
        var call = NewCall();
        await call.Dial();
        await call.Press("1");
        var wrong = caller.Pin == "0000" ? "1111" : "0000";
        TwimlReply reply = null!;
        for (var i = 0; i < 3; i++)
        {
            await call.Press(caller.Cnp + "#");
            reply = await call.Press(wrong);
            Assert.That(reply.Text, Does.StartWith("Datele nu au putut fi verificate."));
        }
        Assert.That(reply.Said, Is.EqualTo(new[] { "Datele nu au putut fi verificate.", "Vă facem legătura cu un operator. Vă rugăm să așteptați." }));
        Assert.That(reply.Enqueue!.Value, Is.EqualTo("operatori"));
        var events = CallEvents(call.CallSid);
        Assert.That(events.Count(e => e.Kind == "ivr.identity_failed"), Is.EqualTo(3));
        Assert.That(events.Last().Kind, Is.EqualTo("ivr.transferred"));
        Assert.That(events.Last().Summary, Does.Contain("identity failed"));
    }

    [Test]
    public async Task Unknown_CNP_is_answered_exactly_like_a_wrong_PIN_and_counted_without_storing_the_CNP()
    {
        var caller = await CitizenWithPin();
        var unknownCnp = TestData.NewCnp(sex: 1);

        async Task<(string AfterCnp, string AfterPin)> Attempt(string cnp, string pin)
        {
            var call = NewCall();
            await call.Dial();
            await call.Press("1");
            var afterCnp = await call.Press(cnp + "#");
            var afterPin = await call.Press(pin);
            return (afterCnp.Xml, afterPin.Xml.Replace(call.CallSid, ""));
        }

        var wrongPin = await Attempt(caller.Cnp, caller.Pin == "0000" ? "1111" : "0000");
        var unknown = await Attempt(unknownCnp, "1234");
        Assert.That(unknown.AfterCnp, Is.EqualTo(wrongPin.AfterCnp), "asking for the PIN must not tell whether the CNP exists");
        Assert.That(unknown.AfterPin, Is.EqualTo(wrongPin.AfterPin), "the refusal must be word for word the same");

        Assert.That(Scalar("SELECT COUNT(*) FROM phone_pin_failures"), Is.EqualTo(2));
        Assert.That(Scalar("SELECT COUNT(*) FROM phone_pin_failures WHERE cnp_key LIKE @c", new { c = "%" + unknownCnp + "%" }), Is.Zero);
        Assert.That(Scalar("SELECT COUNT(*) FROM timeline WHERE summary LIKE @c OR payload LIKE @c", new { c = "%" + unknownCnp[^6..] + "%" }), Is.Zero);
    }

    [Test]
    public async Task Five_wrong_PINs_across_calls_and_numbers_lock_phone_access_until_a_clerk_unlocks_it()
    {
        var caller = await CitizenWithPin();
        var wrong = caller.Pin == "0000" ? "1111" : "0000";
        string[] numbers = ["+40721000001", "+40721000002", "+40731000003"];
        for (var i = 0; i < 5; i++)
        {
            var call = NewCall(numbers[i % numbers.Length]);
            await call.Dial();
            await call.Press("1");
            await call.Press(caller.Cnp + "#");
            var refused = await call.Press(wrong);
            Assert.That(refused.Text, Does.StartWith("Datele nu au putut fi verificate."));
            Clock.Advance(TimeSpan.FromMinutes(30));
        }

        // The right PIN is now refused, with the same words: the robot never says "locked".
        var locked = NewCall();
        await locked.Dial();
        await locked.Press("1");
        await locked.Press(caller.Cnp + "#");
        var refusedAgain = await locked.Press(caller.Pin);
        Assert.That(refusedAgain.Text, Does.StartWith("Datele nu au putut fi verificate.").And.Not.Contains("blocat"));
        var kinds = string.Join(",", CallEventsOf(caller.Id));
        Assert.That(Scalar("SELECT COUNT(*) FROM timeline WHERE kind = 'ivr.phone_access_locked' AND citizen_id = @id", new { id = caller.Id }), Is.EqualTo(1), kinds);

        // A clerk checks the citizen's ID at the desk and unlocks; the next call gets through.
        var response = await Clerk.PostAsync($"/api/citizens/{caller.Id}/phone-access/unlock", null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(Scalar("SELECT COUNT(*) FROM timeline WHERE kind = 'phone.access_unlocked' AND citizen_id = @id", new { id = caller.Id }), Is.EqualTo(1));
        var after = NewCall();
        var menu = await Identify(after, caller);
        Assert.That(menu.Text, Does.StartWith("Vă mulțumim"));
    }

    [Test]
    public async Task Four_wrong_PINs_then_a_day_later_a_fifth_do_not_lock()
    {
        var caller = await CitizenWithPin();
        var wrong = caller.Pin == "0000" ? "1111" : "0000";
        for (var i = 0; i < 5; i++)
        {
            var call = NewCall();
            await call.Dial();
            await call.Press("1");
            await call.Press(caller.Cnp + "#");
            await call.Press(wrong);
            if (i == 3) Clock.Advance(TimeSpan.FromHours(25));
        }
        var menu = await Identify(NewCall(), caller);
        Assert.That(menu.Text, Does.StartWith("Vă mulțumim"));
    }

    [Test]
    public async Task An_invalid_CNP_is_refused_by_its_checksum_before_any_lookup()
    {
        var call = NewCall();
        await call.Dial();
        await call.Press("1");
        var reply = await call.Press("2850301123451#");   // last digit wrong
        Assert.That(reply.Text, Does.StartWith("Acest cod numeric personal nu este valid.").And.Contain("tastați codul numeric personal"));
        Assert.That(Scalar("SELECT COUNT(*) FROM phone_pin_failures"), Is.Zero);
    }
}
