using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Options;

namespace CitizenCrm.Core.Storage;

public sealed class SqlServerDialect : Dialect
{
    public static readonly SqlServerDialect Instance = new();

    // Statements are built from constants, so the distinct texts are few; the bound only keeps a caller that builds texts
    // from values (it should not) from growing the cache without end: past it, texts are rewritten each time.
    private const int MaxCached = 20_000;
    private readonly ConcurrentDictionary<string, string> _rendered = new(StringComparer.Ordinal);

    public override string Name => "sqlserver";

    // T-SQL has no LIMIT; OFFSET ... FETCH is part of ORDER BY, which is where the callers put this clause.
    public override string LimitClause => "OFFSET 0 ROWS FETCH NEXT @Limit ROWS ONLY";

    public override string InsertReturning(string table, string columns, string values, string returnedColumn) =>
        $"INSERT INTO {table} ({columns}) OUTPUT INSERTED.{returnedColumn} VALUES ({values})";

    // 2627: a PRIMARY KEY or UNIQUE constraint; 2601: a unique index (SQL Server's "Database engine events and errors").
    public override bool IsUniqueViolation(DbException exception) =>
        exception is SqlException sql && sql.Errors.Cast<SqlError>().Any(e => e.Number is 2601 or 2627);

    /// <summary>
    /// The statement in T-SQL (<see cref="SqlServerRewriter"/>), rewritten once per text. A statement that has no mechanical
    /// T-SQL form (an ON CONFLICT upsert) throws <see cref="NotSupportedException"/> naming it, every time it is asked for.
    /// </summary>
    public override string Render(string sql)
    {
        if (_rendered.TryGetValue(sql, out var rendered)) return rendered;
        rendered = SqlServerRewriter.Rewrite(sql);
        if (_rendered.Count < MaxCached) _rendered.TryAdd(sql, rendered);
        return rendered;
    }
}

/// <summary>SQL Server through Microsoft.Data.SqlClient, which pools connections per connection string itself.</summary>
public sealed class SqlServerDatabase : IDatabase
{
    private readonly string _connectionString;

    public SqlServerDatabase(IOptions<DatabaseOptions> options) =>
        _connectionString = options.Value.ConnectionString
            ?? throw new InvalidOperationException("Database:Provider is SqlServer: give Database:ConnectionString (Server=...;Database=...;User ID=...;Password=...;Encrypt=...).");

    public Dialect Dialect => SqlServerDialect.Instance;

    public async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
