using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Phone;
using Dapper;

namespace CitizenCrm.Tests.Jobs;

/// <summary>Phone housekeeping: silent calls closed as abandoned after 2 hours, ended calls' state pruned after the retention.</summary>
public sealed class PhoneHousekeepingTests : PhoneCallTest
{
    // The clock moves by months here; the admin's token must outlive that.
    protected override Dictionary<string, string?> ExtraSettings => new() { ["Staff:TokenLifetimeHours"] = "100000" };

    private sealed record CallState(string Status, string Outcome, long? EndedAt);

    private CallState? StateOf(string callSid)
    {
        using var db = App.OpenDatabase();
        return db.QuerySingleOrDefault<CallState>("SELECT status AS Status, outcome AS Outcome, ended_at AS EndedAt FROM ivr_calls WHERE call_sid = @callSid", new { callSid });
    }

    private async Task<TwilioPhone> CallLeftHanging()
    {
        var call = NewCall();
        await call.Dial(); // Twilio's status callback never comes
        return call;
    }

    private static Task<TwimlReply> HangUp(TwilioPhone call)
    {
        var form = call.BaseForm();
        form["CallStatus"] = "completed";
        form["CallDuration"] = "42";
        return call.Post(TwilioPhone.PublicBaseUrl + "/twilio/voice/status", form);
    }

    [Test]
    public async Task A_call_silent_for_1h59_stays_open_and_at_2h01_is_closed_as_abandoned_once_by_the_system()
    {
        var admin = await App.ClientFor(StaffRole.Admin);
        var call = await CallLeftHanging();

        Clock.Advance(TimeSpan.FromMinutes(119));
        Assert.That(await JobRunner.SummaryOfRunAsync(admin, "phone-housekeeping"),
            Is.EqualTo("0 silent call(s) closed as abandoned, 0 ended call(s) past retention pruned"));
        Assert.That(StateOf(call.CallSid)!.Status, Is.EqualTo("in_robot"));

        Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.That(await JobRunner.SummaryOfRunAsync(admin, "phone-housekeeping"),
            Is.EqualTo("1 silent call(s) closed as abandoned, 0 ended call(s) past retention pruned"));
        Assert.That(StateOf(call.CallSid), Is.EqualTo(new CallState("ended", "abandoned", (TuesdayMorning + TimeSpan.FromMinutes(121)).ToUnixTimeMilliseconds())));

        Assert.That(await JobRunner.SummaryOfRunAsync(admin, "phone-housekeeping"),
            Is.EqualTo("0 silent call(s) closed as abandoned, 0 ended call(s) past retention pruned"), "a second run adds nothing");

        using var db = App.OpenDatabase();
        var events = db.Query<(string Kind, string Channel, string Actor, string DedupKey, string Summary)>(
            "SELECT kind, channel, actor, dedup_key, summary FROM timeline WHERE correlation = @sid AND kind = 'ivr.call_abandoned'", new { sid = call.CallSid }).ToList();
        Assert.That(events, Has.Count.EqualTo(1));
        Assert.That(events[0].Channel, Is.EqualTo("ivr"));
        Assert.That(events[0].Actor, Is.EqualTo("system"));
        Assert.That(events[0].DedupKey, Is.EqualTo($"job:phone-housekeeping:{call.CallSid}:abandoned"));
        Assert.That(events[0].Summary, Is.EqualTo("Call from +407******67 closed as abandoned: silent for more than 2 hours (in robot)"));
    }

    [Test]
    public async Task A_call_that_ended_properly_is_not_abandoned_and_its_state_goes_after_90_days_while_the_timeline_keeps_the_story()
    {
        var admin = await App.ClientFor(StaffRole.Admin);
        var call = NewCall();
        await call.Dial();
        await HangUp(call);
        var endedAt = TuesdayMorning.ToUnixTimeMilliseconds();

        Clock.Advance(TimeSpan.FromHours(3));
        Assert.That(await JobRunner.SummaryOfRunAsync(admin, "phone-housekeeping"),
            Is.EqualTo("0 silent call(s) closed as abandoned, 0 ended call(s) past retention pruned"));
        Assert.That(StateOf(call.CallSid), Is.EqualTo(new CallState("ended", "anonymous", endedAt)));

        Clock.SetUtcNow(TuesdayMorning + TimeSpan.FromDays(90) - TimeSpan.FromMinutes(1));
        Assert.That(await JobRunner.SummaryOfRunAsync(admin, "phone-housekeeping"),
            Is.EqualTo("0 silent call(s) closed as abandoned, 0 ended call(s) past retention pruned"), "89 days 23:59 after the end: kept");

        Clock.SetUtcNow(TuesdayMorning + TimeSpan.FromDays(90) + TimeSpan.FromMinutes(1));
        Assert.That(await JobRunner.SummaryOfRunAsync(admin, "phone-housekeeping"),
            Is.EqualTo("0 silent call(s) closed as abandoned, 1 ended call(s) past retention pruned"));
        Assert.That(StateOf(call.CallSid), Is.Null);
        Assert.That(await JobRunner.SummaryOfRunAsync(admin, "phone-housekeeping"),
            Is.EqualTo("0 silent call(s) closed as abandoned, 0 ended call(s) past retention pruned"));

        Assert.That(CallEvents(call.CallSid).Select(e => e.Kind), Does.Contain("ivr.call_ended"), "the timeline keeps the call");
    }

    [Test]
    public async Task The_retention_is_a_setting()
    {
        App.Dispose();
        App = new Infrastructure.CrmTestApp(settings: TwilioPhone.Settings(new()
        {
            ["Staff:TokenLifetimeHours"] = "100000", ["Jobs:PhoneHousekeeping:RetentionDays"] = "7",
        }), clock: Clock);
        var admin = await App.ClientFor(StaffRole.Admin);
        var call = await CallLeftHanging();
        await HangUp(call);

        Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        Assert.That(await JobRunner.SummaryOfRunAsync(admin, "phone-housekeeping"),
            Is.EqualTo("0 silent call(s) closed as abandoned, 1 ended call(s) past retention pruned"));
    }
}
