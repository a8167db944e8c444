using CitizenCrm.Tests.Infrastructure;
using Dapper;

namespace CitizenCrm.Tests.DataProtection;

/// <summary>
/// The seeding the export and erasure tests stand on reaches every table that can hold something of a citizen's: a table
/// added later with a citizen or case column fails here until the seeding writes to it (and the export and erasure
/// tests then see it).
/// </summary>
[TestFixture]
public sealed class SeedingTests
{
    [Test]
    public async Task A_citizen_with_everything_has_rows_in_every_table_that_refers_to_a_citizen_or_a_case()
    {
        using var seeded = await CitizenWithEverything.StartAsync();
        using var db = seeded.App.OpenDatabase();
        var tables = PersonalTables.Find(db);
        Assert.That(tables.Keys, Is.EquivalentTo(new[]
        {
            "citizens", "citizen_phones", "citizen_emails", "citizen_name_tokens", "cases", "case_documents", "case_intake", "case_locations",
            "map_reports", "case_photos", "mail_messages", "notifications", "timeline_events", "timeline_details", "audit_log",
            "tax_obligations", "fines", "ivr_calls", "phone_access_locks", "phone_requests", "data_subject_requests", "citizen_erasures",
        }), "the tables found from the schema; a new one belongs in the seeding, the export and the erasure");

        var empty = new List<string>();
        // Made by the data-protection requests themselves, which the tests of those requests make.
        var madeByTheRequests = new[] { "data_subject_requests", "citizen_erasures" };
        foreach (var (table, link) in tables.Where(t => !madeByTheRequests.Contains(t.Key)))
        {
            var count = db.ExecuteScalar<long>($"SELECT COUNT(*) FROM {table} WHERE {link.Where}", new { Citizen = seeded.Citizen.Id.ToString().ToUpperInvariant(), seeded.Citizen.Cnp });
            TestContext.Out.WriteLine($"{table}: {count}");
            if (count == 0) empty.Add($"{table} ({link.Where})");
        }
        Assert.That(empty, Is.Empty, "tables the seeding does not reach");
    }
}
