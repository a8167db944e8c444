using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using CitizenCrm.Core.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CitizenCrm.Tests.Infrastructure;

/// <summary>
/// Which database the suite runs on. SQLite by default; with CITIZENCRM_SUITE_DATABASE=Postgres every test app gets its
/// own database on the server named by CITIZENCRM_POSTGRES, created from a template the migrations built once per run.
/// </summary>
public static class TestDatabases
{
    public const string SuiteVariable = "CITIZENCRM_SUITE_DATABASE";
    public const string PostgresVariable = "CITIZENCRM_POSTGRES";
    public const string SqlServerVariable = "CITIZENCRM_SQLSERVER";

    public const string HowToRunOnPostgres =
        "Set CITIZENCRM_POSTGRES to a PostgreSQL server where tests may create databases, e.g. " +
        "CITIZENCRM_POSTGRES='Host=127.0.0.1;Port=5432;Username=postgres' (README, \"Tests that need a real server or a browser\").";

    public static DatabaseProvider Suite { get; } = ReadSuite();

    public static bool OnPostgres => Suite == DatabaseProvider.Postgres;
    public static bool OnSqlServer => Suite == DatabaseProvider.SqlServer;

    public static string? SqlServerServer =>
        Environment.GetEnvironmentVariable(SqlServerVariable) is { Length: > 0 } s ? s : null;

