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

/// <summary>
/// Speed is checked by benchmarks, not timed tests; what a test can pin down is that the hot reads are one
/// index range scan with no sort, which is what keeps a page in milliseconds at ten million events.
/// </summary>
public sealed class QueryPlanTests : ClerkTest
{
    private async Task<string> PlanFor(string sql, object param)
    {
        await using var connection = await App.Services.GetRequiredService<IDatabase>().OpenAsync(CancellationToken.None);
        var rows = await connection.QueryAsync("EXPLAIN QUERY PLAN " + sql, param);
        return string.Join("\n", rows.Select(r => (string)((IDictionary<string, object>)r)["detail"]));
    }

    private const string Page = "SELECT * FROM timeline WHERE 1 = 1 AND {0} = @P AND seq < @Before ORDER BY seq DESC LIMIT 50";

    [TestCase("citizen_id", "ix_timeline_citizen")]
    [TestCase("case_id", "ix_timeline_case")]
    [TestCase("correlation", "ix_timeline_correlation")]
    [TestCase("channel", "ix_timeline_channel")]
    public async Task A_timeline_page_is_one_index_range_scan_without_a_sort(string column, string index)
    {
        var plan = await PlanFor(string.Format(System.Globalization.CultureInfo.InvariantCulture, Page, column), new { P = "x", Before = 1000 });

        Assert.That(plan, Does.Contain(index));
        Assert.That(plan, Does.Not.Contain("TEMP B-TREE"));
    }

    [Test]
    public async Task A_name_search_word_is_an_index_range_on_the_folded_names()
    {
        var plan = await PlanFor("SELECT citizen_id FROM citizen_name_tokens WHERE token >= @T AND token < @E", new { T = "stef", E = "stef\uffff" });

        Assert.That(plan, Does.Contain("USING COVERING INDEX").Or.Contain("USING PRIMARY KEY").Or.Contain("USING INDEX"));
        Assert.That(plan, Does.Contain("token>? AND token<?"));
    }
}
