using System.Data.Common;

namespace CitizenCrm.Core.Storage;

/// <summary>
/// The one seam where the databases differ: row limits, identity columns and error codes.
/// Handlers write portable SQL and ask the dialect only for these.
/// </summary>
public abstract class Dialect
{
    /// <summary>Folder name under sql/ holding this dialect's migrations.</summary>
    public abstract string Name { get; }

    /// <summary>Clause that ends an ORDER BY query to return at most @Limit rows.</summary>
    public abstract string LimitClause { get; }

    /// <summary>Appends "return the generated key" to an INSERT (RETURNING or OUTPUT).</summary>
    public abstract string InsertReturning(string table, string columns, string values, string returnedColumn);

    public abstract bool IsUniqueViolation(DbException exception);

    /// <summary>
    /// The statement as this database must receive it. Handlers write one text (SQLite's and PostgreSQL's common SQL);
    /// a dialect whose syntax differs (SQL Server: TOP and OFFSET/FETCH for LIMIT, OUTPUT for RETURNING) rewrites it
    /// here, once per text. Every statement the unit of work runs passes through this.
    /// </summary>
    public virtual string Render(string sql) => sql;

    /// <summary>
    /// True where one writer runs at a time (SQLite: every command's transaction holds the one write lock from its first
    /// statement). On a server database two commands read the same row at once, and one that must see the other's
    /// result first takes the row's lock.
    /// </summary>
    public virtual bool SerializesWriters => false;
}

public sealed class SqliteDialect : Dialect
{
    public override bool SerializesWriters => true;

    public static readonly SqliteDialect Instance = new();
    public override string Name => "sqlite";
    public override string LimitClause => "LIMIT @Limit";

    public override string InsertReturning(string table, string columns, string values, string returnedColumn) =>
        $"INSERT INTO {table} ({columns}) VALUES ({values}) RETURNING {returnedColumn}";

    // SQLITE_CONSTRAINT (19) with the extended codes for UNIQUE (2067) and PRIMARY KEY (1555).
    public override bool IsUniqueViolation(DbException exception) =>
        exception is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 };
}
