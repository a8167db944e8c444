using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace CitizenCrm.Core.Storage;

/// <summary>Opens connections to the configured database, set up the way the application expects.</summary>
public interface IDatabase
{
    Dialect Dialect { get; }
    Task<DbConnection> OpenAsync(CancellationToken ct);
}

public sealed class SqliteDatabase : IDatabase
{
    private readonly string _connectionString;
    private readonly string _pragmas;

    public SqliteDatabase(IOptions<DatabaseOptions> options)
    {
        var o = options.Value;
        var sync = o.Synchronous.ToUpperInvariant() switch
        {
            "FULL" or "NORMAL" or "EXTRA" => o.Synchronous.ToUpperInvariant(),
            _ => throw new InvalidOperationException($"Database:Synchronous must be FULL or NORMAL, not '{o.Synchronous}'."),
        };
        if (o.ConnectionString is null) Directory.CreateDirectory(o.DataFolder);
        _connectionString = o.ConnectionString ?? new SqliteConnectionStringBuilder
        {
            DataSource = o.SqliteFile,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = Math.Max(1, o.BusyTimeoutMilliseconds / 1000),
        }.ToString();
        // secure_delete: an erased citizen's rows are overwritten with zeros in the file, not only unlinked from its
        // b-trees, so the raw database file holds no trace of them once the write-ahead log is checkpointed (GDPR art. 17).
        _pragmas = $"PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {o.BusyTimeoutMilliseconds}; PRAGMA synchronous = {sync}; PRAGMA secure_delete = ON;";
    }

    public Dialect Dialect => SqliteDialect.Instance;

    public async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = _pragmas;
        await cmd.ExecuteNonQueryAsync(ct);
        return connection;
    }

    /// <summary>
    /// Copies the write-ahead log into the database file and empties it. After an erasure: secure_delete zeroes the erased
    /// rows in the database file, but the log keeps the pages as they were before, until a checkpoint resets it, which in a
    /// busy server may take long. A reader still on an older snapshot keeps the log from being emptied: then false, and the
    /// next checkpoint (SQLite runs one whenever the log passes 1000 pages) finishes the job.
    /// </summary>
    public async Task<bool> TruncateWriteAheadLogAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) && reader.GetInt64(0) == 0;
    }

    /// <summary>WAL lets readers go on while one writer commits; it is a property of the file, set once.</summary>
    public async Task EnableWriteAheadLogAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode = WAL;";
        await cmd.ExecuteScalarAsync(ct);
    }
}
