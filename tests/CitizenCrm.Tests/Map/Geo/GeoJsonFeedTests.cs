using System.Net;
using System.Text.Json;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Map.Feed;
using CitizenCrm.Tests.Infrastructure;
using Dapper;

namespace CitizenCrm.Tests.Map.Geo;

public sealed class GeoJsonFeedTests : MapGeoTest
{
    protected override Dictionary<string, string?> Settings => new() { ["Map:FeedMaxFeatures"] = "3" };

    [Test]
    public async Task The_public_feed_filtered_by_a_bounding_box_holds_only_the_reports_inside_it_as_GeoJSON_points()
    {
        var inside = await Report(46.07, 23.57, address: "Str. Mihai Viteazul 12");          // 1/2026
        await Report(46.10, 23.60, service: "street_light", address: "B-dul Revoluției 5");    // 2/2026, north-east of the box
        await Report(46.03, 23.54, address: "Str. Lalelelor 3");                               // 3/2026, south-west of it

        var response = await App.CreateClient().GetAsync("/api/public/map/incidents?bbox=23.56,46.06,23.58,46.08");
        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/geo+json"));
        var feed = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.That(feed.GetProperty("type").GetString(), Is.EqualTo("FeatureCollection"));
        Assert.That(Ids(feed), Is.EqualTo(new[] { "2026-1" }));
        Assert.That(inside.ServiceRequestId, Is.EqualTo("2026-1"));
        var feature = feed.GetProperty("features")[0];
        Assert.That(feature.GetProperty("type").GetString(), Is.EqualTo("Feature"));
        Assert.That(feature.GetProperty("geometry").GetProperty("type").GetString(), Is.EqualTo("Point"));
        // RFC 7946: longitude first.
        Assert.That(feature.GetProperty("geometry").GetProperty("coordinates").EnumerateArray().Select(c => c.GetDouble()), Is.EqualTo(new[] { 23.57, 46.07 }));
        var p = feature.GetProperty("properties");
        Assert.That(p.EnumerateObject().Select(x => x.Name), Is.EquivalentTo(new[]
            { "id", "service_code", "service_name", "status", "requested_datetime", "updated_datetime", "address_string", "url", "thumbnail_url" }));
        Assert.That(p.GetProperty("service_code").GetString(), Is.EqualTo("pothole"));
        Assert.That(p.GetProperty("service_name").GetString(), Is.EqualTo("Groapă în carosabil"));
        Assert.That(p.GetProperty("status").GetString(), Is.EqualTo("open"));
        Assert.That(p.GetProperty("requested_datetime").GetString(), Is.EqualTo("2026-12-01T10:00:00+02:00"));
        Assert.That(p.GetProperty("updated_datetime").GetString(), Is.EqualTo("2026-12-01T10:00:00+02:00"));
        Assert.That(p.GetProperty("address_string").GetString(), Is.EqualTo("Str. Mihai Viteazul 12"));
        Assert.That(p.GetProperty("url").GetString(), Is.EqualTo("https://sesizari.apulum.example/map/r/2026-1"));
        Assert.That(p.GetProperty("thumbnail_url").ValueKind, Is.EqualTo(JsonValueKind.Null), "no photo");
        Assert.That(feed.GetProperty("numberMatched").GetInt64(), Is.EqualTo(1));
        Assert.That(feed.GetProperty("numberReturned").GetInt32(), Is.EqualTo(1));
        Assert.That(feed.GetProperty("truncated").GetBoolean(), Is.False);

        // In English and in Hungarian, the service's name follows.
        var en = await Json(App.CreateClient(), "/api/public/map/incidents?bbox=23.56,46.06,23.58,46.08&lang=en");
        Assert.That(en.GetProperty("features")[0].GetProperty("properties").GetProperty("service_name").GetString(), Is.EqualTo("Pothole in the road"));
        var hu = await Json(App.CreateClient(), "/api/public/map/incidents?bbox=23.56,46.06,23.58,46.08&lang=hu");
        Assert.That(hu.GetProperty("features")[0].GetProperty("properties").GetProperty("service_name").GetString(), Is.EqualTo("Kátyú az úttesten"));
    }

    [Test]
    public async Task A_map_zoomed_out_past_the_edges_of_the_world_gets_every_report()
    {
        await Report(46.07, 23.57);
        await Report(46.10, 23.60);
        Assert.That(Ids(await Json(App.CreateClient(), "/api/public/map/incidents?bbox=-250.5,-95,250.5,95")), Is.EqualTo(new[] { "2026-2", "2026-1" }));
    }

