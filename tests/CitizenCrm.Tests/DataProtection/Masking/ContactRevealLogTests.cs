using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using CitizenCrm.Tests.Infrastructure;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CitizenCrm.Tests.DataProtection.Masking;

/// <summary>
/// A case's contact party is not a registered citizen, so the audit log (one row per citizen) has no row for them:
/// revealing their number is written to the server log instead, naming who and where, never the number.
/// </summary>
public sealed class ContactRevealLogTests : ClerkTest
{
    [Test]
    public async Task Revealing_a_contact_partys_phone_is_logged_without_the_number_and_audits_no_citizen()
    {
        var lines = new ConcurrentQueue<string>();
        using var logged = App.WithWebHostBuilder(b =>
            b.ConfigureTestServices(s => s.AddLogging(l => l.AddProvider(new CapturingProvider(lines)).SetMinimumLevel(LogLevel.Trace))));
        var clerk = logged.CreateClient();
        clerk.DefaultRequestHeaders.Authorization = new("Bearer", await App.SignIn("test-clerk", CrmTestApp.Password));

        var created = await clerk.PostAsJsonAsync("/api/cases", new
        {
            kind = "petition", channel = "desk", subject = "Iluminat stradal",
            contact = new { name = "Vasile Contact", details = "tel. 0745 333 444" },
        });
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
        Assert.That(lines.Where(l => l.Contains("revealed", StringComparison.Ordinal)), Is.Empty, "a masked answer reveals nothing");

        var whole = await clerk.GetFromJsonAsync<JsonElement>($"/api/cases/{id}?reveal=true");
        Assert.That(whole.GetProperty("party").GetProperty("contactDetails").GetString(), Is.EqualTo("tel. 0745 333 444"));

        var revealed = lines.Where(l => l.Contains("revealed whole", StringComparison.Ordinal)).ToList();
        Assert.That(revealed, Has.Count.EqualTo(1));
        Assert.That(revealed[0], Does.Contain("GetCase revealed whole CNPs or phone numbers of no registered citizen to test-clerk (GET /api/cases/{id:guid})"));
        Assert.That(lines.Where(l => l.Contains("745333444", StringComparison.Ordinal) || l.Contains("745 333 444", StringComparison.Ordinal)), Is.Empty,
            "no log line holds the number");
        using var db = App.OpenDatabase();
        using var count = db.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM audit_log WHERE query LIKE '%:revealed'";
        Assert.That((long)count.ExecuteScalar()!, Is.Zero);
    }
}