    /// <summary>The server's connection string, or null when no PostgreSQL server is configured.</summary>
    public static string? PostgresServer =>
        Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } s ? s : null;

    /// <summary>For tests that need PostgreSQL itself: the server, or the test is reported skipped with how to run it.</summary>
    public static string RequirePostgres() => PostgresServer ?? IgnoreWith(HowToRunOnPostgres);

    private static string IgnoreWith(string message)
    {
        Assert.Ignore(message);
        return "";
    }

    private static DatabaseProvider ReadSuite()
    {
        var value = Environment.GetEnvironmentVariable(SuiteVariable);
        if (string.IsNullOrWhiteSpace(value)) return DatabaseProvider.Sqlite;
        if (!Enum.TryParse<DatabaseProvider>(value, ignoreCase: true, out var provider))
            throw new InvalidOperationException($"{SuiteVariable} must be Sqlite or Postgres, not '{value}'.");
        if (provider == DatabaseProvider.SqlServer && SqlServerServer is null)
            throw new InvalidOperationException($"{SuiteVariable}=SqlServer needs {SqlServerVariable}: a SQL Server connection string whose login may create databases.");
        if (provider == DatabaseProvider.Postgres && PostgresServer is null)
            throw new InvalidOperationException($"{SuiteVariable}=Postgres needs {PostgresVariable}. {HowToRunOnPostgres}");
        return provider;
    }

    /// <summary>The connection string of a test database on the suite's server database.</summary>
    public static string ServerConnectionString(string database) => OnSqlServer
        ? new Microsoft.Data.SqlClient.SqlConnectionStringBuilder(SqlServerServer) { InitialCatalog = database }.ConnectionString
        : PostgresConnectionString(database);

    public static void CreateServerDatabase(string database)
    {
        if (!OnSqlServer) { CreatePostgres(database); return; }
        // No template database on SQL Server: each test database is created and migrated (slow, and only run by hand).
        using (var master = new Microsoft.Data.SqlClient.SqlConnection(
                   new Microsoft.Data.SqlClient.SqlConnectionStringBuilder(SqlServerServer) { InitialCatalog = "master" }.ConnectionString))
        {
            master.Open();
            using var create = master.CreateCommand();
            create.CommandText = $"IF DB_ID('{database}') IS NULL BEGIN CREATE DATABASE {database}; ALTER DATABASE {database} SET READ_COMMITTED_SNAPSHOT ON; END";
            create.ExecuteNonQuery();
        }
        var options = Microsoft.Extensions.Options.Options.Create(new DatabaseOptions
        {
            Provider = DatabaseProvider.SqlServer,
            ConnectionString = ServerConnectionString(database),
        });
        new Migrator(new SqlServerDatabase(options), NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    public static DbConnection OpenServerDatabase(string database)
    {
        if (!OnSqlServer) return OpenPostgres(database);
        var connection = new Microsoft.Data.SqlClient.SqlConnection(ServerConnectionString(database));
        connection.Open();
        return connection;
    }

    public static void DropServerDatabase(string database)
    {
        if (!OnSqlServer) { Drop(database); return; }
        Microsoft.Data.SqlClient.SqlConnection.ClearAllPools();
        using var master = new Microsoft.Data.SqlClient.SqlConnection(
            new Microsoft.Data.SqlClient.SqlConnectionStringBuilder(SqlServerServer) { InitialCatalog = "master" }.ConnectionString);
        master.Open();
        using var drop = master.CreateCommand();
        drop.CommandText = $"IF DB_ID('{database}') IS NOT NULL BEGIN ALTER DATABASE {database} SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE {database}; END";
        drop.ExecuteNonQuery();
    }

    /// <summary>
    /// The order rows were written in, for a test's own reading of a table without a sequence (the outbox, whose rows
    /// written together share their instant): SQLite's rowid; on PostgreSQL the row's place in the heap, which follows
    /// insertion in a small test table as long as no row was updated.
    /// </summary>
    public static string InsertionOrder => OnPostgres ? "ctid" : "rowid";

    /// <summary>A test's own SQL as the suite's database takes it (Dapper's IN @List is = ANY(@List) on PostgreSQL).</summary>
    public static string Render(string sql) =>
        OnPostgres ? PostgresDialect.Instance.Render(sql) : OnSqlServer ? SqlServerDialect.Instance.Render(sql) : sql;

    public static string PostgresConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(PostgresServer) { Database = database }.ConnectionString;

    /// <summary>One data folder, one database: a test that restarts the server on the same folder finds its data.</summary>
    public static string ServerDatabaseFor(string dataFolder) =>
        "citizencrm_t_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(dataFolder))))[..20];

    private static readonly Lazy<string> Template = new(() =>
    {
        var name = $"citizencrm_tpl_{Environment.ProcessId}_{Guid.NewGuid():N}"[..40];
        AdminExecute($"CREATE DATABASE {name}");
        var options = Microsoft.Extensions.Options.Options.Create(new DatabaseOptions
        {
            Provider = DatabaseProvider.Postgres,
            ConnectionString = PostgresConnectionString(name),
        });
        var database = new PostgresDatabase(options);
        new Migrator(database, NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
        database.DisposeAsync().AsTask().GetAwaiter().GetResult();
        using (var template = OpenPostgres(name))
        using (var catalogue = new NpgsqlCommand(SqliteCatalogue, (NpgsqlConnection)template))
            catalogue.ExecuteNonQuery();
        NpgsqlConnection.ClearAllPools(); // CREATE DATABASE … TEMPLATE refuses while anyone is connected to the template
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Drop(name); } catch (NpgsqlException) { } };
        return name;
    });

    /// <summary>
    /// Test scaffolding only, in the test databases and never in a migration: the data-protection tests check the export
    /// and the erasure against the schema itself, read from SQLite's catalogue (sqlite_master, pragma_table_info,
    /// pragma_foreign_key_list) and comparing ids as upper-case text. These views and functions answer the same questions
    /// from PostgreSQL's information_schema, so the same checks hold the PostgreSQL schema to the same rules.
    /// </summary>
    private const string SqliteCatalogue = """
        CREATE VIEW sqlite_master AS
            SELECT CASE WHEN t.table_type = 'VIEW' THEN 'view' ELSE 'table' END AS type, t.table_name::text AS name, t.table_name::text AS tbl_name
            FROM information_schema.tables t WHERE t.table_schema = 'public' AND t.table_name <> 'sqlite_master';
        CREATE FUNCTION pragma_table_info(t text) RETURNS TABLE (cid bigint, name text, type text, "notnull" bigint, dflt_value text, pk bigint)
        LANGUAGE sql STABLE AS $$
            SELECT (c.ordinal_position - 1)::bigint, c.column_name::text, c.data_type::text,
                   CASE WHEN c.is_nullable = 'NO' THEN 1 ELSE 0 END::bigint, c.column_default::text, 0::bigint
            FROM information_schema.columns c WHERE c.table_schema = 'public' AND c.table_name = t ORDER BY c.ordinal_position
        $$;
        CREATE FUNCTION pragma_foreign_key_list(t text) RETURNS TABLE (id bigint, seq bigint, "table" text, "from" text, "to" text)
        LANGUAGE sql STABLE AS $$
            SELECT 0::bigint, 0::bigint, ccu.table_name::text, kcu.column_name::text, ccu.column_name::text
            FROM information_schema.table_constraints tc
            JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
            JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema
            WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = 'public' AND tc.table_name = t
        $$;
        CREATE FUNCTION upper(uuid) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT upper($1::text) $$;
        CREATE COLLATION nocase FROM "C";
        """;

    /// <summary>Creates the folder's database from the migrated template, unless it exists already.</summary>
    public static void CreatePostgres(string database)
    {
        using var admin = OpenAdmin();
        using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @n", admin);
        exists.Parameters.AddWithValue("n", database);
        if (exists.ExecuteScalar() is not null) return;
        using var create = new NpgsqlCommand($"CREATE DATABASE {database} TEMPLATE {Template.Value}", admin);
        create.ExecuteNonQuery();
        Created.Add(database);
    }

    // A database made for a folder a test gave (a restart on the same folder) has no one owner to drop it: the run does.
    private static readonly System.Collections.Concurrent.ConcurrentBag<string> Created = CleanUpAtExit();

    private static System.Collections.Concurrent.ConcurrentBag<string> CleanUpAtExit()
    {
        var created = new System.Collections.Concurrent.ConcurrentBag<string>();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var database in created)
                try { Drop(database); } catch (NpgsqlException) { }
        };
        return created;
    }

    public static void Drop(string database) => AdminExecute($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");

    public static DbConnection OpenPostgres(string database)
    {
        var connection = new NpgsqlConnection(PostgresConnectionString(database) + ";Pooling=false");
        connection.Open();
        return connection;
    }

    private static NpgsqlConnection OpenAdmin()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(PostgresServer) { Database = "postgres", Pooling = false }.ConnectionString);
        connection.Open();
        return connection;
    }

    private static void AdminExecute(string sql)
    {
        using var admin = OpenAdmin();
        using var command = new NpgsqlCommand(sql, admin);
        command.ExecuteNonQuery();
    }
}

