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

    public const string HowToRunOnPostgres =
        "Set CITIZENCRM_POSTGRES to a PostgreSQL server where tests may create databases, e.g. " +
        "CITIZENCRM_POSTGRES='Host=127.0.0.1;Port=5432;Username=postgres' (README, \"Tests that need a real server or a browser\").";

    public static DatabaseProvider Suite { get; } = ReadSuite();

    public static bool OnPostgres => Suite == DatabaseProvider.Postgres;

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
        if (provider == DatabaseProvider.SqlServer)
            throw new InvalidOperationException($"{SuiteVariable}=SqlServer: the suite does not run on SQL Server; see the README.");
        if (provider == DatabaseProvider.Postgres && PostgresServer is null)
            throw new InvalidOperationException($"{SuiteVariable}=Postgres needs {PostgresVariable}. {HowToRunOnPostgres}");
        return provider;
    }

    public static string PostgresConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(PostgresServer) { Database = database }.ConnectionString;

    /// <summary>One data folder, one database: a test that restarts the server on the same folder finds its data.</summary>
    public static string PostgresDatabaseFor(string dataFolder) =>
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
        NpgsqlConnection.ClearAllPools(); // CREATE DATABASE … TEMPLATE refuses while anyone is connected to the template
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Drop(name); } catch (NpgsqlException) { } };
        return name;
    });

    /// <summary>Creates the folder's database from the migrated template, unless it exists already.</summary>
    public static void CreatePostgres(string database)
    {
        using var admin = OpenAdmin();
        using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @n", admin);
        exists.Parameters.AddWithValue("n", database);
        if (exists.ExecuteScalar() is not null) return;
        using var create = new NpgsqlCommand($"CREATE DATABASE {database} TEMPLATE {Template.Value}", admin);
        create.ExecuteNonQuery();
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
            _ => new NpgsqlParameter(),
        };
        command.ParameterName = name;
        command.Value = value ?? DBNull.Value;
        parameters.Add(command);
        return command;
    }
}
