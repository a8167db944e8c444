using System.Data.Common;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CitizenCrm.Core.Storage;

public sealed class PostgresDialect : Dialect
{
    public static readonly PostgresDialect Instance = new();
    public override string Name => "postgres";
    public override string LimitClause => "LIMIT @Limit";

    public override string InsertReturning(string table, string columns, string values, string returnedColumn) =>
        $"INSERT INTO {table} ({columns}) VALUES ({values}) RETURNING {returnedColumn}";

    // 23505 unique_violation (PostgreSQL, Appendix A: error codes); a primary key's violation has the same code.
    public override bool IsUniqueViolation(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}

/// <summary>PostgreSQL through Npgsql: one data source (its pool) for the process, every node its own.</summary>
public sealed class PostgresDatabase : IDatabase, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    public PostgresDatabase(IOptions<DatabaseOptions> options)
    {
        var connectionString = options.Value.ConnectionString
            ?? throw new InvalidOperationException("Database:Provider is Postgres: give Database:ConnectionString (Host=...;Database=...;Username=...).");
        _dataSource = new NpgsqlDataSourceBuilder(connectionString).Build();
    }

    public Dialect Dialect => PostgresDialect.Instance;

    public async Task<DbConnection> OpenAsync(CancellationToken ct) => await _dataSource.OpenConnectionAsync(ct);

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
