using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace CitizenCrm.Tests.Cases;

/// <summary>A registry desk on a test server with a fake clock set in Bucharest time, and a signed-in clerk.</summary>
public sealed class RegistryDesk : IDisposable
{
    private RegistryDesk(CrmTestApp app, FakeTimeProvider clock)
    {
        App = app;
        Clock = clock;
    }

    public CrmTestApp App { get; }
    public FakeTimeProvider Clock { get; }
    public HttpClient Clerk { get; private set; } = null!;

    /// <param name="localTime">Bucharest wall-clock time, e.g. "2028-01-31 10:00".</param>
    public static async Task<RegistryDesk> OpenAsync(string localTime = "2026-03-02 10:00", IDictionary<string, string?>? settings = null)
    {
        var clock = new FakeTimeProvider(Local(localTime));
        var all = new Dictionary<string, string?>
        {
            // The fake clock moves by weeks in these tests; the clerk's token must outlive that.
            ["Staff:TokenLifetimeHours"] = "100000",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) all[k] = v;
        var desk = new RegistryDesk(new CrmTestApp(settings: all, clock: clock), clock);
        desk.Clerk = await desk.App.ClientFor(StaffRole.Clerk);
        return desk;
    }

    /// <summary>A Bucharest wall-clock time as an instant (EET/EEST as the date requires).</summary>
    public static DateTimeOffset Local(string localTime)
    {
        var local = DateTime.ParseExact(localTime, "yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        return new DateTimeOffset(local, Calendar.Bucharest.GetUtcOffset(local));
    }

    public void SetLocalTime(string localTime) => Clock.SetUtcNow(Local(localTime));

    public async Task<Guid> NewCitizen(string firstName = "Ion", string lastName = "Popescu") =>
        (await Clerk.RegisterCitizen(firstName: firstName, lastName: lastName)).Id;

    public Task<HttpResponseMessage> Register(object body) => Clerk.PostAsJsonAsync("/api/cases", body);

    public async Task<CaseDetails> RegisterOk(object body)
    {
        var response = await Register(body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return await response.ReadJson<CaseDetails>();
    }

    public Task<CaseDetails> Petition(Guid citizenId, string subject = "Groapă în asfalt pe strada Mihai Viteazul") =>
        RegisterOk(new { kind = "petition", channel = "desk", subject, citizenId });

    public Task<HttpResponseMessage> Post(Guid caseId, string action, object? body = null) =>
        Clerk.PostAsJsonAsync($"/api/cases/{caseId}/{action}", body ?? new { });

    public async Task<CaseDetails> PostOk(Guid caseId, string action, object? body = null)
    {
        var response = await Post(caseId, action, body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await response.ReadJson<CaseDetails>();
    }

    public async Task<CaseDetails> Get(Guid caseId) =>
        (await Clerk.GetFromJsonAsync<CaseDetails>($"/api/cases/{caseId}", Json.Options))!;

    public async Task<List<string>> HistoryKinds(Guid caseId)
    {
        var page = await Clerk.GetFromJsonAsync<JsonElement>($"/api/timeline/cases/{caseId}", Json.Options);
        return page.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("kind").GetString()!).Reverse().ToList();
    }

    public long Scalar(string sql)
    {
        using var db = App.OpenDatabase();
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Execute(string sql)
    {
        using var db = App.OpenDatabase();
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public void Dispose() => App.Dispose();
}
