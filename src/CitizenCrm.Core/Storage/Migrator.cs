using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Logging;

namespace CitizenCrm.Core.Storage;

/// <summary>
/// Applies the numbered scripts of sql/&lt;dialect&gt;/ in order, each in its own transaction with its row in schema_version,
/// so a failing script leaves the database as it was before that script. Nodes starting together on one server database
/// migrate once: the run holds a database lock (<see cref="MigrationLock"/>), and each script's transaction looks again
/// whether another migrator applied it meanwhile.
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

    private const string IsApplied = "SELECT COUNT(*) FROM schema_version WHERE version = @Version";

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
        // Held for the whole run, the version table's creation included: two PostgreSQL sessions creating the same table
        // at once may fail on pg_type's unique index even with IF NOT EXISTS.
        await using var held = await MigrationLock.TakeAsync(database, ct);
        var applied = (await AppliedAsync(ct)).ToHashSet();
        var done = new List<string>();
        foreach (var migration in migrations.Where(m => !applied.Contains(m.Version)).OrderBy(m => m.Version))
        {
            await using var connection = await database.OpenAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            try
            {
                // On SQLite the transaction began IMMEDIATE, holding the write lock: a process that migrated the same file
                // since the list above was read shows here, and the script is not run twice. Under the server lock this
                // finds nothing new; it costs one indexed read per script applied.
                if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(IsApplied, new { migration.Version }, tx, cancellationToken: ct)) > 0)
                {
                    await tx.RollbackAsync(ct);
                    continue;
                }
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

/// <summary>
/// The lock that lets one migrator at a time work on a server database, held on a connection of its own for the run and
/// let go when the run ends (or when the process dies: both databases release a session's locks with its connection).
/// PostgreSQL: a session-level advisory lock; SQL Server: an application lock owned by the session. SQLite needs none:
/// it serves one node, and its own write lock, taken by each script's IMMEDIATE transaction, already serialises
/// writers; the re-read of schema_version inside that transaction keeps a script from running twice.
/// </summary>
internal sealed class MigrationLock : IAsyncDisposable
{
    /// <summary>The advisory lock's key on PostgreSQL: any constant no other code of ours uses ("CRMMIGR" in ASCII).</summary>
    internal const long PostgresKey = 0x43524D4D494752;
    internal const string SqlServerResource = "citizencrm-migrations";

    private readonly DbConnection? _connection;
    private readonly string? _release;

    private MigrationLock(DbConnection? connection, string? release) => (_connection, _release) = (connection, release);

    public static async Task<MigrationLock> TakeAsync(IDatabase database, CancellationToken ct)
    {
        var (take, release) = database.Dialect.Name switch
        {
            "postgres" => ($"SELECT pg_advisory_lock({PostgresKey})", $"SELECT pg_advisory_unlock({PostgresKey})"),
            // Waits without limit (-1) as pg_advisory_lock does; a negative result is a refusal (deadlock victim, error).
            "sqlserver" => ($"""
                DECLARE @result int;
                EXEC @result = sp_getapplock @Resource = N'{SqlServerResource}', @LockMode = N'Exclusive', @LockOwner = N'Session', @LockTimeout = -1;
                IF @result < 0 THROW 50000, 'The migration lock was refused.', 1;
                """,
                $"EXEC sp_releaseapplock @Resource = N'{SqlServerResource}', @LockOwner = N'Session'"),
            _ => ((string?)null, (string?)null),
        };
        if (take is null) return new MigrationLock(null, null);
        var connection = await database.OpenAsync(ct);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(take, commandTimeout: 0, cancellationToken: ct));
            return new MigrationLock(connection, release);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is null) return;
        // Said out loud rather than left to the connection's close: a pooled connection goes back to the pool still
        // holding a session lock until it is reused or pruned.
        try { await _connection.ExecuteAsync(_release!); }
        catch (DbException) { } // a broken connection took its lock with it
        await _connection.DisposeAsync();
    }
}
