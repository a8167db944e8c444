using System.Data.Common;
using CitizenCrm.Core.Citizens;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using CitizenCrm.Tests.Infrastructure;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace CitizenCrm.Tests.Storage;

[Category("SqliteOnly")] // SQLite's own machinery; the PostgreSQL run leaves it out (.ci/run)
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
/// The plans are those of the application's own statements: each test runs the real handler on a connection that records
/// what SQLite executed (sqlite3_trace gives each statement with its bound values written in), and explains exactly that.
/// </summary>
[Category("SqliteOnly")] // SQLite's own machinery; the PostgreSQL run leaves it out (.ci/run)
public sealed class QueryPlanTests : ClerkTest
{
    /// <summary>Connections to the test database that record every statement run on them.</summary>
    private sealed class RecordingDatabase(string file) : IDatabase
    {
        public List<string> Statements { get; } = [];
        public Dialect Dialect => SqliteDialect.Instance;

        public async Task<DbConnection> OpenAsync(CancellationToken ct)
        {
            var connection = new SqliteConnection($"Data Source={file};Pooling=False");
            await connection.OpenAsync(ct);
            SQLitePCL.raw.sqlite3_trace(connection.Handle, (_, statement) => { lock (Statements) Statements.Add(statement); }, null);
            return connection;
        }
    }

    /// <summary>
    /// Runs one handler on a recording connection and returns the plan of the one page statement (the one with an ORDER BY;
    /// a page's total is a separate COUNT) that reads <paramref name="readsFrom"/>.
    /// </summary>
    private async Task<(string Sql, string Plan)> PlanOf(Func<UnitOfWork, Task> run, string readsFrom)
    {
        var database = new RecordingDatabase(App.DatabaseFile);
        await using (var uow = new UnitOfWork(database))
            await run(uow);
        var sql = database.Statements.Single(s => s.Contains(readsFrom, StringComparison.Ordinal)
            && s.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase) && s.Contains("ORDER BY", StringComparison.Ordinal));

