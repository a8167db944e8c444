using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CitizenCrm.Core.Storage;

public sealed partial class PostgresDialect : Dialect
{
    private readonly ConcurrentDictionary<string, string> _rendered = new(StringComparer.Ordinal);

    public static readonly PostgresDialect Instance = new();
    public override string Name => "postgres";
    public override string LimitClause => "LIMIT @Limit";

    public override string InsertReturning(string table, string columns, string values, string returnedColumn) =>
        $"INSERT INTO {table} ({columns}) VALUES ({values}) RETURNING {returnedColumn}";

    // 23505 unique_violation (PostgreSQL, Appendix A: error codes); a primary key's violation has the same code.
    public override bool IsUniqueViolation(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    /// <summary>
    /// Dapper expands <c>IN @List</c> into one parameter per item, except where the provider has arrays: with Npgsql it
    /// sends the list as one array parameter, and <c>IN $1</c> is a syntax error. PostgreSQL's form for an array is
    /// <c>= ANY(@List)</c> (and <c>&lt;&gt; ALL</c> for NOT IN), which also keeps one plan for every length of list.
    /// </summary>
    public override string Render(string sql) => _rendered.GetOrAdd(sql, static text =>
        ListParameter().Replace(text, m => (m.Groups["not"].Success ? "<> ALL(@" : "= ANY(@") + m.Groups["name"].Value + ")"));

    [GeneratedRegex(@"\b(?<not>NOT\s+)?IN\s+@(?<name>\w+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ListParameter();
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
