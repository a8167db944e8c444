using System.Net;
using System.Net.Http.Json;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Storage;
using CitizenCrm.Tests.Cases;
using CitizenCrm.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CitizenCrm.Tests.Storage;

/// <summary>
/// Group commit (Core/Storage/GroupCommit.cs). Each test holds a batch open with a first command that waits on the test,
/// queues others behind it, then lets it go: so the batch's members are known, not left to timing.
/// </summary>
[Category("SqliteOnly")] // SQLite's own machinery; the PostgreSQL run leaves it out (.ci/run)
public sealed class GroupCommitTests
{
    private CrmTestApp _app = null!;

    [SetUp]
    public void SetUp()
    {
        _app = new CrmTestApp();
        _ = _app.Server;
    }

    [TearDown]
    public void TearDown() => _app.Dispose();

    private const string Insert = """
        INSERT INTO idempotency_keys (scope_key, request_type, request_hash, response_json, created_at)
        VALUES (@Key, 'test', 'h', '{}', 0)
        """;

    /// <summary>Runs work as a command would: its own DI scope, the scope's unit of work, a shared commit.</summary>
    private Task<int> Command(Func<UnitOfWork, Task<int>> work) => Task.Run(async () =>
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var uow = scope.ServiceProvider.GetRequiredService<UnitOfWork>();
        return await uow.InSharedCommitAsync(() => work(uow), CancellationToken.None);
    });

    private async Task WaitUntilQueued(GroupCommit group, int callers)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (group.Waiting < callers) await Task.Delay(5, patience.Token);
    }

    private List<string> Keys()
    {
        using var db = _app.OpenDatabase();
        return db.Query<string>("SELECT scope_key FROM idempotency_keys WHERE request_type = 'test' ORDER BY scope_key").AsList();
    }

    [Test]
    public async Task A_command_that_fails_inside_a_batch_undoes_only_its_own_work_and_the_batch_commits_once()
    {
        var group = _app.Services.GetRequiredService<GroupCommit>();
        var hold = new TaskCompletionSource();
        var first = Command(async uow =>
        {
            await uow.ExecuteAsync(Insert, new { Key = "a" }, CancellationToken.None);
            await hold.Task;
            return 1;
        });
        await WaitUntilQueued(group, 1);
        var failing = Command(async uow =>
        {
            await uow.ExecuteAsync(Insert, new { Key = "b" }, CancellationToken.None);
            throw new InvalidOperationException("b fails after writing");
        });
        var third = Command(async uow => await uow.ExecuteAsync(Insert, new { Key = "c" }, CancellationToken.None));
        await WaitUntilQueued(group, 3);
        var batchesBefore = group.Batches;
        var membersBefore = group.Members;

        hold.SetResult();

        Assert.That(await first, Is.EqualTo(1));
        Assert.That(await third, Is.EqualTo(1));
        Assert.That(async () => await failing, Throws.InvalidOperationException.With.Message.EqualTo("b fails after writing"));
        Assert.That(Keys(), Is.EqualTo(new[] { "a", "c" }));
        Assert.That(group.Batches - batchesBefore, Is.EqualTo(1), "one transaction, one fsync, for the three");
        Assert.That(group.Members - membersBefore, Is.EqualTo(3));
    }

    [Test]
    public async Task No_caller_is_answered_before_the_shared_commit_that_holds_its_work_and_the_later_members()
    {
        var group = _app.Services.GetRequiredService<GroupCommit>();
        var hold = new TaskCompletionSource();
        var wrote = new TaskCompletionSource();
        var first = Command(async uow =>
        {
            await uow.ExecuteAsync(Insert, new { Key = "first" }, CancellationToken.None);
            wrote.SetResult();
            await hold.Task;
            return 1;
        });
        await wrote.Task;
        Assert.That(Keys(), Is.Empty, "another connection does not see a batch before it commits");
        var second = Command(uow => uow.ExecuteAsync(Insert, new { Key = "second" }, CancellationToken.None));
        await WaitUntilQueued(group, 2);

        hold.SetResult();
        await first;

        // The first caller's answer came after the commit, and that commit held the second's work as well.
        Assert.That(Keys(), Is.EqualTo(new[] { "first", "second" }));
        Assert.That(await second, Is.EqualTo(1));
    }

    [Test]
    public async Task Switched_off_each_command_commits_alone()
    {
        using var app = new CrmTestApp(settings: new Dictionary<string, string?> { ["Database:GroupCommit"] = "false" });
        await using var scope = app.Services.CreateAsyncScope();
        var uow = scope.ServiceProvider.GetRequiredService<UnitOfWork>();
        var group = app.Services.GetRequiredService<GroupCommit>();

        await uow.InSharedCommitAsync(() => uow.ExecuteAsync(Insert, new { Key = "alone" }, CancellationToken.None), CancellationToken.None);

        Assert.That(group.Batches, Is.EqualTo(0));
        using var db = app.OpenDatabase();
        Assert.That(db.ExecuteScalar<long>("SELECT COUNT(*) FROM idempotency_keys WHERE scope_key = 'alone'"), Is.EqualTo(1));
    }

    [Test]
    public async Task Petitions_registered_in_one_batch_get_gapless_numbers_and_a_retry_in_the_same_batch_gets_the_first_answer()
    {
        using var desk = await RegistryDesk.OpenAsync("2026-03-02 10:00");
        var citizen = await desk.NewCitizen();
        var group = desk.App.Services.GetRequiredService<GroupCommit>();
        var hold = new TaskCompletionSource();
        var holder = Task.Run(async () =>
        {
            await using var scope = desk.App.Services.CreateAsyncScope();
            var uow = scope.ServiceProvider.GetRequiredService<UnitOfWork>();
            return await uow.InSharedCommitAsync(async () => { await hold.Task; return 0; }, CancellationToken.None);
        });
        await WaitUntilQueued(group, 1);

        Task<HttpResponseMessage> Register(int i, string? key = null)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/cases")
                { Content = JsonContent.Create(new { kind = "petition", channel = "desk", subject = $"Sesizarea {i}", citizenId = citizen }) };
            if (key is not null) request.Headers.Add("Idempotency-Key", key);
            return desk.Clerk.SendAsync(request);
        }

        var registrations = Enumerable.Range(1, 10).Select(i => Register(i, i == 1 ? "desk-1-0001" : null)).ToList();
        var retry = Register(1, "desk-1-0001");
        await WaitUntilQueued(group, 12);
        var batchesBefore = group.Batches;
        hold.SetResult();
        await holder;

        var responses = await Task.WhenAll(registrations.Append(retry));
        foreach (var r in responses) Assert.That(r.StatusCode, Is.AnyOf(HttpStatusCode.Created, HttpStatusCode.OK), await r.Content.ReadAsStringAsync());
        var cases = await Task.WhenAll(responses.Select(r => r.ReadJson<CaseDetails>()));
        Assert.That(cases.Take(10).Select(c => c.Number).Order(), Is.EqualTo(new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }));
        Assert.That(cases[10].Number, Is.EqualTo(cases[0].Number), "the retry got the first registration's number");
        Assert.That(group.Batches - batchesBefore, Is.EqualTo(1));
        Assert.That(desk.Scalar("SELECT value FROM registration_counters WHERE register_code = 'general' AND year = 2026"), Is.EqualTo(10));
    }
}
