using System.Net.Http.Json;
using System.Text.Json;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace CitizenCrm.Tests.DataProtection.Requests;

/// <summary>A server on a fake clock (Bucharest time given as text) with a signed-in clerk and supervisor.</summary>
internal sealed class DataRequestDesk : IDisposable
{
    public required CrmTestApp App { get; init; }
    public required FakeTimeProvider Clock { get; init; }
    public required HttpClient Clerk { get; set; }
    public required HttpClient Supervisor { get; set; }

    public static async Task<DataRequestDesk> OpenAsync(string localTime = "2026-01-31 10:00")
    {
        var clock = new FakeTimeProvider(AtBucharest(localTime));
        var app = new CrmTestApp(clock: clock);
        return new DataRequestDesk
        {
            App = app, Clock = clock,
            Clerk = await app.ClientFor(StaffRole.Clerk),
            Supervisor = await app.ClientFor(StaffRole.Supervisor),
        };
    }

    public static DateTimeOffset AtBucharest(string localTime)
    {
        var local = DateTime.ParseExact(localTime, "yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        return new DateTimeOffset(local, Calendar.Bucharest.GetUtcOffset(local));
    }

    /// <summary>Moves the clock, and signs the clerk and the supervisor in again (a token expires within the day).</summary>
    public async Task SetLocalTimeAsync(string localTime)
    {
        Clock.SetUtcNow(AtBucharest(localTime));
        Clerk = App.WithToken(await App.SignIn("test-clerk", CrmTestApp.Password));
        Supervisor = App.WithToken(await App.SignIn("test-supervisor", CrmTestApp.Password));
    }

    /// <summary>A citizen registered at the desk, with the contacts given.</summary>
    public async Task<Guid> CitizenAsync(string firstName = "Ion", string lastName = "Popescu", string? email = null, string? phone = null,
        string language = "ro", string? cnp = null)
    {
        var response = await Clerk.PostAsJsonAsync("/api/citizens", new
        {
            nationalId = cnp ?? TestData.NewCnp(), firstName, lastName, preferredLanguage = language,
            emails = email is null ? Array.Empty<string>() : [email],
            phones = phone is null ? Array.Empty<string>() : [phone],
            address = "Str. Teilor nr. 4, Alba Iulia",
        });
        Assert.That((int)response.StatusCode, Is.EqualTo(201), await response.Content.ReadAsStringAsync());
        return (await response.ReadJson<JsonElement>()).GetProperty("id").GetGuid();
    }

    public Task<HttpResponseMessage> RegisterAsync(Guid citizenId, string kind = "access", string? receivedOn = null, string channel = "desk") =>
        Supervisor.PostAsJsonAsync($"/api/citizens/{citizenId}/data-requests",
            receivedOn is null ? new { kind, channel } : (object)new { kind, receivedOn, channel });

    public async Task<JsonElement> RegisteredAsync(Guid citizenId, string kind = "access", string? receivedOn = null, string channel = "desk")
    {
        var response = await RegisterAsync(citizenId, kind, receivedOn, channel);
        Assert.That((int)response.StatusCode, Is.EqualTo(201), await response.Content.ReadAsStringAsync());
        return await response.ReadJson<JsonElement>();
    }

    public Task<HttpResponseMessage> ExtendAsync(Guid requestId, int months, string reason = "Cererea privește 14 dosare arhivate pe hârtie.") =>
        Supervisor.PostAsJsonAsync($"/api/data-requests/{requestId}/extend", new { months, reason });

    public Task<HttpResponseMessage> ExportAsync(Guid requestId, string format = "json") =>
        Supervisor.PostAsync($"/api/data-requests/{requestId}/export?format={format}", null);

    public long Scalar(string sql, object? args = null)
    {
        using var db = App.OpenDatabase();
        return db.ExecuteScalar<long>(sql, args);
    }

    public List<T> Query<T>(string sql, object? args = null)
    {
        using var db = App.OpenDatabase();
        return db.Query<T>(sql, args).ToList();
    }

    /// <summary>A GUID as a parameter of the tests' own SQL (upper-case text on SQLite, uuid on PostgreSQL).</summary>
    public static object Db(Guid id) => DbKeys.Key(id);

    public void Dispose() => App.Dispose();
}
