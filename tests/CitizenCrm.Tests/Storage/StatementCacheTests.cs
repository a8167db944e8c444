using CitizenCrm.Core.Storage;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace CitizenCrm.Tests.Storage;

/// <summary>
/// Group commit's connection keeps its statements prepared (Core/Storage/StatementCache.cs). Dapper runs against it as
/// against any connection; these tests check that a statement is prepared once, that different parameters give
/// different answers, and that a statement that failed is usable again.
/// </summary>
[Category("SqliteOnly")] // SQLite's own machinery; the PostgreSQL run leaves it out (.ci/run)
public sealed class StatementCacheTests
{
    private string _folder = null!;
    private StatementCachingConnection _connection = null!;

    [SetUp]
    public async Task SetUp()
    {
        _folder = Path.Combine(Path.GetTempPath(), "citizencrm-statements-" + Guid.NewGuid().ToString("N"));
        var database = new SqliteDatabase(Options.Create(new DatabaseOptions { DataFolder = _folder }));
        _connection = new StatementCachingConnection((SqliteConnection)await database.OpenAsync(CancellationToken.None));
        await _connection.ExecuteAsync("CREATE TABLE notes (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, body TEXT NOT NULL)");
    }

    [TearDown]
    public async Task TearDown()
    {
        await _connection.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private const string Insert = "INSERT INTO notes (key, body) VALUES (@Key, @Body)";
    private const string Find = "SELECT body FROM notes WHERE key = @Key";

    [Test]
    public async Task A_statement_run_many_times_is_prepared_once_and_binds_each_runs_own_parameters()
    {
        var preparedBefore = _connection.Prepared;
        await using (var tx = await _connection.BeginTransactionAsync())
        {
            for (var i = 0; i < 50; i++)
                await _connection.ExecuteAsync(Insert, new { Key = $"k{i}", Body = $"note {i}" }, tx);
            await tx.CommitAsync();
        }
        for (var i = 0; i < 50; i += 7)
            Assert.That(await _connection.QuerySingleAsync<string>(Find, new { Key = $"k{i}" }), Is.EqualTo($"note {i}"));

        Assert.That(_connection.Prepared - preparedBefore, Is.EqualTo(2), "one INSERT and one SELECT, each prepared once");
        Assert.That(await _connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM notes"), Is.EqualTo(50));
    }

    [Test]
    public async Task A_statement_that_failed_runs_again_and_the_failure_left_nothing_behind()
    {
        await _connection.ExecuteAsync(Insert, new { Key = "same", Body = "first" });

        var failure = Assert.ThrowsAsync<SqliteException>(() => _connection.ExecuteAsync(Insert, new { Key = "same", Body = "second" }));
        Assert.That(failure!.SqliteErrorCode, Is.EqualTo(19), "SQLITE_CONSTRAINT: the key is unique");

        await _connection.ExecuteAsync(Insert, new { Key = "other", Body = "third" });
        var rows = (await _connection.QueryAsync<(string Key, string Body)>("SELECT key, body FROM notes ORDER BY key")).AsList();
        Assert.That(rows, Is.EqualTo(new[] { ("other", "third"), ("same", "first") }));
    }

    [Test]
    public async Task A_reader_still_open_keeps_its_statement_so_the_same_query_inside_it_gets_another()
    {
        await _connection.ExecuteAsync(Insert, new { Key = "a", Body = "alpha" });
        await _connection.ExecuteAsync(Insert, new { Key = "b", Body = "beta" });
        const string Keys = "SELECT key FROM notes WHERE key >= @From ORDER BY key";

        await using (var outer = _connection.CreateCommand())
        {
            outer.CommandText = Keys;
            var from = outer.CreateParameter();
            from.ParameterName = "@From";
            from.Value = "a";
            outer.Parameters.Add(from);
            await using var reader = await outer.ExecuteReaderAsync();
            var seen = new List<string>();
            while (await reader.ReadAsync())
            {
                var key = reader.GetString(0);
                seen.Add(key + ":" + string.Join(",", await _connection.QueryAsync<string>(Keys, new { From = key })));
            }
            Assert.That(seen, Is.EqualTo(new[] { "a:a,b", "b:b" }));
        }

        Assert.That(await _connection.QueryAsync<string>(Keys, new { From = "b" }), Is.EqualTo(new[] { "b" }));
    }

    [Test]
    public async Task Past_the_limit_statements_are_finalized_after_use_and_the_cache_stops_growing()
    {
        for (var i = 0; i < StatementCachingConnection.MaxStatements + 40; i++)
            Assert.That(await _connection.ExecuteScalarAsync<long>($"SELECT {i} + @One", new { One = 1 }), Is.EqualTo(i + 1));

        Assert.That(_connection.Kept, Is.EqualTo(256));
    }
}
