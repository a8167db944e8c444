using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Phone;

namespace CitizenCrm.Tests.Reports;

/// <summary>
/// The phone robot's figures for four real calls through the Twilio webhooks on Tuesday 10 March 2026, 10:00 (desk open):
///   A  identified, asks for taxes, rates the call 5, hangs up after 60 s          -> contained, outcome answered
///   B  anonymous, presses 0 for an operator, is bridged, rates 3, 120 s           -> not contained, outcome transferred
///   C  identified, asks for the list of petitions, hangs up after 30 s, no survey -> contained, outcome answered
///   D  dials and is still listening to the greeting                               -> in progress
/// </summary>
public sealed class PhoneRobotReportTests : PhoneCallTest
{
    [Test]
    public async Task Calls_identified_share_containment_length_outcomes_questions_and_satisfaction_counted_by_hand()
    {
        var caller = await CitizenWithPin();

        var a = NewCall();
        await Identify(a, caller);
        await a.Press("1");                 // taxes: nothing owed
        await a.Press("2");                 // after the answer: the survey
        await a.Press("5");
        await a.Hangup(60);

        var b = NewCall("+40721000002");
        await b.Dial();
        await b.Press("0");                 // an operator, at once
        await b.Then(new() { ["QueueResult"] = "bridged", ["QueueTime"] = "40" });
        await b.Press("3");
        await b.Hangup(120);

        var c = NewCall();
        await Identify(c, caller);
        await c.Press("3");                 // petitions
        await c.Press("2");                 // the list of open ones: none
        await c.Hangup(30);

        var d = NewCall("+40721000004");
        await d.Dial();

        var supervisor = await App.ClientFor(StaffRole.Supervisor);
        var r = await ReportDataset.GetJson(supervisor, "/api/reports/phone-robot?from=2026-03-10&to=2026-03-10");
        Assert.That(r.GetProperty("calls").GetInt64(), Is.EqualTo(4));
        Assert.That(r.GetProperty("identified").GetInt64(), Is.EqualTo(2));
        Assert.That(r.GetProperty("identifiedPercent").GetDecimal(), Is.EqualTo(50.0m));
        Assert.That(r.GetProperty("ended").GetInt64(), Is.EqualTo(3));
        Assert.That(r.GetProperty("contained").GetInt64(), Is.EqualTo(2));
        Assert.That(r.GetProperty("containmentPercent").GetDecimal(), Is.EqualTo(50.0m), "2 of the 4 calls");
        Assert.That(r.GetProperty("averageLengthSeconds").GetDecimal(), Is.EqualTo(70.00m), "(60 + 120 + 30) / 3");
        Assert.That(Counts(r, "outcomes"), Is.EqualTo(new[] { "answered=2", "in_progress=1", "transferred=1" }));
        Assert.That(Counts(r, "asked"), Is.EqualTo(new[] { "cases=1", "taxes=1" }));
        Assert.That(Counts(r, "operatorReasons"), Is.EqualTo(new[] { "operator_requested=1" }));
        Assert.That(r.GetProperty("surveyAnswers").GetInt64(), Is.EqualTo(2));
        Assert.That(r.GetProperty("satisfactionAverage").GetDecimal(), Is.EqualTo(4.00m), "(5 + 3) / 2");
        Assert.That(Counts(r, "satisfactionDistribution"), Is.EqualTo(new[] { "1=0", "2=0", "3=1", "4=0", "5=1" }));

        // In the interactions, a call counts once, in channel ivr, however many steps it had; the clerk's work on the
        // citizen's record (registering, the PIN) is not a contact.
        var interactions = await ReportDataset.GetJson(supervisor, "/api/reports/interactions?from=2026-03-10&to=2026-03-10");
        Assert.That(interactions.GetProperty("days").EnumerateArray().Select(x => $"{x.GetProperty("channel").GetString()} {x.GetProperty("interactions").GetInt64()}"),
            Is.EqualTo(new[] { "ivr 4" }));

        // The day before holds none of them.
        var before = await ReportDataset.GetJson(supervisor, "/api/reports/phone-robot?from=2026-03-09&to=2026-03-09");
        Assert.That(before.GetProperty("calls").GetInt64(), Is.EqualTo(0));
        Assert.That(before.GetProperty("satisfactionAverage").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
    }

    private static string[] Counts(System.Text.Json.JsonElement r, string name) =>
        r.GetProperty(name).EnumerateObject().Select(p => $"{p.Name}={p.Value.GetInt64()}").ToArray();
}
