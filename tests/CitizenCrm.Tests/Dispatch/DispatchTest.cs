using System.Net.Http.Json;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Dispatch;
using CitizenCrm.Core.Staff;
using CitizenCrm.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CitizenCrm.Tests.Dispatch;

/// <summary>
/// A fresh server per test on a fake clock that starts on Tuesday 20 October 2026 (a clock only goes forward: older cases
/// are registered first) and is moved to <see cref="Today"/>, Tuesday 24 November 2026, 10:00 in Bucharest (08:00 UTC).
/// Each registration moves it on by a minute, so arrivals are in registration order. Terms are calendar days from the
/// day after registration (Registry:MoveTermsOffNonWorkingDays is off by default). Sessions last 2000 hours here, so the
/// staff's tokens outlive the clock's jumps; the stream's heartbeat comes every second.
/// </summary>
public abstract class DispatchTest
{
    protected static readonly DateTimeOffset Start = new(2026, 10, 20, 8, 0, 0, TimeSpan.Zero);
    protected static readonly DateTimeOffset Today = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);
    protected FakeTimeProvider Clock { get; private set; } = null!;
    protected CrmTestApp App { get; private set; } = null!;
    protected HttpClient Clerk { get; private set; } = null!;
    protected HttpClient Dispatcher { get; private set; } = null!;

    [SetUp]
    public async Task StartServer()
    {
        Clock = new FakeTimeProvider(Start);
        App = new CrmTestApp(settings: new Dictionary<string, string?> { ["Staff:TokenLifetimeHours"] = "2000", ["Dispatch:StreamHeartbeatSeconds"] = "1" }, clock: Clock);
        Clerk = await App.ClientFor(StaffRole.Clerk);
        Dispatcher = await App.ClientFor(StaffRole.Dispatcher);
    }

    [TearDown]
    public void StopServer() => App.Dispose();

    protected async Task<CaseDetails> Register(object body)
    {
        var response = await Clerk.PostAsJsonAsync("/api/cases", body);
        Assert.That((int)response.StatusCode, Is.EqualTo(201), await response.Content.ReadAsStringAsync());
        Clock.Advance(TimeSpan.FromMinutes(1));
        return await response.ReadJson<CaseDetails>();
    }

    protected Task<CaseDetails> Petition(Guid citizenId, string subject = "Groapă în asfalt") =>
        Register(new { kind = "petition", channel = "desk", subject, citizenId });

    protected Task<CaseDetails> Unmatched(string kind = "information_request", string name = "Maria Ionescu", string details = "maria.ionescu@example.ro", string channel = "email") =>
        Register(new { kind, channel, subject = "Buget 2026 pe cartiere", contact = new { name, details } });

    /// <summary>A second person on the same role, signed in (two dispatchers racing for one case).</summary>
    protected async Task<HttpClient> AnotherUser(string username, StaffRole role)
    {
        var passwords = App.Services.GetRequiredService<StaffPasswords>();
        await App.Send(new CreateStaffUser(username, username, role.ToText(), passwords.Hash(CrmTestApp.Password)));
        return App.WithToken(await App.SignIn(username, CrmTestApp.Password));
    }

    protected async Task<DispatchQueue> Queue(HttpClient client, string query = "")
    {
        var response = await client.GetAsync("/api/dispatch/queue" + query);
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        return await response.ReadJson<DispatchQueue>();
    }

    /// <summary>What a dispatcher reads first on a row: its kind and its number.</summary>
    protected static List<string> Labels(DispatchQueue queue) =>
        queue.Items.Select(i => i.RegistrationNumber is null ? i.ItemKind : $"{i.ItemKind} {i.RegistrationNumber}").ToList();

    /// <summary>The case's timeline events, oldest first: kind, actor, summary.</summary>
    protected List<(string Kind, string Actor, string Summary, string? CitizenId)> History(Guid caseId)
    {
        using var db = App.OpenDatabase();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT kind, actor, summary, citizen_id FROM timeline WHERE case_id = @id ORDER BY seq";
        cmd.Parameters.AddWithValue("@id", caseId);
        using var reader = cmd.ExecuteReader();
        var events = new List<(string, string, string, string?)>();
        while (reader.Read()) events.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetValue(3).ToString()!.ToUpperInvariant()));
        return events;
    }

    protected object? Scalar(string sql, params (string Name, object Value)[] args)
    {
        using var db = App.OpenDatabase();
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in args) cmd.Parameters.AddWithValue(name, value);
        return cmd.ExecuteScalar();
    }

    protected void Execute(string sql, params (string Name, object Value)[] args)
    {
        using var db = App.OpenDatabase();
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in args) cmd.Parameters.AddWithValue(name, value);
        cmd.ExecuteNonQuery();
    }

    /// <summary>A notification the outbox gave up on, as the sender leaves it (sql/sqlite/0010_notifications.sql).</summary>
    protected void InsertFailedNotification(Guid caseId, Guid citizenId, long createdAt, long failedAt) => Execute("""
        INSERT INTO notifications (id, kind, channel, status, case_id, citizen_id, created_at, failed_at, last_error, attempts,
                                   recipient, language, body, next_attempt_at)
        VALUES (@id, 'acknowledgement', 'email', 'failed', @case, @citizen, @created, @failed, 'mailbox unavailable', 5,
                'ana.muresan@example.ro', 'ro', 'Confirmare', @failed)
        """, ("@id", Guid.NewGuid()), ("@case", caseId), ("@citizen", citizenId), ("@created", createdAt), ("@failed", failedAt));

    protected static long Ms(int day, int hour, int minute = 0) => new DateTimeOffset(2026, 11, day, hour, minute, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
}
