using System.Text.Json;
using CitizenCrm.Tests.Infrastructure;

namespace CitizenCrm.Tests.Map.Geo;

/// <summary>
/// The lead's ReportIncident flags a report of the same service within 50 m and 7 days of an open one; these stories
/// check it end to end and that the dispatcher sees the flag and the place in the queue and the staff feed.
/// </summary>
public sealed class DuplicateTests : MapGeoTest
{
    [Test]
    public async Task A_second_pothole_30_m_away_is_flagged_and_the_dispatcher_sees_it_in_the_queue_with_its_place()
    {
        var first = await Report(46.07, 23.57);
        var second = await Report(46.07027, 23.57, address: "Str. Mihai Viteazul 14");   // 30.0 m north

        Assert.That(first.PossibleDuplicateOf, Is.Null);
        Assert.That(second.PossibleDuplicateOf, Is.EqualTo(first.CaseId));
        Assert.That(TimelineKinds(second.CaseId), Is.EqualTo(new[] { "case.registered", "case.possible_duplicate" }));

        var queue = await Json(Dispatcher, "/api/dispatch/queue?channel=map");
        var items = queue.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("registrationNumber").GetString()!);
        var flagged = items["2/2026"];
        Assert.That(flagged.GetProperty("possibleDuplicateOf").GetProperty("caseId").GetString(), Is.EqualTo(first.CaseId.ToString()));
        Assert.That(flagged.GetProperty("possibleDuplicateOf").GetProperty("registrationNumber").GetString(), Is.EqualTo("1/2026"));
        Assert.That(flagged.GetProperty("location").GetProperty("latitude").GetDouble(), Is.EqualTo(46.07027));
        Assert.That(flagged.GetProperty("location").GetProperty("longitude").GetDouble(), Is.EqualTo(23.57));
        Assert.That(flagged.GetProperty("location").GetProperty("addressString").GetString(), Is.EqualTo("Str. Mihai Viteazul 14"));
        Assert.That(items["1/2026"].GetProperty("possibleDuplicateOf").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(items["1/2026"].GetProperty("location").GetProperty("latitude").GetDouble(), Is.EqualTo(46.07));
    }

    [Test]
    public async Task A_pothole_80_m_away_is_not_a_duplicate()
    {
        await Report(46.07, 23.57);
        Assert.That((await Report(46.07072, 23.57)).PossibleDuplicateOf, Is.Null);   // 80.1 m north
    }

    [Test]
    public async Task A_broken_street_light_at_the_same_place_is_not_a_duplicate_of_a_pothole()
    {
        await Report(46.07, 23.57);
        Assert.That((await Report(46.07, 23.57, service: "street_light")).PossibleDuplicateOf, Is.Null);
    }

    [Test]
    public async Task A_pothole_reported_8_days_later_at_the_same_place_is_not_a_duplicate()
    {
        await Report(46.07, 23.57);
        Clock.Advance(TimeSpan.FromDays(8));
        Assert.That((await Report(46.07, 23.57)).PossibleDuplicateOf, Is.Null);
    }

    [Test]
    public async Task A_pothole_reported_6_days_later_at_the_same_place_is_still_a_duplicate()
    {
        var first = await Report(46.07, 23.57);
        Clock.Advance(TimeSpan.FromDays(6));
        Assert.That((await Report(46.07, 23.57)).PossibleDuplicateOf, Is.EqualTo(first.CaseId));
    }

    [Test]
    public async Task A_pothole_where_the_first_report_is_already_closed_is_not_a_duplicate()
    {
        var first = await Report(46.07, 23.57);
        await Post(Clerk, $"/api/cases/{first.CaseId}/file", new { reason = "Reparată." });
        Assert.That((await Report(46.07, 23.57)).PossibleDuplicateOf, Is.Null);
    }
}
