using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Infrastructure;

namespace CitizenCrm.Tests.Phone;

public class OperatorCallTests : PhoneCallTest
{
    protected override Dictionary<string, string?> ExtraSettings => new() { ["Phone:MaxWaitSeconds"] = "120" };

    private async Task<JsonElement> DispatcherQueue(bool reveal = false)
    {
        var dispatcher = await App.ClientFor(StaffRole.Dispatcher);
        var response = await dispatcher.GetAsync(reveal ? "/api/phone/queue?reveal=true" : "/api/phone/queue");
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [Test]
    public async Task Identified_caller_asks_for_an_operator_and_the_dispatcher_sees_who_waits_and_why()
    {
        var caller = await CitizenWithPin("Mihai");
        var call = NewCall();
        await Identify(call, caller);
        var queued = await call.Press("0");
        Assert.That(queued.Text, Does.Contain("Vă facem legătura cu un operator"));
        Assert.That(queued.Enqueue!.Value, Is.EqualTo("operatori"));
        Assert.That(queued.Enqueue.Attribute("waitUrl")!.Value, Is.EqualTo(TwilioPhone.PublicBaseUrl + "/twilio/voice/wait?lang=ro"));

        var queue = await DispatcherQueue();
        var waiting = queue.GetProperty("waiting").EnumerateArray().Single();
        Assert.That(waiting.GetProperty("callSid").GetString(), Is.EqualTo(call.CallSid));
        Assert.That(waiting.GetProperty("reason").GetString(), Is.EqualTo("operator_requested"));
        Assert.That(waiting.GetProperty("identity").GetProperty("firstName").GetString(), Is.EqualTo("Mihai"));
        Assert.That(waiting.GetProperty("identity").GetProperty("maskedNationalId").GetString(), Does.StartWith("*********"));
        Assert.That(waiting.GetProperty("recentTimeline").EnumerateArray().Select(e => e.GetProperty("kind").GetString()), Does.Contain("ivr.identity_verified"));

        // While waiting the caller hears the wait message; after the maximum wait, out of the queue to the message/callback menu.
        var wait = await call.Post(TwilioPhone.PublicBaseUrl + "/twilio/voice/wait?lang=ro", new Dictionary<string, string>(call.BaseForm()) { ["QueueTime"] = "30" });
        Assert.That(wait.Text, Does.Contain("Toți operatorii sunt ocupați"));
        var leave = await call.Post(TwilioPhone.PublicBaseUrl + "/twilio/voice/wait?lang=ro", new Dictionary<string, string>(call.BaseForm()) { ["QueueTime"] = "121" });
        Assert.That(leave.Document.Root!.Element("Leave"), Is.Not.Null);
        var menu = await call.Post(queued.NextUrl, new Dictionary<string, string>(call.BaseForm()) { ["QueueResult"] = "leave", ["QueueTime"] = "121" });
        Assert.That(menu.Text, Does.StartWith("Ne pare rău, operatorii sunt încă ocupați.").And.Contain("Pentru a vă suna noi înapoi, 2"));
        var callback = await call.Press("2");
        Assert.That(callback.Text, Does.Contain("Un operator vă va suna înapoi").And.EndWith("La revedere."));
        Assert.That(callback.HangsUp, Is.True);

        var request = (await DispatcherQueue()).GetProperty("requests").EnumerateArray().Single();
        Assert.That(request.GetProperty("kind").GetString(), Is.EqualTo("callback"));
        Assert.That(request.GetProperty("callbackNumber").GetString(), Is.EqualTo("+407******67"), "masked until the dispatcher asks to call");
        var toCall = (await DispatcherQueue(reveal: true)).GetProperty("requests").EnumerateArray().Single();
        Assert.That(toCall.GetProperty("callbackNumber").GetString(), Is.EqualTo(call.From));
        Assert.That(request.GetProperty("identity").GetProperty("citizenId").GetGuid(), Is.EqualTo(caller.Id));

        var dispatcher = await App.ClientFor(StaffRole.Dispatcher);
        var done = await dispatcher.PostAsJsonAsync($"/api/phone/requests/{request.GetProperty("id").GetGuid()}/done", new { note = "Called back, question answered" });
        Assert.That(done.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await DispatcherQueue()).GetProperty("requests").GetArrayLength(), Is.Zero);
        Assert.That(CallEvents(call.CallSid).Select(e => e.Kind), Does.Contain("ivr.transferred").And.Contain("ivr.callback_requested").And.Contain("phone.callback_done"));
    }

