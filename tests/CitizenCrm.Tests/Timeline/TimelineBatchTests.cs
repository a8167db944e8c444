using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using CitizenCrm.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CitizenCrm.Tests.Timeline;

public sealed class TimelineBatchTests
{
    private static IEnumerable<TimelineEntry> Entries(int count) => Enumerable.Range(0, count).Select(i => new TimelineEntry
    {
        Kind = "test.bulk",
        Channel = Channels.System,
        Summary = $"Bulk event {i}",
        Payload = new { i },
        DedupKey = $"test:bulk:{i}",
    });

    private static async Task<int> AppendInOneTransaction(CrmTestApp app, IEnumerable<TimelineEntry> entries)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var uow = scope.ServiceProvider.GetRequiredService<UnitOfWork>();
        var timeline = scope.ServiceProvider.GetRequiredService<CitizenCrm.Core.Timeline.Timeline>();
        return await uow.InTransactionAsync(() => timeline.AppendBatchAsync(entries, CancellationToken.None), CancellationToken.None);
    }

    [Test]
    public async Task A_batch_appends_every_event_once_and_a_repeated_batch_appends_nothing()
    {
        using var app = new CrmTestApp();

        Assert.That(await AppendInOneTransaction(app, Entries(250)), Is.EqualTo(250));
        Assert.That(await AppendInOneTransaction(app, Entries(300)), Is.EqualTo(50), "only the 50 new keys");

        using var db = app.OpenDatabase();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*), MIN(summary), MAX(payload) FROM timeline WHERE kind = 'test.bulk'";
        using var r = cmd.ExecuteReader();
        r.Read();
        Assert.That(r.GetInt64(0), Is.EqualTo(300));
        Assert.That(r.GetString(1), Is.EqualTo("Bulk event 0"));
    }

    [Test]
    public async Task A_key_repeated_inside_one_batch_is_appended_once_with_its_first_summary()
    {
        using var app = new CrmTestApp();
        // 150 entries, keys 0..99 then 0..49 again: the repeats fall in the second group of a hundred and in the first.
        var entries = Entries(100).Concat(Entries(50).Select(e => e with { Summary = "a repeat" }))
            .Concat(new[] { Entries(1).Single() with { DedupKey = "test:bulk:7", Summary = "a repeat" } });

        Assert.That(await AppendInOneTransaction(app, entries), Is.EqualTo(100));

        using var db = app.OpenDatabase();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*), COUNT(DISTINCT dedup_key), SUM(CASE WHEN summary = 'a repeat' THEN 1 ELSE 0 END), MAX(seq) - MIN(seq) FROM timeline WHERE kind = 'test.bulk'";
        using var r = cmd.ExecuteReader();
        r.Read();
        Assert.That(r.GetInt64(0), Is.EqualTo(100));
        Assert.That(r.GetInt64(1), Is.EqualTo(100));
        Assert.That(r.GetInt64(2), Is.EqualTo(0), "the first of each key is kept");
        Assert.That(r.GetInt64(3), Is.EqualTo(99), "seq has no gaps");
    }

    [Test]
    public async Task A_batch_outside_a_transaction_is_refused()
    {
        using var app = new CrmTestApp();
        await using var scope = app.Services.CreateAsyncScope();
        var timeline = scope.ServiceProvider.GetRequiredService<CitizenCrm.Core.Timeline.Timeline>();
        Assert.ThrowsAsync<InvalidOperationException>(() => timeline.AppendBatchAsync(Entries(1), CancellationToken.None));
    }
}