public static class DbParameterExtensions
{
    /// <summary>SqliteParameterCollection's and NpgsqlParameterCollection's AddWithValue, for a connection of either.</summary>
    public static DbParameter AddWithValue(this DbParameterCollection parameters, string name, object? value)
    {
        var command = parameters switch
        {
            Microsoft.Data.Sqlite.SqliteParameterCollection => (DbParameter)new Microsoft.Data.Sqlite.SqliteParameter(),
            Microsoft.Data.SqlClient.SqlParameterCollection => new Microsoft.Data.SqlClient.SqlParameter(),
            _ => new NpgsqlParameter(),
        };
        command.ParameterName = name;
        command.Value = value ?? DBNull.Value;
        parameters.Add(command);
        return command;
    }
}

public static class DbKeys
{
    /// <summary>
    /// A GUID as a parameter of a test's own SQL: Microsoft.Data.Sqlite stores GUIDs as upper-case text, so on SQLite
    /// the text; on PostgreSQL the uuid itself (a text parameter against a uuid column is an error there).
    /// </summary>
    public static object Key(Guid id) => TestDatabases.Suite == DatabaseProvider.Sqlite ? id.ToString().ToUpperInvariant() : id;
}

public static class Sabotage
{
    /// <summary>
    /// A trigger that makes the database refuse an INSERT into <paramref name="table"/> (where <paramref name="when"/>
    /// holds, written over NEW), for the tests of what a failure inside a transaction leaves behind: SQLite's RAISE(ABORT)
    /// or a PL/pgSQL function raising the same message.
    /// </summary>
    public static string RefuseInsert(string name, string table, string? when, string message) => TestDatabases.OnPostgres
        ? $"""
           CREATE FUNCTION {name}_refuses() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN IF {when ?? "TRUE"} THEN RAISE EXCEPTION '{message}'; END IF; RETURN NEW; END $$;
           CREATE TRIGGER {name} BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION {name}_refuses();
           """
        : $"CREATE TRIGGER {name} BEFORE INSERT ON {table}{(when is null ? "" : " WHEN " + when)} BEGIN SELECT RAISE(ABORT, '{message}'); END";

    /// <summary>Removes a trigger made by <see cref="RefuseInsert"/> (PostgreSQL names a trigger within its table).</summary>
    public static string Remove(string name, string table) =>
        TestDatabases.OnPostgres ? $"DROP TRIGGER {name} ON {table}" : $"DROP TRIGGER {name}";
}
