using System.Diagnostics;
using System.Globalization;
using CitizenCrm.Core.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace CitizenCrm.Core.Storage;

public sealed record TableCopied(string Table, long Rows, TimeSpan Elapsed);

public sealed record DatabaseCopyReport(
    IReadOnlyList<TableCopied> Tables, IReadOnlyList<string> MigrationsApplied, IReadOnlyList<string> SeededTablesReplaced, TimeSpan Elapsed);

/// <summary>
/// Copies a SQLite city into a PostgreSQL database, for a city that outgrows one machine (the copy-database verb).
/// The target gets the PostgreSQL migrations first, then every application table's rows in foreign-key order, in one
/// transaction: a copy that fails leaves the target as it was. Quartz's own tables are left out (every node provisions
/// its job store), and schema_version is the target migrator's.
/// </summary>
public sealed class DatabaseCopy(ILoggerFactory loggers)
{
    private const string Refused = "copy-database refused";

    private sealed record TargetColumn(string Name, string DataType, bool Identity);

    /// <summary>The SQLite file is read under its exclusive lock: nobody may write to it during the copy.</summary>
    public async Task<DatabaseCopyReport> ToPostgresAsync(string sqliteFile, string postgresConnectionString, Action<TableCopied>? progress,
        CancellationToken ct)
    {
        var started = Stopwatch.StartNew();
        if (!File.Exists(sqliteFile))
            throw new ConflictException($"There is no SQLite database at {sqliteFile}: give the data folder it lives in (--Database:DataFolder=...).", Refused);

        await using var source = await OpenSourceExclusivelyAsync(sqliteFile, ct);
        var (sqliteVersions, seeds) = await FreshSqliteSchemaAsync(ct);
        await CheckSourceIsCurrentAsync(source, sqliteVersions, ct);

        var target = new PostgresDatabase(Options.Create(new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = postgresConnectionString }));
        await using var _ = target;
        var applied = await new Migrator(target, loggers.CreateLogger<Migrator>()).MigrateAsync(ct);

        await using var connection = (NpgsqlConnection)await target.OpenAsync(ct);
        var targetColumns = await TargetColumnsAsync(connection, ct);
        var order = await CopyOrderAsync(source, ct);
        CheckSameTables(order, targetColumns.Keys);

        // A migrated, never used database holds only what the migrations seed (registers, the service catalogue,
        // notification templates); those rows are replaced by the source's, which may have been edited since.
        var seeded = new List<string>();
        foreach (var table in order)
        {
            var rows = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM {Quote(table)}", cancellationToken: ct));
            if (rows == 0) continue;
            if (rows != seeds.GetValueOrDefault(table))
                throw new ConflictException(string.Create(CultureInfo.InvariantCulture,
                    $"The target database already holds data: table {table} has {rows} row(s). Copy into a new, empty database (CREATE DATABASE ...)."), Refused);
            seeded.Add(table);
        }

