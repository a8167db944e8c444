using System.Globalization;
using System.Text.Json;
using CitizenCrm.Tests.DataProtection.Requests;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CitizenCrm.Tests.DataProtection.Export;

/// <summary>
/// Holds an export against the schema. The columns that name a citizen or a case are found in SQLite's own catalogue
/// (sqlite_master, pragma_table_info, pragma_foreign_key_list): a column named citizen_id, on_behalf_of_id or case_id,
/// or a foreign key to citizens or cases. Each must be either a source the export declares (and then every row of that
/// table naming the citizen or one of their cases is found in the export, by the source's match columns), or declared
/// left out, with a reason. A table added later with such a column fails until the export covers it or says why not.
/// </summary>
internal static class ExportCoverage
{
    public sealed record Reference(string Table, string Column, string RefersTo);

    private const string ByName = """
        SELECT m.name AS "Table", p.name AS "Column",
               CASE WHEN p.name = 'case_id' THEN 'cases' ELSE 'citizens' END AS RefersTo
        FROM sqlite_master m, pragma_table_info(m.name) p
        WHERE m.type = 'table' AND p.name IN ('citizen_id', 'on_behalf_of_id', 'case_id')
        """;
    private const string ByForeignKey = """
        SELECT m.name AS "Table", f."from" AS "Column", f."table" AS RefersTo
        FROM sqlite_master m, pragma_foreign_key_list(m.name) f
        WHERE m.type = 'table' AND f."table" IN ('citizens', 'cases')
        """;
    /// <summary>The literal definition of "their cases": party, or registered on their behalf.</summary>
    private const string TheirCases = "SELECT id FROM cases WHERE citizen_id = @Citizen UNION SELECT case_id FROM case_intake WHERE on_behalf_of_id = @Citizen";

    public static List<Reference> References(System.Data.Common.DbConnection db) =>
        db.Query<Reference>(ByName).Concat(db.Query<Reference>(ByForeignKey)).Distinct()
            .OrderBy(r => r.Table, StringComparer.Ordinal).ThenBy(r => r.Column, StringComparer.Ordinal).ToList();

    /// <summary>
    /// What is wrong with the export, one line per problem (empty when it covers the schema). <paramref name="rowsFound"/>
    /// gets, for each reference exported, how many rows of the citizen's it checked.
    /// </summary>
    public static List<string> Problems(System.Data.Common.DbConnection db, JsonElement export, Guid citizen, Dictionary<Reference, int> rowsFound)
    {
        var problems = new List<string>();
        var sources = export.GetProperty("sources").EnumerateArray().Select(s => (
            Path: s.GetProperty("path").GetString()!, Table: s.GetProperty("table").GetString()!,
            Match: s.GetProperty("match").EnumerateArray().Select(m => m.GetString()!).ToList())).ToList();
        var leftOut = export.GetProperty("leftOut").EnumerateArray().ToDictionary(
            l => (l.GetProperty("table").GetString()!, l.GetProperty("column").GetString()!), l => l.GetProperty("reason").GetString()!);
        var tables = db.Query<string>("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')").ToHashSet(StringComparer.Ordinal);
        foreach (var s in sources.Where(s => !tables.Contains(s.Table))) problems.Add($"the export declares a source table {s.Table} that does not exist");

        foreach (var reference in References(db))
        {
            if (leftOut.TryGetValue((reference.Table, reference.Column), out var reason))
            {
                if (string.IsNullOrWhiteSpace(reason)) problems.Add($"{reference.Table}.{reference.Column} is left out without a reason");
                continue;
            }
            var source = sources.FirstOrDefault(s => s.Table == reference.Table);
            if (source.Table is null)
            {
                problems.Add($"{reference.Table}.{reference.Column} names a {(reference.RefersTo == "cases" ? "case" : "citizen")}, but the export neither " +
                             "declares it as a source nor as left out with a reason");
                continue;
            }
            var where = reference.RefersTo == "cases" ? $"{reference.Column} IN ({TheirCases})" : $"{reference.Column} = @Citizen";
            var rows = db.Query($"SELECT {string.Join(", ", source.Match)} FROM {reference.Table} WHERE {where}",
                new { Citizen = DataRequestDesk.Db(citizen) }).Cast<IDictionary<string, object?>>().ToList();
            rowsFound[reference] = rows.Count;
            var elements = Resolve(export, source.Path);
            foreach (var row in rows)
            {
                var wanted = source.Match.Select(m => Text(row[m])).ToList();
                if (!elements.Any(e => wanted.All(w => w is not null && e.Contains(w))))
                    problems.Add($"a row of {reference.Table} (by {reference.Column}; {string.Join(", ", source.Match.Zip(wanted, (m, w) => $"{m} = {w}"))}) " +
                                 $"is not in the export at {source.Path}");
            }
        }
        return problems;
    }

    /// <summary>
    /// The elements at a path ("cases[].documents"), each as the set of scalar values it holds (anywhere inside it) plus
    /// the plain values of the objects it sits in (a document's case id is its case's id).
    /// </summary>
    private static List<HashSet<string>> Resolve(JsonElement root, string path)
    {
        var found = new List<HashSet<string>>();
        void Walk(JsonElement at, string[] segments, int i, HashSet<string> context)
        {
            var here = new HashSet<string>(context, StringComparer.OrdinalIgnoreCase);
            if (at.ValueKind == JsonValueKind.Object)
                foreach (var p in at.EnumerateObject().Where(p => Text(p.Value) is not null)) here.Add(Text(p.Value)!);
            if (i == segments.Length)
            {
                if (at.ValueKind == JsonValueKind.Array) foreach (var item in at.EnumerateArray()) found.Add(All(item, context));
                else if (at.ValueKind != JsonValueKind.Null) found.Add(All(at, context));
                return;
            }
            var each = segments[i].EndsWith("[]", StringComparison.Ordinal);
            var name = each ? segments[i][..^2] : segments[i];
            if (at.ValueKind != JsonValueKind.Object || !at.TryGetProperty(name, out var next)) return;
            if (each) foreach (var item in next.EnumerateArray()) Walk(item, segments, i + 1, here);
            else Walk(next, segments, i + 1, here);
        }
        Walk(root, path.Split('.'), 0, new HashSet<string>(StringComparer.OrdinalIgnoreCase));
        return found;
    }

    private static HashSet<string> All(JsonElement e, HashSet<string> context)
    {
        var values = new HashSet<string>(context, StringComparer.OrdinalIgnoreCase);
        void Add(JsonElement x)
        {
            if (Text(x) is { } t) values.Add(t);
            else if (x.ValueKind == JsonValueKind.Object) foreach (var p in x.EnumerateObject()) Add(p.Value);
            else if (x.ValueKind == JsonValueKind.Array) foreach (var i in x.EnumerateArray()) Add(i);
        }
        Add(e);
        return values;
    }

    private static string? Text(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.GetRawText(),
        _ => null,
    };

    private static string? Text(object? value) => value switch
    {
        null => null,
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
