using System.Globalization;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Microsoft.Data.Sqlite;
using CitizenCrm.Server.Hosting;

namespace CitizenCrm.Server.Cli;

/// <summary>copy-database: a SQLite city into PostgreSQL, the way a city that started small grows (Core/Storage/DatabaseCopy.cs).</summary>
internal static class CopyDatabase
{
    public const string Usage = "--to-provider Postgres --to \"Host=...;Database=...;Username=...\"\n" +
        "                  copy the SQLite database of the configured data folder (--Database:DataFolder=...) into a new, empty\n" +
        "                  PostgreSQL database: migrations first, then every table in one transaction. Stop the server first;\n" +
        "                  the PIN key, documents and photos are files, carried over by hand (the verb says which)";

    public static async Task<int> RunAsync(CommandLine.Options options)
    {
        var provider = options.Get("to-provider") ?? throw ValidationFailedException.For("to-provider", "Give --to-provider Postgres.");
        if (!Enum.TryParse<DatabaseProvider>(provider, ignoreCase: true, out var to) || to != DatabaseProvider.Postgres)
            throw ValidationFailedException.For("to-provider", $"copy-database copies into Postgres only, not '{provider}'.");
        var connectionString = options.Get("to") ?? throw ValidationFailedException.For("to", "Give --to with the PostgreSQL connection string (Host=...;Database=...;Username=...).");
        try
        {
            _ = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw ValidationFailedException.For("to", $"--to is not a PostgreSQL connection string: {ex.Message}");
        }

        var builder = ServerApp.CreateBuilder(options.ConfigurationArgs);
        var database = builder.Configuration.GetSection("Database").Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (database.Provider != DatabaseProvider.Sqlite)
            throw ValidationFailedException.For("Database:Provider", $"copy-database copies from SQLite; this configuration's database is {database.Provider}.");
        var sqliteFile = database.ConnectionString is { Length: > 0 } cs ? new SqliteConnectionStringBuilder(cs).DataSource : database.SqliteFile;
        if (!File.Exists(sqliteFile))
            throw new ConflictException($"There is no SQLite database at {Path.GetFullPath(sqliteFile)}: give the data folder it lives in (--Database:DataFolder=...).",
                "copy-database refused");
        await using var app = builder.Build();
        var target = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);

        Console.WriteLine($"Copying {Path.GetFullPath(sqliteFile)} into PostgreSQL database '{target.Database}' on {target.Host}:{target.Port}...");
        var copy = new DatabaseCopy(app.Services.GetRequiredService<ILoggerFactory>());
        var report = await copy.ToPostgresAsync(sqliteFile, connectionString, t =>
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {t.Table,-32} {t.Rows,12:N0} rows  {t.Elapsed.TotalSeconds,7:F1} s")),
            CancellationToken.None);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Done in {report.Elapsed.TotalSeconds:F1} s: {report.Tables.Sum(t => t.Rows):N0} rows in {report.Tables.Count} tables, committed in one transaction."));
        if (report.MigrationsApplied.Count > 0) Console.WriteLine($"Migrations applied to the target first: {report.MigrationsApplied.Count}.");
        if (report.SeededTablesReplaced.Count > 0)
            Console.WriteLine($"Rows the migrations had seeded were replaced by the city's own: {string.Join(", ", report.SeededTablesReplaced)}.");
        Console.WriteLine();
        Console.Write(CarryOver(database));
        return 0;
    }

    /// <summary>What lives beside the database, not in it, and what every node on PostgreSQL needs of it.</summary>
    internal static string CarryOver(DatabaseOptions database)
    {
        var folder = Path.GetFullPath(database.DataFolder);
        var keyFile = Path.Combine(folder, "phone-pin.key");
        var key = Environment.GetEnvironmentVariable("CITIZENCRM_PIN_KEY") is { Length: > 0 }
            ? "  - The phone PIN key comes from CITIZENCRM_PIN_KEY here: set the same value on every node.\n"
            : File.Exists(keyFile)
                ? $"  - {keyFile}: copy it into every node's data folder (or give every node its content as CITIZENCRM_PIN_KEY).\n"
                : $"  - No phone PIN key found ({keyFile}); if this city's PINs were made under another key, bring that one.\n";
        return "Not in the database, so not copied; carry these over before the nodes serve:\n" + key +
               "    The PINs are stored as HMACs under that key: a node with another key (a new one is made when none is found)\n" +
               "    rejects every citizen's PIN.\n" +
               $"  - {Path.Combine(folder, "documents")} ({Files(Path.Combine(folder, "documents"))}) and {Path.Combine(folder, "photos")} " +
               $"({Files(Path.Combine(folder, "photos"))}):\n" +
               "    every node must see the same files (a shared folder as each node's Database:DataFolder, or a copy kept in step).\n" +
               "  - Then start the server with --Database:Provider=Postgres --Database:ConnectionString=\"...\"; its job store (Quartz)\n" +
               "    is made on the first start.\n";
    }

    private static string Files(string folder) =>
        Directory.Exists(folder)
            ? string.Create(CultureInfo.InvariantCulture, $"{Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Count():N0} file(s)")
            : "none yet";
}
