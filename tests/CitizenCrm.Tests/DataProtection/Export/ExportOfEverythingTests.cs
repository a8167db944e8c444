using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.DataProtection.Requests;
using CitizenCrm.Tests.Infrastructure;
using Dapper;

namespace CitizenCrm.Tests.DataProtection.Export;

/// <summary>
/// The export of a citizen seeded in every table that can hold something of theirs (the shared CitizenWithEverything),
/// held against the schema: every such table is in the export, its rows found there, or left out with a reason.
/// </summary>
public sealed class ExportOfEverythingTests
{
    [Test]
    public async Task The_export_of_a_citizen_with_everything_holds_every_row_of_theirs_that_the_schema_can_name()
    {
        using var seeded = await CitizenWithEverything.StartAsync();
        var supervisor = await seeded.App.ClientFor(StaffRole.Supervisor);
        var registered = await supervisor.PostAsJsonAsync($"/api/citizens/{seeded.Citizen.Id}/data-requests", new { kind = "access", channel = "post" });
        Assert.That(registered.StatusCode, Is.EqualTo(HttpStatusCode.Created), await registered.Content.ReadAsStringAsync());
        var request = (await registered.ReadJson<JsonElement>()).GetProperty("id").GetGuid();
        var response = await supervisor.PostAsync($"/api/data-requests/{request}/export?format=json", null);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        var export = JsonDocument.Parse(text).RootElement;

        using var db = seeded.App.OpenDatabase();
        var rows = new Dictionary<ExportCoverage.Reference, int>();
        Assert.That(ExportCoverage.Problems(db, export, seeded.Citizen.Id, rows), Is.Empty);

        // Every reference exported was checked against rows the seeding made, except the erasure record: a citizen who
        // has one cannot be exported any more (nothing personal is left), so it is never both there and exportable.
        var checkedNone = rows.Where(r => r.Value == 0).Select(r => $"{r.Key.Table}.{r.Key.Column}").ToList();
        Assert.That(checkedNone, Is.EquivalentTo(new[] { "citizen_erasures.citizen_id" }), "exported references without a seeded row to look for");

        // The shared list of personal tables (found from the schema, through foreign keys too) is all declared.
        var declared = export.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("table").GetString()!)
            .Concat(export.GetProperty("leftOut").EnumerateArray().Select(l => l.GetProperty("table").GetString()!)).ToHashSet();
        Assert.That(PersonalTables.Find(db).Keys.Where(t => !declared.Contains(t)), Is.Empty, "personal tables the export does not declare");

        // Nobody else's data: the neighbour, seeded with the same kinds of records, appears nowhere in it.
        foreach (var trace in seeded.Neighbour.Traces) Assert.That(text, Does.Not.Contain(trace), $"the neighbour's {trace}");
        // And the citizen's own identity, in full, is.
        Assert.That(export.GetProperty("identity").GetProperty("nationalId").GetString(), Is.EqualTo(seeded.Citizen.Cnp));
        Assert.That(export.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("registrationNumber").GetString()),
            Is.EquivalentTo(seeded.RegistrationNumbers));
        // Both calls: the one that locked phone access with three wrong PINs (from their number, never identified) and the verified one.
        Assert.That(export.GetProperty("phoneCalls").EnumerateArray().Select(c => c.GetProperty("callSid").GetString()), Is.EquivalentTo(seeded.CallSids));
        var phoneLock = export.GetProperty("identity").GetProperty("phoneAccessLock");
        Assert.That(phoneLock.GetProperty("unlockedBy").GetString(), Is.EqualTo("test-clerk"));
        Assert.That(phoneLock.GetProperty("wrongPins").EnumerateArray().Select(w => w.GetProperty("callSid").GetString()),
            Is.EqualTo(Enumerable.Repeat(seeded.CallSids[0], 3)));
        Assert.That(export.GetProperty("timeline").EnumerateArray().Count(e => e.GetProperty("correlation").GetString() == seeded.CallSids[0]), Is.GreaterThan(0),
            "the locked call's events are in the story");
        foreach (var secret in db.Query<string>("SELECT pin_hash FROM citizens WHERE pin_hash IS NOT NULL UNION SELECT access_code_hash FROM case_intake " +
                                                "WHERE access_code_hash IS NOT NULL UNION SELECT cnp_key FROM phone_access_locks UNION SELECT token_hash FROM staff_tokens"))
            Assert.That(text, Does.Not.Contain(secret), "no hash or key is exported");

        // The readable page of the same record: a download again, audited again.
        var page = await supervisor.PostAsync($"/api/data-requests/{request}/export?format=html", null);
        var html = await page.Content.ReadAsStringAsync();
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK), html);
        Assert.That(html, Does.Contain(seeded.Citizen.Cnp).And.Contain(seeded.RegistrationNumbers[0]).And.Not.Contain("<script"));
        Assert.That(db.ExecuteScalar<long>("SELECT COUNT(*) FROM audit_log WHERE query = 'ExportCitizenData' AND citizen_id = @C",
            new { C = DataRequestDesk.Db(seeded.Citizen.Id) }), Is.EqualTo(2));
    }
}
