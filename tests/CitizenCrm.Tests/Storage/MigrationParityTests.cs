using CitizenCrm.Core.Storage;

namespace CitizenCrm.Tests.Storage;

/// <summary>
/// The migrations of every database are kept in step: the Migrator records a script by its number, and a copy between
/// databases or a node switched to another provider assumes the same number means the same schema. A script added to one
/// dialect's folder and forgotten in another is caught here, by its file name, before any database runs it.
/// </summary>
public sealed class MigrationParityTests
{
    private static readonly string[] Dialects = ["sqlite", "postgres", "sqlserver"];

    /// <summary>The script file names per dialect, as the Migrator finds them (embedded as sql/&lt;dialect&gt;/&lt;file&gt;).</summary>
    private static Dictionary<string, List<string>> ScriptsByDialect()
    {
        var names = typeof(Migrator).Assembly.GetManifestResourceNames();
        return Dialects.ToDictionary(d => d, d => names
            .Where(n => n.StartsWith($"sql/{d}/", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => n[$"sql/{d}/".Length..])
            .Order(StringComparer.Ordinal)
            .ToList());
    }

    [Test]
    public void Every_migration_exists_under_the_same_number_and_name_for_every_database()
    {
        var scripts = ScriptsByDialect();
        foreach (var dialect in Dialects)
            Assert.That(scripts[dialect], Is.Not.Empty, $"no migrations embedded for {dialect} (sql/{dialect}/*.sql)");

        var missing = scripts.Values.SelectMany(files => files).Distinct().Order(StringComparer.Ordinal)
            .SelectMany(file => Dialects.Where(d => !scripts[d].Contains(file))
                .Select(d => $"{file} is in {string.Join(", ", Dialects.Where(o => scripts[o].Contains(file)))} but not in sql/{d}/"))
            .ToList();
        Assert.That(missing, Is.Empty, string.Join(Environment.NewLine, missing));
    }

    [Test]
    public void No_database_has_two_migrations_with_the_same_number()
    {
        var clashes = ScriptsByDialect()
            .SelectMany(d => d.Value.GroupBy(file => file[..file.IndexOf('_', StringComparison.Ordinal)])
                .Where(g => g.Count() > 1)
                .Select(g => $"sql/{d.Key}/: {string.Join(" and ", g)} share number {g.Key}"))
            .ToList();
        Assert.That(clashes, Is.Empty, string.Join(Environment.NewLine, clashes));
    }
}
