using System.Net.Http.Headers;
using System.Net.Http.Json;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace CitizenCrm.Tests.Intake;

/// <summary>
/// A fresh server per test on Tuesday 10 March 2026, 10:00 in Alba Iulia (08:00 UTC), a clerk and a dispatcher,
/// and the web form as a browser sends it (multipart/form-data) or as a script sends it (JSON).
/// </summary>
public abstract class WebForm
{
    protected static readonly DateTimeOffset TuesdayMorning = new(2026, 3, 10, 8, 0, 0, TimeSpan.Zero);
    protected static readonly byte[] Pdf = "%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"u8.ToArray();

    protected FakeTimeProvider Clock { get; private set; } = null!;
    protected CrmTestApp App { get; set; } = null!;
    protected HttpClient Clerk { get; private set; } = null!;
    protected HttpClient Public { get; private set; } = null!;

    protected virtual Dictionary<string, string?> Settings => [];

    [SetUp]
    public async Task StartServer()
    {
        Clock = new FakeTimeProvider(TuesdayMorning);
        var settings = new Dictionary<string, string?> { ["Staff:TokenLifetimeHours"] = "100000" };
        foreach (var (k, v) in Settings) settings[k] = v;
        App = new CrmTestApp(settings: settings, clock: Clock);
        Clerk = await App.ClientFor(StaffRole.Clerk);
        Public = App.CreateClient();
    }

    [TearDown]
    public void StopServer()
    {
        Public.Dispose();
        App.Dispose();
    }

    public static MultipartFormDataContent Form(IDictionary<string, string> fields, params (string Name, byte[] Bytes, string Type)[] files)
    {
        var form = new MultipartFormDataContent();
        foreach (var (k, v) in fields) form.Add(new StringContent(v), k);
        foreach (var (name, bytes, type) in files)
        {
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
            form.Add(file, "attachments", name);
        }
        return form;
    }

    public static Dictionary<string, string> Petition(string subject = "Groapă în asfalt pe strada Teilor", string email = "maria.ionescu@example.ro") => new()
    {
        ["kind"] = "petition", ["name"] = "Maria Ionescu", ["email"] = email, ["subject"] = subject,
        ["text"] = "Bună ziua,\nÎn dreptul numărului 4 este o groapă adâncă de o lună.",
    };

    protected Task<HttpResponseMessage> Send(HttpContent body, HttpClient? client = null) => (client ?? Public).PostAsync("/api/public/requests", body);

    protected Task<HttpResponseMessage> SendJson(object body, HttpClient? client = null) => (client ?? Public).PostAsJsonAsync("/api/public/requests", body);

    protected Task<HttpResponseMessage> Status(string path, string? code, HttpClient? client = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (code is not null) request.Headers.Add("X-Access-Code", code);
        return (client ?? Public).SendAsync(request);
    }

    protected long Count(string table)
    {
        using var db = App.OpenDatabase();
        return db.ExecuteScalar<long>($"SELECT COUNT(*) FROM {table}");
    }
}
