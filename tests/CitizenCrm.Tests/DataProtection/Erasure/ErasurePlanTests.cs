using CitizenCrm.Core.DataProtection.Erasure;
using CitizenCrm.Tests.Infrastructure;

namespace CitizenCrm.Tests.DataProtection.Erasure;

/// <summary>
/// Every table that refers to a citizen or a case, read from the schema the migrations build, must say what an erasure does
/// to it: a new feature's table fails here until <see cref="ErasurePlan"/> (and the erasure) covers it.
/// </summary>
[TestFixture]
public sealed class ErasurePlanTests
{
    private static readonly string[] ReferringColumns = ["citizen_id", "on_behalf_of_id", "case_id"];

    [Test]
    public void Every_table_referring_to_a_citizen_or_a_case_is_in_the_erasure_plan()
    {
        using var app = new CrmTestApp();
        using var db = app.OpenDatabase();
        var tables = new List<string>();
        using (var list = db.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
            using var reader = list.ExecuteReader();
            while (reader.Read()) tables.Add(reader.GetString(0));
        }
        Assert.That(tables, Does.Contain("cases").And.Contain("timeline_events"), "the schema was read");

        var referring = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            using var columns = db.CreateCommand();
            columns.CommandText = "SELECT name FROM pragma_table_info(@t) UNION ALL SELECT \"table\" FROM pragma_foreign_key_list(@t)";
            columns.Parameters.AddWithValue("@t", table);
            using var reader = columns.ExecuteReader();
            while (reader.Read())
            {
                var name = reader.GetString(0);
                if (ReferringColumns.Contains(name, StringComparer.OrdinalIgnoreCase) || name is "citizens" or "cases") referring.Add(table);
            }
        }
        // And what the shared seeding's schema reading finds (tables that refer to those through a foreign key: timeline_details).
        referring.UnionWith(PersonalTables.Find(db).Keys);
        referring.Add("citizens");
        referring.Add("cases");

        var missing = referring.Where(t => ErasurePlan.For(t) is null).ToList();
        Assert.That(missing, Is.Empty, "tables that refer to a citizen or a case but are not in ErasurePlan: say what an erasure does to them " +
            "(and do it in EraseCitizen), and add them to docs/DATA-PROTECTION.md");
        // Known members, so the schema reading cannot silently find nothing.
        Assert.That(referring, Is.SupersetOf(new[]
        {
            "case_documents", "case_intake", "case_locations", "case_photos", "citizen_emails", "citizen_erasures", "citizen_name_tokens",
            "citizen_phones", "data_subject_requests", "fines", "ivr_calls", "map_reports", "notifications", "phone_requests",
            "tax_obligations", "timeline_events", "timeline_details",
        }));
    }

    [Test]
    public void Each_entry_of_the_plan_says_what_and_why()
    {
        foreach (var t in ErasurePlan.Tables.Concat(ErasurePlan.AlsoHandled))
        {
            Assert.That(t.What, Is.Not.Empty, t.Table);
            Assert.That(t.Why, Is.Not.Empty, t.Table);
        }
        Assert.That(ErasurePlan.For("timeline_events")!.Action, Is.EqualTo(ErasureAction.Kept), "events are never deleted");
        Assert.That(ErasurePlan.For("timeline_details")!.Action, Is.EqualTo(ErasureAction.Removed));
        Assert.That(ErasurePlan.For("cases")!.Action, Is.EqualTo(ErasureAction.Anonymised));
    }
}