        await using var connection = new SqliteConnection($"Data Source={App.DatabaseFile};Pooling=False");
        await connection.OpenAsync();
        var rows = await connection.QueryAsync("EXPLAIN QUERY PLAN " + sql);
        return (sql, string.Join("\n", rows.Select(r => (string)((IDictionary<string, object>)r)["detail"])));
    }

    [Test]
    public async Task A_citizens_timeline_page_is_one_index_range_scan_without_a_sort()
    {
        var citizen = await Clerk.RegisterCitizen();

        var (sql, plan) = await PlanOf(uow => new GetCitizenTimelineHandler(uow)
            .Handle(new GetCitizenTimeline(citizen.Id, new TimelineFilter(), Before: 1000), CancellationToken.None).AsTask(), " FROM timeline ");

        Assert.That(sql, Does.Contain("citizen_id = ").And.Contain("seq < 1000").And.Contain("ORDER BY seq DESC"), "the statement the handler ran");
        Assert.That(plan, Does.Contain("ix_timeline_citizen"), sql);
        Assert.That(plan, Does.Not.Contain("TEMP B-TREE"), sql);
    }

    [Test]
    public async Task A_cases_history_page_is_one_index_range_scan_without_a_sort()
    {
        var (sql, plan) = await PlanOf(uow => new GetCaseHistoryHandler(uow)
            .Handle(new GetCaseHistory(Guid.NewGuid(), Before: 1000), CancellationToken.None).AsTask(), " FROM timeline ");

        Assert.That(sql, Does.Contain("case_id = "));
        Assert.That(plan, Does.Contain("ix_timeline_case"), sql);
        Assert.That(plan, Does.Not.Contain("TEMP B-TREE"), sql);
    }

    [Test]
    public async Task A_calls_events_are_one_index_range_scan_without_a_sort()
    {
        var (sql, plan) = await PlanOf(uow => new GetCallHistoryHandler(uow)
            .Handle(new GetCallHistory("CA0123456789abcdef0123456789abcdef", Before: 1000), CancellationToken.None).AsTask(), " FROM timeline ");

        Assert.That(sql, Does.Contain("correlation = 'CA0123456789abcdef0123456789abcdef'"));
        Assert.That(plan, Does.Contain("ix_timeline_correlation"), sql);
        Assert.That(plan, Does.Not.Contain("TEMP B-TREE"), sql);
    }

    [Test]
    public async Task The_feed_filtered_by_channel_is_one_index_range_scan_without_a_sort()
    {
        var (sql, plan) = await PlanOf(uow => new GetTimelineFeedHandler(uow)
            .Handle(new GetTimelineFeed(new TimelineFilter(Channel: "phone"), Before: 1000), CancellationToken.None).AsTask(), " FROM timeline ");

        Assert.That(sql, Does.Contain("channel = 'phone'"));
        Assert.That(plan, Does.Contain("ix_timeline_channel"), sql);
        Assert.That(plan, Does.Not.Contain("TEMP B-TREE"), sql);
    }

    [Test]
    public async Task A_name_search_word_is_an_index_range_on_the_folded_names()
    {
        var (sql, plan) = await PlanOf(uow => new FindCitizensHandler(uow)
            .Handle(new FindCitizens(Name: "Ștef"), CancellationToken.None).AsTask(), " FROM citizens ");

        Assert.That(sql, Does.Contain("token >= 'stef' AND token < 'stef\uffff'"), "the folded word and its prefix range");
        Assert.That(plan, Does.Contain("citizen_name_tokens USING COVERING INDEX").Or.Contain("citizen_name_tokens USING PRIMARY KEY").Or.Contain("citizen_name_tokens USING INDEX"), sql);
        Assert.That(plan, Does.Contain("token>? AND token<?"), sql);
    }

    /// <summary>
    /// The interactions report reads a range of days from the index alone (migration 0021): no lookup of each event's row.
    /// </summary>
    [Test]
    public async Task The_interactions_report_reads_its_days_from_a_covering_index()
    {
        var database = new RecordingDatabase(App.DatabaseFile);
        await using (var uow = new UnitOfWork(database))
            await new CitizenCrm.Core.Reports.GetInteractionsPerDayHandler(uow)
                .Handle(new CitizenCrm.Core.Reports.GetInteractionsPerDay(new CitizenCrm.Core.Reports.ReportFilter("2026-01-01", "2026-03-31")), CancellationToken.None);
        var sql = database.Statements.Single(s => s.Contains("GROUP BY t.channel", StringComparison.Ordinal));

        await using var connection = new SqliteConnection($"Data Source={App.DatabaseFile};Pooling=False");
        await connection.OpenAsync();
        var plan = string.Join("\n", (await connection.QueryAsync("EXPLAIN QUERY PLAN " + sql)).Select(r => (string)((IDictionary<string, object>)r)["detail"]));

        Assert.That(plan, Does.Contain("SEARCH t USING COVERING INDEX ix_timeline_events_occurred (occurred_at>? AND occurred_at<?)"), sql);
    }

    /// <summary>A page's total counts on the citizen's index alone, never a details row per event (the view's join).</summary>
    [Test]
    public async Task A_citizens_timeline_total_is_counted_on_the_index_alone()
    {
        var citizen = await Clerk.RegisterCitizen();
        var database = new RecordingDatabase(App.DatabaseFile);
        await using (var uow = new UnitOfWork(database))
            await new GetCitizenTimelineHandler(uow).Handle(new GetCitizenTimeline(citizen.Id, new TimelineFilter()), CancellationToken.None);
        var sql = database.Statements.Single(s => s.TrimStart().StartsWith("SELECT COUNT(*)", StringComparison.Ordinal) && s.Contains("timeline", StringComparison.Ordinal));

        await using var connection = new SqliteConnection($"Data Source={App.DatabaseFile};Pooling=False");
        await connection.OpenAsync();
        var plan = string.Join("\n", (await connection.QueryAsync("EXPLAIN QUERY PLAN " + sql)).Select(r => (string)((IDictionary<string, object>)r)["detail"]));

        Assert.That(plan, Is.EqualTo("SEARCH timeline_events USING COVERING INDEX ix_timeline_citizen (citizen_id=?)"), sql);
    }
}
