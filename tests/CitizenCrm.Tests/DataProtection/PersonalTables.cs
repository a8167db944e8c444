using Dapper;
using Microsoft.Data.Sqlite;

namespace CitizenCrm.Tests.DataProtection;

/// <summary>
/// The tables that can hold something of a citizen's, found from the database's own schema rather than listed by hand:
/// a table with a citizen column (citizen_id, on_behalf_of_id, or a foreign key to citizens), a case column (case_id, or a
/// foreign key to cases: a case has a party), or a foreign key to a table already found (timeline_details → timeline_events).
/// Each comes with a WHERE clause that selects one citizen's rows: parameters @Citizen (the citizen's id, upper case).
/// A table added by a later migration is found here the day it exists, so the export and erasure tests fail until they
/// cover it.
/// </summary>
public static class PersonalTables
{
    public sealed record Link(string Where);

    private sealed record Column(string Name);

    private sealed class ForeignKey
    {
        public string Table { get; init; } = "";
        public string From { get; init; } = "";
        public string To { get; init; } = "";
    }

    public static IReadOnlyDictionary<string, Link> Find(System.Data.Common.DbConnection db)
    {
        var tables = db.Query<string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'qrtz_%' COLLATE NOCASE ORDER BY name").ToList();
        var columns = tables.ToDictionary(t => t, t => db.Query<Column>("SELECT name AS Name FROM pragma_table_info(@t)", new { t }).Select(c => c.Name).ToList());
        var keys = tables.ToDictionary(t => t, t => db.Query<ForeignKey>("SELECT CAST(\"table\" AS TEXT) AS \"Table\", CAST(\"from\" AS TEXT) AS \"From\", CAST(COALESCE(\"to\", 'id') AS TEXT) AS \"To\" FROM pragma_foreign_key_list(@t)", new { t }).ToList());

        const string OfCitizen = "upper(id) = @Citizen";
        const string CasesOfCitizen = "SELECT upper(id) FROM cases WHERE upper(citizen_id) = @Citizen";
        var found = new Dictionary<string, Link>(StringComparer.Ordinal) { ["citizens"] = new(OfCitizen) };
        foreach (var table in tables.Where(t => t != "citizens"))
        {
            var clauses = new List<string>();
            foreach (var column in columns[table])
            {
                var fk = keys[table].FirstOrDefault(k => k.From == column);
                if (column is "citizen_id" or "on_behalf_of_id" || fk?.Table == "citizens") clauses.Add($"upper({column}) = @Citizen");
                else if (table != "cases" && (column == "case_id" || fk?.Table == "cases")) clauses.Add($"upper({column}) IN ({CasesOfCitizen})");
            }
            if (clauses.Count > 0) found[table] = new Link(string.Join(" OR ", clauses));
        }
        // Tables that refer to a table found above (and so, through it, to the citizen), until nothing new is found.
        for (var added = true; added;)
        {
            added = false;
            foreach (var table in tables.Where(t => !found.ContainsKey(t)))
            {
                var fk = keys[table].FirstOrDefault(k => found.ContainsKey(k.Table) && k.Table != "citizens");
                if (fk is null) continue;
                found[table] = new Link($"{fk.From} IN (SELECT {fk.To} FROM {fk.Table} WHERE {found[fk.Table].Where})");
                added = true;
            }
        }
        return found;
    }
}
