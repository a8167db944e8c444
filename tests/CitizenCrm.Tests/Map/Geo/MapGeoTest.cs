using System.Net.Http.Json;
using System.Text.Json;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Map;
using CitizenCrm.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace CitizenCrm.Tests.Map.Geo;

/// <summary>
/// A fresh server per test on a fake clock that starts on Tuesday 1 December 2026, 10:00 in Bucharest (08:00 UTC, +02:00
/// in winter). Reports are sent through the mediator as the map page would (no HTTP door for them exists on this
/// branch); each moves the clock on by a minute. Links use https://sesizari.apulum.example as the public address.
/// The points are in Alba Iulia: <see cref="Here"/> and places a known number of metres north of it (one degree of
/// latitude is 111 195 m on the mean sphere: 0.00027° is 30.0 m, 0.00072° is 80.1 m).
/// </summary>
public abstract class MapGeoTest
{
    protected static readonly DateTimeOffset Start = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
    protected const string BaseUrl = "https://sesizari.apulum.example";
    protected const double HereLat = 46.07, HereLon = 23.57;
    protected FakeTimeProvider Clock { get; private set; } = null!;
    protected CrmTestApp App { get; private set; } = null!;
    protected HttpClient Dispatcher { get; private set; } = null!;
    protected HttpClient Clerk { get; private set; } = null!;

    /// <summary>Settings beyond the defaults, for one test class.</summary>
    protected virtual Dictionary<string, string?> Settings => [];

    [SetUp]
    public async Task StartServer()
    {
        Clock = new FakeTimeProvider(Start);
        var settings = new Dictionary<string, string?> { ["Staff:TokenLifetimeHours"] = "2000", ["Map:PublicBaseUrl"] = BaseUrl };
        foreach (var (k, v) in Settings) settings[k] = v;
        App = new CrmTestApp(settings: settings, clock: Clock);
        Dispatcher = await App.ClientFor(StaffRole.Dispatcher);
        Clerk = await App.ClientFor(StaffRole.Clerk);
    }

    [TearDown]
    public void StopServer() => App.Dispose();

    /// <summary>A pothole (or another service) reported on the map page at a point, answering its required question.</summary>
    protected async Task<IncidentReport> Report(double lat = HereLat, double lon = HereLon, string service = "pothole",
        string? first = null, string? last = null, string? email = null, string? phone = null,
        string? description = "Groapă adâncă lângă trecere", string? address = "Str. Mihai Viteazul 12", IReadOnlyList<PhotoUpload>? photos = null)
    {
        var answers = service switch
        {
            "pothole" => new Dictionary<string, IReadOnlyList<string>> { ["size"] = ["medium"] },
            "street_light" => new Dictionary<string, IReadOnlyList<string>> { ["problem"] = ["off"] },
            _ => new Dictionary<string, IReadOnlyList<string>>(),
        };
        var report = await App.Send(new ReportIncident(service, lat, lon, address, null, description, answers, first, last, email, phone,
            null, null, null, ReportSources.MapPage, Photos: photos), "map-page");
        Clock.Advance(TimeSpan.FromMinutes(1));
        return report;
    }

    protected async Task<JsonElement> Json(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    protected static List<string> Ids(JsonElement collection) =>
        collection.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties").GetProperty("id").GetString()!).ToList();

    protected sealed record Notice(string Kind, string Recipient, string? Subject, string Body, Guid CaseId);

    private sealed record NoticeRow(string Kind, string Recipient, string? Subject, string Body, Guid CaseId);

    /// <summary>The outbox, oldest first.</summary>
    protected List<Notice> Notices(string? kind = null)
    {
        using var db = App.OpenDatabase();
        return db.Query<NoticeRow>("SELECT kind AS Kind, recipient AS Recipient, subject AS Subject, body AS Body, case_id AS CaseId FROM notifications " +
                "WHERE @Kind IS NULL OR kind = @Kind ORDER BY created_at, " + TestDatabases.InsertionOrder, new { Kind = kind })
            .Select(n => new Notice(n.Kind, n.Recipient, n.Subject, n.Body, n.CaseId)).ToList();
    }

    protected List<string> TimelineKinds(Guid caseId)
    {
        using var db = App.OpenDatabase();
        return db.Query<string>("SELECT kind FROM timeline WHERE case_id = @Id ORDER BY seq", new { Id = caseId }).ToList();
    }

    protected async Task Post(HttpClient client, string url, object? body, int expected = 200)
    {
        var response = await client.PostAsJsonAsync(url, body ?? new { });
        Assert.That((int)response.StatusCode, Is.EqualTo(expected), await response.Content.ReadAsStringAsync());
    }
}