        var sequences = await SqliteSequencesAsync(source, ct);
        var copied = new List<TableCopied>();
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            foreach (var table in Enumerable.Reverse(order).Where(seeded.Contains))
                await connection.ExecuteAsync(new CommandDefinition($"DELETE FROM {Quote(table)}", transaction: tx, cancellationToken: ct));
            foreach (var table in order)
            {
                var clock = Stopwatch.StartNew();
                var rows = await CopyTableAsync(source, connection, table, targetColumns[table], ct);
                var done = new TableCopied(table, rows, clock.Elapsed);
                copied.Add(done);
                progress?.Invoke(done);
            }
            foreach (var table in order)
                foreach (var column in targetColumns[table].Where(c => c.Identity))
                    await MoveSequenceAsync(connection, tx, table, column.Name, sequences.GetValueOrDefault(table), ct);
            await tx.CommitAsync(ct);
        }
        // Fresh statistics, so that the first queries on the copy are planned for its real size rather than for empty tables.
        await using (var analyze = new NpgsqlCommand("ANALYZE", connection) { CommandTimeout = 0 })
            await analyze.ExecuteNonQueryAsync(ct);
        return new DatabaseCopyReport(copied, applied, seeded, started.Elapsed);
    }

    private static async Task<SqliteConnection> OpenSourceExclusivelyAsync(string file, CancellationToken ct)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = file, Mode = SqliteOpenMode.ReadWrite, Pooling = false, DefaultTimeout = 3,
        }.ToString());
        await connection.OpenAsync(ct);
        try
        {
            // In WAL mode an EXCLUSIVE locking mode takes the whole file at the first read and fails while any other
            // connection has it open (a server idling on it too): the copy is then a snapshot no one can add to, and a
            // server started during the copy waits rather than writing rows the copy would miss. A log left by a crash
            // is read (and checkpointed) like any committed data.
            await connection.ExecuteAsync(new CommandDefinition("PRAGMA locking_mode = EXCLUSIVE", cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition("BEGIN EXCLUSIVE", cancellationToken: ct));
            await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM sqlite_master", cancellationToken: ct));
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 5 or 6) // SQLITE_BUSY, SQLITE_LOCKED
        {
            await connection.DisposeAsync();
            throw new ConflictException($"The SQLite database {file} is open in another process (a server or a verb on this data folder). " +
                "Stop every server using it first: rows written during or after the copy would not reach PostgreSQL.", Refused);
        }
        return connection;
    }

    /// <summary>The SQLite migrations this program knows, and how many rows each table holds right after them (the seeds).</summary>
    private async Task<(HashSet<int> Versions, Dictionary<string, long> Seeds)> FreshSqliteSchemaAsync(CancellationToken ct)
    {
        var name = "copydb-seeds-" + Guid.NewGuid().ToString("N");
        var connectionString = $"Data Source={name};Mode=Memory;Cache=Shared;Pooling=False";
        // A shared in-memory database lives while one connection to it is open; the migrator opens its own per script.
        await using var keeper = new SqliteConnection(connectionString);
        await keeper.OpenAsync(ct);
        var database = new SqliteDatabase(Options.Create(new DatabaseOptions { ConnectionString = connectionString }));
        var migrator = new Migrator(database, Microsoft.Extensions.Logging.Abstractions.NullLogger<Migrator>.Instance);
        await migrator.MigrateAsync(ct);
        var seeds = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        foreach (var table in await ApplicationTablesAsync(keeper, ct))
            seeds[table] = await keeper.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM {Quote(table)}", cancellationToken: ct));
        return (migrator.Available().Select(m => m.Version).ToHashSet(), seeds);
    }

    private static async Task CheckSourceIsCurrentAsync(SqliteConnection source, HashSet<int> known, CancellationToken ct)
    {
        var hasVersions = await source.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'", cancellationToken: ct)) > 0;
        var applied = hasVersions
            ? (await source.QueryAsync<long>(new CommandDefinition("SELECT version FROM schema_version", cancellationToken: ct))).Select(v => (int)v).ToHashSet()
            : [];
        if (applied.Count == 0)
            throw new ConflictException("The SQLite database has no CitizenCRM schema (no schema_version rows): is this the right data folder?", Refused);
        if (applied.Except(known).Any())
            throw new ConflictException($"The SQLite database has migrations this program does not know ({string.Join(", ", applied.Except(known).Order())}): " +
                "run copy-database from the same (or a newer) release as the server that wrote it.", Refused);
        if (known.Except(applied).Any())
            throw new ConflictException($"The SQLite database lacks migrations {string.Join(", ", known.Except(applied).Order())}: " +
                "run the migrate verb on it first (with the server stopped), then copy.", Refused);
    }

    private static async Task<List<string>> ApplicationTablesAsync(SqliteConnection connection, CancellationToken ct) =>
        (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' " +
            "AND name NOT LIKE 'qrtz\\_%' ESCAPE '\\' AND name <> 'schema_version' ORDER BY name", cancellationToken: ct))).AsList();

    /// <summary>
    /// Parents before children, from the source's own foreign keys (pragma foreign_key_list), so the order follows the
    /// schema as it grows. A table referring to itself (cases.related_case_id) needs no order: PostgreSQL checks a
    /// NOT DEFERRABLE foreign key at the end of each statement, and one COPY is one statement.
    /// </summary>
    private static async Task<List<string>> CopyOrderAsync(SqliteConnection source, CancellationToken ct)
    {
        var tables = await ApplicationTablesAsync(source, ct);
        var parents = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var table in tables)
            parents[table] = (await source.QueryAsync<string>(new CommandDefinition(
                    "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(@table)", new { table }, cancellationToken: ct)))
                .Where(p => !p.Equals(table, StringComparison.OrdinalIgnoreCase))
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var order = new List<string>();
        var placed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (order.Count < tables.Count)
        {
            var ready = tables.Where(t => !placed.Contains(t) && parents[t].All(placed.Contains)).ToList();
            if (ready.Count == 0)
                throw new ConflictException("These tables refer to each other in a cycle, which a copy in foreign-key order cannot load: " +
                    string.Join(", ", tables.Where(t => !placed.Contains(t))), Refused);
            foreach (var t in ready) { order.Add(t); placed.Add(t); }
        }
        return order;
    }

    private static void CheckSameTables(IReadOnlyList<string> source, IEnumerable<string> target)
    {
        var missing = source.Except(target, StringComparer.OrdinalIgnoreCase).ToList();
        var extra = target.Except(source, StringComparer.OrdinalIgnoreCase).ToList();
        if (missing.Count > 0 || extra.Count > 0)
            throw new ConflictException("The SQLite and PostgreSQL schemas differ (" +
                (missing.Count > 0 ? $"only in SQLite: {string.Join(", ", missing)}" : "") + (missing.Count > 0 && extra.Count > 0 ? "; " : "") +
                (extra.Count > 0 ? $"only in PostgreSQL: {string.Join(", ", extra)}" : "") + "): the migrations are not in step.", Refused);
    }

    private static async Task<Dictionary<string, List<TargetColumn>>> TargetColumnsAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<(string Table, string Column, string DataType, string IsIdentity, string? Default)>(new CommandDefinition("""
            SELECT c.table_name, c.column_name, c.data_type, c.is_identity, c.column_default
            FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
            WHERE c.table_schema = current_schema() AND c.table_name NOT LIKE 'qrtz\_%' AND c.table_name <> 'schema_version'
            ORDER BY c.table_name, c.ordinal_position
            """, cancellationToken: ct));
        return rows.GroupBy(r => r.Table, StringComparer.OrdinalIgnoreCase).ToDictionary(
            g => g.Key,
            g => g.Select(r => new TargetColumn(r.Column, r.DataType,
                r.IsIdentity == "YES" || (r.Default?.StartsWith("nextval(", StringComparison.Ordinal) ?? false))).ToList(),
            StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>SQLite's AUTOINCREMENT high-water marks: a key once used (by a row deleted since) is never handed out again.</summary>
    private static async Task<Dictionary<string, long>> SqliteSequencesAsync(SqliteConnection source, CancellationToken ct)
    {
        var exists = await source.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'", cancellationToken: ct)) > 0;
        if (!exists) return new(StringComparer.OrdinalIgnoreCase);
        return (await source.QueryAsync<(string Name, long Seq)>(new CommandDefinition("SELECT name, seq FROM sqlite_sequence", cancellationToken: ct)))
            .ToDictionary(r => r.Name, r => r.Seq, StringComparer.OrdinalIgnoreCase);
    }

    private static async Task<long> CopyTableAsync(SqliteConnection source, NpgsqlConnection target, string table, List<TargetColumn> columns, CancellationToken ct)
    {
        var sourceColumns = (await source.QueryAsync<string>(new CommandDefinition("SELECT name FROM pragma_table_info(@table)", new { table }, cancellationToken: ct)))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var targetNames = columns.Select(c => c.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (!sourceColumns.SetEquals(targetNames))
            throw new ConflictException($"Table {table} has different columns in SQLite ({string.Join(", ", sourceColumns.Except(targetNames))}) " +
                $"and PostgreSQL ({string.Join(", ", targetNames.Except(sourceColumns))}): the migrations are not in step.", Refused);

        // By name, not by position: SQLite appends a column added by ALTER TABLE at the end, PostgreSQL's script may not.
        var converters = columns.Select(c => Converter(table, c)).ToArray();
        var list = string.Join(", ", columns.Select(c => Quote(c.Name)));
        await using var read = source.CreateCommand();
        read.CommandText = $"SELECT {list} FROM {Quote(table)}";
        read.CommandTimeout = 0;
        await using var reader = await read.ExecuteReaderAsync(ct);
        await using var import = await target.BeginBinaryImportAsync($"COPY {Quote(table)} ({list}) FROM STDIN (FORMAT BINARY)", ct);
        long row = 0;
        while (await reader.ReadAsync(ct))
        {
            row++;
            await import.StartRowAsync(ct);
            for (var i = 0; i < converters.Length; i++)
            {
                if (await reader.IsDBNullAsync(i, ct)) { await import.WriteNullAsync(ct); continue; }
                object value;
                try
                {
                    value = converters[i].Convert(reader.GetValue(i));
                }
                catch (Exception ex) when (ex is FormatException or InvalidCastException or OverflowException)
                {
                    // The value itself may be personal data (a CNP, a phone number): the message names only where it is.
                    throw new ConflictException(string.Create(CultureInfo.InvariantCulture,
                        $"Row {row} of {table}: column {columns[i].Name} holds a value that is not a valid {columns[i].DataType} ({ex.GetType().Name})."), Refused);
                }
                await import.WriteAsync(value, converters[i].Type, ct);
            }
        }
        var written = await import.CompleteAsync(ct);
        return (long)written;
    }

    private sealed record ColumnConverter(NpgsqlDbType Type, Func<object, object> Convert);

    /// <summary>Each SQLite value as the target column's type (COMMON17's type decisions: INTEGER to bigint, GUID text to uuid, dates to date).</summary>
    private static ColumnConverter Converter(string table, TargetColumn column)
    {
        var inv = CultureInfo.InvariantCulture;
        return column.DataType switch
        {
            "uuid" => new(NpgsqlDbType.Uuid, v => v switch
            {
                string s => Guid.ParseExact(s, "D"),
                byte[] { Length: 16 } b => new Guid(b),
                _ => throw new InvalidCastException(),
            }),
            "date" => new(NpgsqlDbType.Date, v => DateOnly.ParseExact((string)v, "yyyy-MM-dd", inv)),
            "bigint" => new(NpgsqlDbType.Bigint, v => v switch { string s => long.Parse(s, NumberStyles.AllowLeadingSign, inv), _ => System.Convert.ToInt64(v, inv) }),
            "integer" => new(NpgsqlDbType.Integer, v => v switch { string s => int.Parse(s, NumberStyles.AllowLeadingSign, inv), _ => System.Convert.ToInt32(v, inv) }),
            "smallint" => new(NpgsqlDbType.Smallint, v => v switch { string s => short.Parse(s, NumberStyles.AllowLeadingSign, inv), _ => System.Convert.ToInt16(v, inv) }),
            "numeric" => new(NpgsqlDbType.Numeric, v => v switch { string s => decimal.Parse(s, NumberStyles.Number, inv), _ => System.Convert.ToDecimal(v, inv) }),
            "double precision" => new(NpgsqlDbType.Double, v => System.Convert.ToDouble(v, inv)),
            "real" => new(NpgsqlDbType.Real, v => System.Convert.ToSingle(v, inv)),
            "boolean" => new(NpgsqlDbType.Boolean, v => System.Convert.ToInt64(v, inv) != 0),
            "text" => new(NpgsqlDbType.Text, v => v as string ?? System.Convert.ToString(v, inv)!),
            "character varying" => new(NpgsqlDbType.Varchar, v => v as string ?? System.Convert.ToString(v, inv)!),
            "character" => new(NpgsqlDbType.Char, v => v as string ?? System.Convert.ToString(v, inv)!),
            "bytea" => new(NpgsqlDbType.Bytea, v => (byte[])v),
            var other => throw new ConflictException($"Column {table}.{column.Name} has type {other} in PostgreSQL, which copy-database does not convert to.", Refused),
        };
    }

    /// <summary>The next key PostgreSQL hands out must be above every copied key and SQLite's own high-water mark.</summary>
    private static async Task MoveSequenceAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string table, string column, long sqliteHighWater, CancellationToken ct)
    {
        var sequence = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT pg_get_serial_sequence(@table, @column)", new { table = Quote(table), column }, tx, cancellationToken: ct));
        if (sequence is null) return;
        var max = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            $"SELECT MAX({Quote(column)}) FROM {Quote(table)}", transaction: tx, cancellationToken: ct)) ?? 0;
        var last = Math.Max(max, sqliteHighWater);
        // setval(seq, n, true): the next value is n + 1; with no key used yet, (1, false) makes the next one 1.
        await connection.ExecuteAsync(new CommandDefinition("SELECT setval(@sequence, @value, @called)",
            new { sequence, value = Math.Max(last, 1), called = last > 0 }, tx, cancellationToken: ct));
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
