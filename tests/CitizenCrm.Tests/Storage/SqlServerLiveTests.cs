using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Citizens;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using CitizenCrm.Tests.Infrastructure;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CitizenCrm.Tests.Storage;

/// <summary>
/// On a real SQL Server, when CITIZENCRM_SQLSERVER gives one (a login that may create and drop databases): a throw-away
/// database, the migrations, a citizen and a petition registered through the mediator, and the citizen's timeline read
/// back. CI has no SQL Server; there this reports skipped.
/// </summary>
[Category("SqlServer")]
[NonParallelizable]
public sealed class SqlServerLiveTests
{
    private string _server = null!;
    private string _database = null!;
    private string _connectionString = null!;

    [OneTimeSetUp]
    public async Task CreateDatabase()
    {
        _server = Environment.GetEnvironmentVariable("CITIZENCRM_SQLSERVER") ?? "";
        if (_server.Length == 0)
            Assert.Ignore("No SQL Server: set CITIZENCRM_SQLSERVER to a connection string whose login may create databases, e.g. " +
                          "CITIZENCRM_SQLSERVER='Server=127.0.0.1,1433;User ID=sa;Password=...;TrustServerCertificate=True' " +
                          "dotnet test tests/CitizenCrm.Tests --filter Category=SqlServer");
        _database = "citizencrm_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var master = new SqlConnection(new SqlConnectionStringBuilder(_server) { InitialCatalog = "master" }.ConnectionString))
        {
            await master.OpenAsync();
            await using var create = master.CreateCommand();
            // Row versioning for READ COMMITTED: readers do not wait for writers, as on SQLite's WAL and on PostgreSQL.
            create.CommandText = $"CREATE DATABASE [{_database}]";
            await create.ExecuteNonQueryAsync();
            create.CommandText = $"ALTER DATABASE [{_database}] SET READ_COMMITTED_SNAPSHOT ON";
            await create.ExecuteNonQueryAsync();
        }
        _connectionString = new SqlConnectionStringBuilder(_server) { InitialCatalog = _database }.ConnectionString;
    }

    [OneTimeTearDown]
    public async Task DropDatabase()
    {
        if (_connectionString is null) return;
        SqlConnection.ClearAllPools();
        await using var master = new SqlConnection(new SqlConnectionStringBuilder(_server) { InitialCatalog = "master" }.ConnectionString);
        await master.OpenAsync();
        await using var drop = master.CreateCommand();
        drop.CommandText = $"ALTER DATABASE [{_database}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{_database}];";
        await drop.ExecuteNonQueryAsync();
    }

    [Test, Order(1)]
    public async Task The_migrations_apply_and_a_second_run_finds_nothing_to_do()
    {
        var migrator = new Migrator(new SqlServerDatabase(Options.Create(new DatabaseOptions
        {
            Provider = DatabaseProvider.SqlServer,
            ConnectionString = _connectionString,
        })), NullLogger<Migrator>.Instance);

        var applied = await migrator.MigrateAsync(CancellationToken.None);

        Assert.That(applied, Has.Count.EqualTo(20));
        Assert.That(await migrator.MigrateAsync(CancellationToken.None), Is.Empty);
    }

    [Test, Order(2)]
    public async Task A_citizen_and_a_petition_registered_through_the_mediator_are_on_the_citizens_timeline()
    {
        using var app = new CrmTestApp(settings: new Dictionary<string, string?>
        {
            ["Database:Provider"] = "SqlServer",
            ["Database:ConnectionString"] = _connectionString,
        });
        var citizen = await app.Send(new RegisterCitizen("cnp", TestData.NewCnp(), new CitizenDetails("Ștefan", "Țurcanu")));
        var petition = await app.Send(new RegisterCase("petition", "desk", "Iluminat stradal pe strada Mărășești", null, citizen.Id, null, null));

        var page = await app.Send(new GetCitizenTimeline(citizen.Id, new TimelineFilter()));

        Assert.That(page.Events.Select(e => e.Kind), Is.EquivalentTo(new[] { "citizen.registered", "case.registered" }));
        Assert.That(page.Events.Single(e => e.Kind == "case.registered").CaseId, Is.EqualTo(petition.Id));
    }
}
