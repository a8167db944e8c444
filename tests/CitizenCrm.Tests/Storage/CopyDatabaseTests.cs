using CitizenCrm.Core.Common;
using CitizenCrm.Core.DemoCity;
using CitizenCrm.Server.Cli;
using CitizenCrm.Tests.Infrastructure;
using CitizenCrm.Tests.Phone;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace CitizenCrm.Tests.Storage;

/// <summary>
/// copy-database: a SQLite demo city copied to PostgreSQL answers the same, byte for byte, as the SQLite city it came from
/// (issue 13's done-when), and a copy that fails leaves the target empty.
/// </summary>
[Category("Postgres")]
public sealed class CopyDatabaseTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 12, 8, 0, 0, TimeSpan.Zero); // a Tuesday, 11:00 in Alba Iulia

    private readonly List<string> _folders = [];
    private readonly List<string> _databases = [];

    [TearDown]
    public async Task CleanUp()
    {
        SqliteConnection.ClearAllPools();
        foreach (var folder in _folders)
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        foreach (var database in _databases) await PostgresTestDatabases.DropAsync(database);
        _folders.Clear();
        _databases.Clear();
    }

    private string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "citizencrm-tests", "copydb-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        _folders.Add(folder);
        return folder;
    }

    private async Task<string> NewDatabase()
    {
        var (name, connectionString) = await PostgresTestDatabases.CreateAsync();
        _databases.Add(name);
        return connectionString;
    }

    /// <summary>
    /// A demo city of 100 citizens built by a SQLite server, then taken as a consistent snapshot (SQLite's backup API) into
    /// a folder of its own with the PIN key beside it, as an operator's stopped server leaves its data folder.
    /// </summary>
    private async Task<(string Folder, DemoCityReport Report)> SqliteCity()
    {
        var folder = NewFolder();
        var buildFolder = NewFolder();
        using var builder = Track(new CrmTestApp(dataFolder: buildFolder, settings: OnSqlite(buildFolder), clock: new DemoClock(new FakeTimeProvider(Now))));
        DemoCityReport report;
        await using (var scope = builder.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<RequestContext>().SystemActor = "demo-city";
            var generator = ActivatorUtilities.CreateInstance<DemoCityGenerator>(scope.ServiceProvider);
            report = await generator.GenerateAsync(seed: 13, citizenCount: 100, eventCount: 2_500, CancellationToken.None);
        }
        using (var source = new SqliteConnection($"Data Source={builder.DatabaseFile};Pooling=False"))
        using (var snapshot = new SqliteConnection($"Data Source={Path.Combine(folder, "citizencrm.db")};Pooling=False"))
        {
            source.Open();
            snapshot.Open();
            source.BackupDatabase(snapshot);
        }
        File.Copy(Path.Combine(builder.DataFolder, "phone-pin.key"), Path.Combine(folder, "phone-pin.key"));
        return (folder, report);
    }

    private static Task<int> CopyDatabaseVerb(string folder, string connectionString) =>
        CommandLine.RunAsync(["copy-database", "--to-provider", "Postgres", "--to", connectionString, $"--Database:DataFolder={folder}"]);

    /// <summary>
    /// The database named here whatever CITIZENCRM_SUITE_DATABASE says: this test compares a SQLite server with a
    /// PostgreSQL one. (On a suite run on PostgreSQL, CrmTestApp still makes a database of its own, unused here: dropped in CleanUp.)
    /// </summary>
    private CrmTestApp Server(string folder, string? postgres) =>
        Track(new CrmTestApp(dataFolder: folder, settings: TwilioPhone.Settings(postgres is null ? OnSqlite(folder) : new()
        {
            ["Database:Provider"] = "Postgres",
            ["Database:ConnectionString"] = postgres,
        }), clock: new FakeTimeProvider(Now)));

    private static Dictionary<string, string?> OnSqlite(string folder)
    {
        var settings = new Dictionary<string, string?> { ["Database:Provider"] = "Sqlite" };
        // A suite run on PostgreSQL gives every app a PostgreSQL connection string; only another string replaces it
        // (a null one binds as empty, which SQLite would open as a temporary database).
        if (TestDatabases.OnPostgres) settings["Database:ConnectionString"] = $"Data Source={Path.Combine(folder, "citizencrm.db")}";
        return settings;
    }

    private CrmTestApp Track(CrmTestApp app)
    {
        if (app.PostgresDatabase is { } unused) _databases.Add(unused);
        return app;
    }

    [Test]
    public async Task A_sqlite_demo_city_copied_to_postgres_answers_timelines_and_a_phone_call_byte_for_byte()
    {
        var postgres = await NewDatabase();
        var (sqliteFolder, report) = await SqliteCity();

        Assert.That(await CopyDatabaseVerb(sqliteFolder, postgres), Is.EqualTo(0));
        var postgresFolder = NewFolder();
        // The PINs are HMACs under this key: without the same key on the PostgreSQL nodes no citizen's PIN would work.
        File.Copy(Path.Combine(sqliteFolder, "phone-pin.key"), Path.Combine(postgresFolder, "phone-pin.key"));

        List<(Guid Id, long[] Seqs)> citizens;
        using (var db = new SqliteConnection($"Data Source={Path.Combine(sqliteFolder, "citizencrm.db")};Pooling=False"))
        {
            // Guids as parameters: Microsoft.Data.Sqlite stores them as upper-case text, and binds a Guid the same way.
            var ids = db.Query<string>("SELECT id FROM citizens ORDER BY id").Select(Guid.Parse).ToList();
            citizens = ids.Select(id => (id, db.Query<long>("SELECT seq FROM timeline_events WHERE citizen_id = @id ORDER BY seq", new { id }).ToArray())).ToList();
        }
        Assert.That(citizens, Has.Count.EqualTo(100), "the demo city has exactly 100 citizens: all of them are compared");

        using var onSqlite = Server(sqliteFolder, postgres: null);
        using var onPostgres = Server(postgresFolder, postgres);
        var sqliteClerk = await onSqlite.ClientFor(StaffRole.Clerk);
        var postgresClerk = await onPostgres.ClientFor(StaffRole.Clerk);

        var differences = new List<string>();
        var deepPagesUnlikeFirst = 0;
        var eventsCompared = 0;
        foreach (var (id, seqs) in citizens)
        {
            // Ten a page, so that the deep page (before the citizen's middle event) is a page of its own.
            var first = $"/api/citizens/{id}/timeline?limit=10";
            var deep = $"/api/citizens/{id}/timeline?limit=10&before={(seqs.Length == 0 ? long.MaxValue : seqs[seqs.Length / 2])}";
            var (firstSqlite, firstPostgres) = (await Body(sqliteClerk, first), await Body(postgresClerk, first));
            var (deepSqlite, deepPostgres) = (await Body(sqliteClerk, deep), await Body(postgresClerk, deep));
            Compare(first, firstSqlite, firstPostgres, differences);
            Compare(deep, deepSqlite, deepPostgres, differences);
            if (deepSqlite != firstSqlite) deepPagesUnlikeFirst++;
            eventsCompared += Math.Min(10, seqs.Length) + Math.Min(10, seqs.Length / 2);
        }
        Assert.That(differences, Is.Empty);
        Assert.That(deepPagesUnlikeFirst, Is.GreaterThan(50), "most citizens have more than ten events, so their deep page is another page");
        Assert.That(eventsCompared, Is.GreaterThan(1_000));

        // The same call (same CallSid, same keys) to both: greeting, Romanian, CNP, PIN, taxes, main menu, goodbye.
        var citizen = report.DemoCitizens.First(d => d.Phone is not null);
        var callSid = "CA" + "13c0ffee13c0ffee13c0ffee13c0ffee";
        var keys = new[] { "1", citizen.Cnp + "#", citizen.Pin, "1", "1", "2" };
        var sqliteCall = await Play(new TwilioPhone(onSqlite.CreateClient(), callSid, citizen.Phone!), keys);
        var postgresCall = await Play(new TwilioPhone(onPostgres.CreateClient(), callSid, citizen.Phone!), keys);
        for (var i = 0; i < sqliteCall.Count; i++) Compare($"call reply {i}", sqliteCall[i], postgresCall[i], differences);
        Assert.That(differences, Is.Empty);
        using var calls = new SqliteConnection($"Data Source={onSqlite.DatabaseFile};Pooling=False");
        Assert.That(calls.Query<string>("SELECT kind FROM timeline_events WHERE correlation = @callSid", new { callSid }),
            Does.Contain("ivr.identity_verified"), "the PIN made under the key the copy carried over was accepted");
    }

    private static async Task<string> Body(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), $"{url}: {body}");
        return body;
    }

    private static async Task<List<string>> Play(TwilioPhone call, string[] keys)
    {
        var replies = new List<string> { (await call.Dial()).Xml };
        foreach (var key in keys) replies.Add((await call.Press(key)).Xml);
        return replies;
    }

    /// <summary>Names the first differing character and a little of each side, rather than two whole pages.</summary>
    private static void Compare(string what, string sqlite, string postgres, List<string> differences)
    {
        if (sqlite == postgres) return;
        var at = 0;
        while (at < Math.Min(sqlite.Length, postgres.Length) && sqlite[at] == postgres[at]) at++;
        string Around(string s) => s.Substring(Math.Max(0, at - 60), Math.Min(s.Length, at + 60) - Math.Max(0, at - 60));
        differences.Add($"{what}: differ at character {at}\n  SQLite:     ...{Around(sqlite)}...\n  PostgreSQL: ...{Around(postgres)}...");
    }

    [Test]
    public async Task The_copy_keeps_the_timeline_append_only_moves_the_sequences_and_refuses_a_second_copy()
    {
        var postgres = await NewDatabase();
        var (folder, _) = await SqliteCity();
        Assert.That(await CopyDatabaseVerb(folder, postgres), Is.EqualTo(0));

        long sqliteEvents, sqliteHighWater;
        using (var db = new SqliteConnection($"Data Source={Path.Combine(folder, "citizencrm.db")};Pooling=False"))
        {
            sqliteEvents = db.ExecuteScalar<long>("SELECT COUNT(*) FROM timeline_events");
            sqliteHighWater = db.ExecuteScalar<long>("SELECT seq FROM sqlite_sequence WHERE name = 'timeline_events'");
        }
        await using var target = new NpgsqlConnection(postgres);
        await target.OpenAsync();
        Assert.That(await target.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM timeline_events"), Is.EqualTo(sqliteEvents));
        Assert.That(await target.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM timeline_details"), Is.EqualTo(sqliteEvents));
        // The copy's inserts went past the append-only triggers (they guard UPDATE and DELETE only), which still stand.
        Assert.ThrowsAsync<PostgresException>(() => target.ExecuteAsync("UPDATE timeline_events SET kind = kind WHERE seq = (SELECT MIN(seq) FROM timeline_events)"));
        Assert.ThrowsAsync<PostgresException>(() => target.ExecuteAsync("DELETE FROM timeline_events WHERE seq = (SELECT MIN(seq) FROM timeline_events)"));
        // The next event gets the number after SQLite's last one, so the paging cursor never repeats.
        Assert.That(await target.ExecuteScalarAsync<long>("SELECT nextval(pg_get_serial_sequence('timeline_events', 'seq'))"), Is.EqualTo(sqliteHighWater + 1));

        var citizens = await target.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM citizens");
        Assert.That(await CopyDatabaseVerb(folder, postgres), Is.EqualTo(1), "the target already holds a city");
        Assert.That(await target.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM citizens"), Is.EqualTo(citizens));
    }

    [Test]
    public async Task A_copy_that_fails_halfway_leaves_the_target_empty()
    {
        var postgres = await NewDatabase();
        var (folder, _) = await SqliteCity();
        // A staff row whose id is not a GUID: staff_users comes after citizens in the copy (both have no parents; by name),
        // so the citizens are already in the target's transaction when it fails.
        using (var db = new SqliteConnection($"Data Source={Path.Combine(folder, "citizencrm.db")};Pooling=False"))
            db.Execute("INSERT INTO staff_users (id, username, display_name, role, password_hash, disabled, created_at, password_changed_at) " +
                       "VALUES ('not-a-guid', 'broken', 'Broken', 'clerk', 'x', 0, 0, 0)");

        Assert.That(await CopyDatabaseVerb(folder, postgres), Is.EqualTo(1));

        await using var target = new NpgsqlConnection(postgres);
        await target.OpenAsync();
        Assert.That(await target.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM citizens"), Is.Zero);
        Assert.That(await target.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM timeline_events"), Is.Zero);
        Assert.That(await target.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_version"), Is.GreaterThan(0), "the migrations stay: they ran before the copy");
    }

    [Test]
    public async Task The_copy_refuses_while_a_server_has_the_sqlite_database_open()
    {
        var postgres = await NewDatabase();
        var (folder, _) = await SqliteCity();
        using (var server = Server(folder, postgres: null))
        {
            await server.ClientFor(StaffRole.Clerk); // the server has the file open (its pool keeps the connection)
            Assert.That(await CopyDatabaseVerb(folder, postgres), Is.EqualTo(1));
        }
        await using var target = new NpgsqlConnection(postgres);
        await target.OpenAsync();
        Assert.That(await target.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'citizens'"), Is.Zero,
            "refused before the target was touched");
    }
}

/// <summary>Databases of their own on the PostgreSQL server named by CITIZENCRM_POSTGRES, for the tests that need PostgreSQL itself.</summary>
internal static class PostgresTestDatabases
{
    public const string HowToRun =
        "Needs a PostgreSQL server where tests may create and drop databases: " +
        "CITIZENCRM_POSTGRES=\"Host=127.0.0.1;Port=55432;Username=postgres\" dotnet test tests/CitizenCrm.Tests --filter Category=Postgres";

    public static string Server =>
        Environment.GetEnvironmentVariable("CITIZENCRM_POSTGRES") is { Length: > 0 } server ? server : throw new IgnoreException(HowToRun);

    public static async Task<(string Name, string ConnectionString)> CreateAsync(string prefix = "copydb")
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 13)];
        await using (var admin = new NpgsqlConnection(Server))
        {
            await admin.OpenAsync();
            await admin.ExecuteAsync($"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'");
        }
        return (name, new NpgsqlConnectionStringBuilder(Server) { Database = name }.ToString());
    }

    public static async Task DropAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(Server);
        await admin.OpenAsync();
        await admin.ExecuteAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    }
}
