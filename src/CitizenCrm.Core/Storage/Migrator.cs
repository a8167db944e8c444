using System.Reflection;
using Dapper;
using Microsoft.Extensions.Logging;

namespace CitizenCrm.Core.Storage;

/// <summary>
/// Applies the numbered scripts of sql/&lt;dialect&gt;/ in order, each in its own transaction with its
/// row in schema_version, so a failing script leaves the database as it was before that script.
/// </summary>
public sealed class Migrator(IDatabase database, ILogger<Migrator> logger)
{
    private const string CreateVersionTable = """
        CREATE TABLE IF NOT EXISTS schema_version (
            version    INTEGER      NOT NULL PRIMARY KEY,
            name       VARCHAR(200) NOT NULL,
            applied_at BIGINT       NOT NULL
        )
        """;

    public sealed record Migration(int Version, string Name, string Sql);

    public IReadOnlyList<Migration> Available()
    {
        var prefix = $"sql/{database.Dialect.Name}/";
        var assembly = typeof(Migrator).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var file = n[prefix.Length..];
                var version = int.Parse(file[..file.IndexOf('_')], System.Globalization.CultureInfo.InvariantCulture);
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return new Migration(version, file, reader.ReadToEnd());
            })
            .OrderBy(m => m.Version)
            .ToList();
    }

    public async Task<IReadOnlyList<int>> AppliedAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(database.Dialect.Render(CreateVersionTable), cancellationToken: ct));
        return (await connection.QueryAsync<int>(new CommandDefinition("SELECT version FROM schema_version ORDER BY version", cancellationToken: ct))).AsList();
    }

    /// <summary>Returns the names of the scripts applied now (empty when the schema was current).</summary>
    public Task<IReadOnlyList<string>> MigrateAsync(CancellationToken ct) => MigrateAsync(Available(), ct);

    internal async Task<IReadOnlyList<string>> MigrateAsync(IReadOnlyList<Migration> migrations, CancellationToken ct)
    {
        if (database is SqliteDatabase sqlite) await sqlite.EnableWriteAheadLogAsync(ct);
        var applied = (await AppliedAsync(ct)).ToHashSet();
        var done = new List<string>();
        foreach (var migration in migrations.Where(m => !applied.Contains(m.Version)).OrderBy(m => m.Version))
        {
            await using var connection = await database.OpenAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            try
            {
                await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: tx, cancellationToken: ct));
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO schema_version (version, name, applied_at) VALUES (@Version, @Name, @At)",
                    new { migration.Version, migration.Name, At = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, tx, cancellationToken: ct));
                await tx.CommitAsync(ct);
            }
            catch (Exception ex)
            {
                await tx.RollbackAsync(CancellationToken.None);
                throw new InvalidOperationException($"Migration {migration.Name} failed and was rolled back: {ex.Message}", ex);
            }
            logger.LogInformation("Applied migration {Migration}", migration.Name);
            done.Add(migration.Name);
        }
        return done;
    }
}