    [Test]
    public async Task The_public_feed_filters_by_status_service_and_registration_date_newest_first()
    {
        var first = await Report(46.07, 23.57);                                   // 2026-1, 1 December
        Clock.Advance(TimeSpan.FromDays(1));
        await Report(46.071, 23.571, service: "street_light");                    // 2026-2, 2 December
        Clock.Advance(TimeSpan.FromDays(1));
        await Report(46.072, 23.572);                                             // 2026-3, 3 December
        await Post(Clerk, $"/api/cases/{first.CaseId}/file", new { reason = "Reparată de deținătorul rețelei." });

        var client = App.CreateClient();
        Assert.That(Ids(await Json(client, "/api/public/map/incidents")), Is.EqualTo(new[] { "2026-3", "2026-2", "2026-1" }));
        Assert.That(Ids(await Json(client, "/api/public/map/incidents?status=open")), Is.EqualTo(new[] { "2026-3", "2026-2" }));
        Assert.That(Ids(await Json(client, "/api/public/map/incidents?status=closed")), Is.EqualTo(new[] { "2026-1" }));
        Assert.That(Ids(await Json(client, "/api/public/map/incidents?status=open,closed")), Is.EqualTo(new[] { "2026-3", "2026-2", "2026-1" }));
        Assert.That(Ids(await Json(client, "/api/public/map/incidents?service=street_light")), Is.EqualTo(new[] { "2026-2" }));
        Assert.That(Ids(await Json(client, "/api/public/map/incidents?service=pothole,street_light&status=open")), Is.EqualTo(new[] { "2026-3", "2026-2" }));
        Assert.That(Ids(await Json(client, "/api/public/map/incidents?from=2026-12-02")), Is.EqualTo(new[] { "2026-3", "2026-2" }));
        Assert.That(Ids(await Json(client, "/api/public/map/incidents?to=2026-12-02")), Is.EqualTo(new[] { "2026-2", "2026-1" }));
        Assert.That(Ids(await Json(client, "/api/public/map/incidents?from=2026-12-02&to=2026-12-02")), Is.EqualTo(new[] { "2026-2" }));
        var closed = await Json(client, "/api/public/map/incidents?status=closed");
        Assert.That(closed.GetProperty("features")[0].GetProperty("properties").GetProperty("status").GetString(), Is.EqualTo("closed"));
    }

    [Test]
    public async Task The_feed_holds_at_most_the_configured_number_of_features_and_says_it_was_cut()
    {
        for (var i = 0; i < 4; i++) await Report(46.07 + i * 0.001, 23.57);
        var feed = await Json(App.CreateClient(), "/api/public/map/incidents");
        Assert.That(Ids(feed), Is.EqualTo(new[] { "2026-4", "2026-3", "2026-2" }));
        Assert.That(feed.GetProperty("numberMatched").GetInt64(), Is.EqualTo(4));
        Assert.That(feed.GetProperty("numberReturned").GetInt32(), Is.EqualTo(3));
        Assert.That(feed.GetProperty("limit").GetInt32(), Is.EqualTo(3));
        Assert.That(feed.GetProperty("truncated").GetBoolean(), Is.True);

        var two = await Json(App.CreateClient(), "/api/public/map/incidents?limit=2");
        Assert.That(Ids(two), Is.EqualTo(new[] { "2026-4", "2026-3" }));
        var many = await Json(App.CreateClient(), "/api/public/map/incidents?limit=500");
        Assert.That(many.GetProperty("limit").GetInt32(), Is.EqualTo(3), "the cap applies above a client's limit");
    }

    [TestCase("bbox=23.56,46.06,23.58", "bbox")]
    [TestCase("bbox=a,b,c,d", "bbox")]
    [TestCase("bbox=23.58,46.06,23.56,46.08", "bbox")]
    [TestCase("bbox=23.56,46.08,23.58,46.06", "bbox")]
    [TestCase("bbox=23.56,46.06,23.58,Infinity", "bbox")]
    [TestCase("status=pending", "status")]
    [TestCase("service=no_such_service", "service")]
    [TestCase("from=2026-13-01", "from")]
    [TestCase("to=1.12.2026", "to")]
    [TestCase("from=2026-12-05&to=2026-12-01", "to")]
    [TestCase("from=0001-01-01", "from")]
    [TestCase("lang=de", "lang")]
    [TestCase("limit=0", "limit")]
    public async Task A_bad_filter_is_a_400_naming_the_parameter(string query, string field)
    {
        foreach (var (client, url) in new[] { (App.CreateClient(), "/api/public/map/incidents"), (Dispatcher, "/api/map/incidents") })
        {
            var problem = await (await client.GetAsync($"{url}?{query}")).AssertProblem(HttpStatusCode.BadRequest);
            Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { field }), url);
        }
    }

    [Category("SqliteOnly")] // SQLite's query plan
    [Test]
    public async Task A_bounding_box_search_is_a_range_on_the_latitude_longitude_index()
    {
        for (var i = 0; i < 20; i++) await Report(46.05 + i * 0.002, 23.55 + i * 0.002);
        var filter = new MapFeedFilter(null, null, "23.56,46.06,23.58,46.08", null, null, null, null).Check(new Validation());
        using var db = App.OpenDatabase();
        foreach (var sql in new[] { Core.Map.Feed.GetPublicMapIncidentsHandler.PageSql(filter, "LIMIT @Limit"),
                                    Core.Map.Feed.GetStaffMapIncidentsHandler.PageSql(filter, "LIMIT @Limit") })
        {
            var plan = db.Query("EXPLAIN QUERY PLAN " + sql, new { South = 46.06, North = 46.08, West = 23.56, East = 23.58, Limit = 10 })
                .Select(row => (string)row.detail).ToList();
            // The first step: a range on the index's first column (longitude is then checked from the same index entry).
            Assert.That(plan[0], Does.Match(@"^SEARCH l USING (COVERING )?INDEX ix_case_locations_lat_lon \(latitude>\? AND latitude<\?\)$"),
                string.Join("\n", plan));
        }
    }
}