    [Test]
    public async Task Out_of_hours_the_caller_leaves_a_message_that_lands_in_the_dispatchers_list()
    {
        Clock.SetUtcNow(new DateTimeOffset(2026, 3, 10, 15, 0, 0, TimeSpan.Zero));   // 17:00 in Alba Iulia: the desk closed at 16:30
        var caller = await CitizenWithPin("Ana");
        var call = NewCall();
        await Identify(call, caller);
        var closed = await call.Press("0");
        Assert.That(closed.Text, Does.StartWith("Dispeceratul este închis acum.").And.Contain("Pentru a lăsa un mesaj apăsați 1"));
        Assert.That(closed.Text, Does.Contain("Programul este de luni până joi, de la 8 la 16:30, și vineri, de la 8 la 14."), "the caller learns when to call");
        var record = await call.Press("1");
        Assert.That(record.Record, Is.Not.Null, record.Xml);
        Assert.That(record.Text, Does.Contain("după semnal"));
        var saved = await call.Then(new() { ["RecordingUrl"] = "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1", ["RecordingDuration"] = "17", ["Digits"] = "#" });
        Assert.That(saved.Text, Does.StartWith("Mesajul a fost înregistrat."));

        var request = (await DispatcherQueue()).GetProperty("requests").EnumerateArray().Single();
        Assert.That(request.GetProperty("kind").GetString(), Is.EqualTo("message"));
        Assert.That(request.GetProperty("recordingSeconds").GetInt32(), Is.EqualTo(17));
        Assert.That(request.GetProperty("identity").GetProperty("firstName").GetString(), Is.EqualTo("Ana"));
        Assert.That(CallEvents(call.CallSid).Select(e => e.Kind), Does.Contain("ivr.message_left").And.Not.Contain("ivr.transferred"));
    }

    [Test]
    public async Task On_a_legal_holiday_the_desk_is_closed_even_in_opening_hours()
    {
        Clock.SetUtcNow(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));   // 1 December, a Tuesday, 10:00
        var call = NewCall();
        await call.Dial();
        var closed = await call.Press("0");
        Assert.That(closed.Text, Does.StartWith("Astăzi este sărbătoare legală: Ziua Națională a României. Dispeceratul este închis."));
    }

    [Test]
    public async Task At_the_end_the_caller_rates_the_call_and_the_score_is_on_the_timeline()
    {
        var caller = await CitizenWithPin();
        var call = NewCall();
        await Identify(call, caller);
        await call.Press("3");
        var list = await call.Press("9");
        Assert.That(list.Text, Does.StartWith("Pentru taxe"));
        var call2 = NewCall();
        await Identify(call2, caller);
        await call2.Press("0");   // to the queue; the operator answers and hangs up: Twilio posts the queue's action
        var survey = await call2.Then(new() { ["QueueResult"] = "bridged", ["QueueTime"] = "40" });
        Assert.That(survey.Text, Does.StartWith("Cum vi s-a părut acest apel?"));
        var thanks = await call2.Press("4");
        Assert.That(thanks.Text, Is.EqualTo("Vă mulțumim. La revedere."));
        Assert.That(thanks.HangsUp, Is.True);
        var score = CallEvents(call2.CallSid).Single(e => e.Kind == "ivr.survey_answered");
        Assert.That(score.Summary, Is.EqualTo("Phone survey: 4 out of 5"));
        Assert.That(score.CitizenId, Is.EqualTo(caller.Id));
    }

    [Test]
    public async Task An_operator_dials_the_queue_and_the_caller_leaves_the_waiting_list()
    {
        var caller = await CitizenWithPin();
        var call = NewCall();
        await Identify(call, caller);
        await call.Press("0");
        Assert.That((await DispatcherQueue()).GetProperty("waiting").GetArrayLength(), Is.EqualTo(1));

        var operatorPhone = NewCall("+40258819400");
        var dial = await operatorPhone.Post(TwilioPhone.PublicBaseUrl + "/twilio/voice/operator", operatorPhone.BaseForm());
        var queue = dial.Document.Root!.Element("Dial")!.Element("Queue")!;
        Assert.That(queue.Value, Is.EqualTo("operatori"));
        Assert.That(queue.Attribute("url")!.Value, Is.EqualTo(TwilioPhone.PublicBaseUrl + "/twilio/voice/bridged"));

        // Twilio fetches the Queue url for the dequeued caller just before bridging.
        await call.Post(queue.Attribute("url")!.Value, new Dictionary<string, string>(call.BaseForm()) { ["QueueTime"] = "35", ["DequeingCallSid"] = operatorPhone.CallSid });
        Assert.That((await DispatcherQueue()).GetProperty("waiting").GetArrayLength(), Is.Zero);
        Assert.That(CallEvents(call.CallSid).Select(e => e.Kind), Does.Contain("ivr.operator_answered"), "the pickup is on the timeline");
    }

    [Test]
    public async Task A_caller_from_a_range_the_number_library_does_not_know_can_still_be_called_back()
    {
        // +40 781 ... is a real-looking mobile range that libphonenumber's metadata marks invalid.
        var call = NewCall("+40781947806");
        await call.Dial();

        Assert.That(Scalar("SELECT COUNT(*) FROM ivr_calls WHERE caller_number = '+40781947806'"), Is.EqualTo(1));
        Assert.That(CallEvents(call.CallSid).Single(e => e.Kind == "ivr.call_started").Summary, Does.Not.Contain("+40781947806"));
    }

    [Test]
    public async Task A_clerk_cannot_read_the_dispatchers_queue()
    {
        var response = await Clerk.GetAsync("/api/phone/queue");
        await response.AssertProblem(HttpStatusCode.Forbidden);
    }
}
