using CitizenCrm.Core.Storage;
using CitizenCrm.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CitizenCrm.Tests.Storage;

public sealed class StorageTests
{
    private CrmTestApp _app = null!;

    [SetUp]
    public void SetUp()
    {
        _app = new CrmTestApp();
        _ = _app.Server; // start: migrations run
    }

    [TearDown]
    public void TearDown() => _app.Dispose();

    [Test]
    public async Task Connections_use_wal_foreign_keys_a_busy_timeout_and_full_sync_by_default()
    {
        await using var connection = await _app.Services.GetRequiredService<IDatabase>().OpenAsync(CancellationToken.None);

        Assert.That(await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode"), Is.EqualTo("wal"));
        Assert.That(await connection.ExecuteScalarAsync<long>("PRAGMA foreign_keys"), Is.EqualTo(1));
        Assert.That(await connection.ExecuteScalarAsync<long>("PRAGMA synchronous"), Is.EqualTo(2), "2 = FULL");
        Assert.That(await connection.ExecuteScalarAsync<long>("PRAGMA busy_timeout"), Is.EqualTo(10_000));
    }

    [Test]
    public async Task A_failing_migration_leaves_the_database_as_it_was()
    {
        var migrator = _app.Services.GetRequiredService<Migrator>();
        var before = await migrator.AppliedAsync(CancellationToken.None);
        var broken = new Migrator.Migration(9001, "9001_broken.sql",
            "CREATE TABLE half_done (id INTEGER); INSERT INTO half_done VALUES (1); INSERT INTO no_such_table VALUES (1);");

        Assert.That(async () => await migrator.MigrateAsync([broken], CancellationToken.None),
            Throws.InvalidOperationException.With.Message.Contains("9001_broken.sql"));

        Assert.That(await migrator.AppliedAsync(CancellationToken.None), Is.EqualTo(before));
        await using var connection = await _app.Services.GetRequiredService<IDatabase>().OpenAsync(CancellationToken.None);
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sqlite_master WHERE name = 'half_done'"), Is.EqualTo(0));
    }

    [Test]
    public async Task Every_shipped_migration_is_applied_once_and_a_second_run_does_nothing()
    {
        var migrator = _app.Services.GetRequiredService<Migrator>();

        var again = await migrator.MigrateAsync(CancellationToken.None);

        Assert.That(again, Is.Empty);
        Assert.That(await migrator.AppliedAsync(CancellationToken.None), Is.EqualTo(migrator.Available().Select(m => m.Version)));
    }
}
