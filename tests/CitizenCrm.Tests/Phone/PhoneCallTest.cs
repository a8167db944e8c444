using CitizenCrm.Core.Citizens;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace CitizenCrm.Tests.Phone;

/// <summary>A fresh server per test, Twilio's public URL configured, the clock on a Tuesday at 10:00 in Alba Iulia (desk open).</summary>
public abstract class PhoneCallTest
{
    /// <summary>Tuesday 10 March 2026, 10:00 in Bucharest (UTC+2).</summary>
    protected static readonly DateTimeOffset TuesdayMorning = new(2026, 3, 10, 8, 0, 0, TimeSpan.Zero);

    protected FakeTimeProvider Clock { get; private set; } = null!;
    protected CrmTestApp App { get; set; } = null!;
    protected HttpClient Clerk { get; private set; } = null!;

    protected virtual Dictionary<string, string?> ExtraSettings => [];

    [SetUp]
    public async Task StartServer()
    {
        Clock = new FakeTimeProvider(TuesdayMorning);
        App = new CrmTestApp(settings: TwilioPhone.Settings(ExtraSettings), clock: Clock);
        Clerk = await App.ClientFor(StaffRole.Clerk);
    }

    [TearDown]
    public void StopServer() => App.Dispose();

    protected TwilioPhone NewCall(string from = "+40721234567") => new(App.CreateClient(), "CA" + Guid.NewGuid().ToString("N"), from);

    protected sealed record Caller(Guid Id, string Cnp, string Pin, string FirstName);

    protected async Task<Caller> CitizenWithPin(string firstName = "Ioana", string? phone = null, string language = "ro")
    {
        var cnp = TestData.NewCnp(sex: 2);
        var citizen = await Clerk.RegisterCitizen(cnp, firstName, "Pop", phone);
        if (language != "ro")
            await App.Send(new UpdateCitizen(citizen.Id, new CitizenDetails(firstName, "Pop", null, null, phone is null ? [] : [phone], null, language), null));
        var pin = await App.Send(new IssuePhonePin(citizen.Id));
        return new Caller(citizen.Id, cnp, pin.Pin, firstName);
    }

    /// <summary>Greeting in Romanian, CNP, PIN: the caller is at the main menu.</summary>
    protected static async Task<TwimlReply> Identify(TwilioPhone call, Caller caller, string languageKey = "1")
    {
        await call.Dial();
        await call.Press(languageKey);
        await call.Press(caller.Cnp + "#");
        return await call.Press(caller.Pin);
    }

    protected sealed record EventRow(string Kind, string Summary, Guid? CitizenId, string DedupKey, string Payload);

    protected List<EventRow> CallEvents(string callSid)
    {
        using var db = App.OpenDatabase();
        return db.Query<EventRow>("SELECT kind AS Kind, summary AS Summary, citizen_id AS CitizenId, dedup_key AS DedupKey, payload AS Payload FROM timeline WHERE correlation = @callSid ORDER BY seq", new { callSid }).ToList();
    }

    protected List<string> CallEventsOf(Guid citizenId)
    {
        using var db = App.OpenDatabase();
        return db.Query<string>("SELECT kind || ':' || COALESCE(upper(CAST(citizen_id AS VARCHAR(64))),'-') || ':' || dedup_key FROM timeline ORDER BY seq").ToList();
    }

    protected long Scalar(string sql, object? param = null)
    {
        using var db = App.OpenDatabase();
        return db.ExecuteScalar<long>(sql, param);
    }
}
