using System.Data.Common;
using System.Diagnostics.Metrics;
using System.Runtime.ExceptionServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace CitizenCrm.Core.Storage;

/// <summary>
/// Group commit for SQLite. With synchronous=FULL every commit waits for an fsync of the write-ahead log, and SQLite has
/// one writer: concurrent commands used to queue on the disk, one fsync each. Here the commands that arrive while one
/// batch is open run one after another in that batch's transaction, each in its own savepoint, and the batch commits
/// once, with one fsync, when nobody else is waiting (or it is full).
/// <list type="bullet">
/// <item>A command that fails rolls back to its savepoint: only its own work is undone; the others in the batch commit.</item>
/// <item>Every caller, succeeded or failed, is answered only after the batch's commit is durable, so no answer ever
///   depends on work that a crash could still undo (a 409 "already registered" about a row not yet on disk, say).</item>
/// <item>Work runs in arrival order on one connection, so registration counters, idempotency keys and the timeline's
///   seq see each other exactly as they did with one transaction each: numbers stay gapless, retries find their
///   first result, and seq order is commit order.</item>
/// </list>
/// The work runs on the caller's own async flow (its logging scope, its request's services); only the connection and
/// transaction are shared. While a batch is open, other writers outside it (bulk imports, the demo city) wait on
/// SQLite's write lock as they would for any transaction.
/// </summary>
public sealed class GroupCommit(IDatabase database, ILogger<GroupCommit> logger) : IAsyncDisposable
{
    /// <summary>
    /// The most commands one batch holds. Each member waits for the work of every later member of its batch before its
    /// answer (its commit comes at the end), so an unbounded batch under steady load would trade latency for nothing:
    /// the fsync is paid once either way. Measured in docs/PERFORMANCE.md.
    /// </summary>
    public const int MaxMembers = 64;

    private static readonly Meter Meter = new("CitizenCrm.Storage");
    private static readonly Counter<long> BatchesCommitted = Meter.CreateCounter<long>("citizencrm.group_commit.batches", description: "Transactions committed by group commit");
    private static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>("citizencrm.group_commit.batch_size", description: "Commands per committed batch");

    private readonly SemaphoreSlim _gate = new(1, 1);
    private int _waiting;
    private Batch? _open;
    private DbConnection? _connection;
    private long _batches;
    private long _members;

    /// <summary>Batches committed since start (for tests and counters).</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Commands committed in those batches, failed ones included.</summary>
    public long Members => Interlocked.Read(ref _members);

    /// <summary>Callers inside or waiting to enter a batch.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    private sealed class Batch(DbConnection connection, DbTransaction transaction)
    {
        public DbConnection Connection { get; } = connection;
        public DbTransaction Transaction { get; } = transaction;
        public int Members { get; set; }
        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public async Task<T> RunAsync<T>(UnitOfWork uow, Func<Task<T>> work, CancellationToken ct)
    {
        Interlocked.Increment(ref _waiting);
        // Never cancelled while waiting: a caller that left the queue could leave a batch open with nobody to commit it.
        await _gate.WaitAsync(CancellationToken.None);
        Batch? batch = null;
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        try
        {
            ct.ThrowIfCancellationRequested();
            batch = _open ??= await StartAsync(ct);
            batch.Members++;
            await ExecuteAsync(batch, Savepoint, ct);
            uow.Join(batch.Connection, batch.Transaction);
            try
            {
                result = await work();
                await ExecuteAsync(batch, Release, CancellationToken.None);
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
                await UndoAsync(batch, e);
            }
            finally
            {
                uow.Leave();
            }
        }
        catch (Exception e) when (failure is null)
        {
            // Before the work ran: cancelled, or the batch could not start.
            failure = ExceptionDispatchInfo.Capture(e);
        }
        finally
        {
            var nobodyWaiting = Interlocked.Decrement(ref _waiting) == 0;
            if (_open is { } open && (nobodyWaiting || open.Members >= MaxMembers))
            {
                _open = null;
                await CommitAsync(open);
            }
            _gate.Release();
        }

        if (batch is not null)
        {
            // A failed command waits for its batch too (see the summary); its own failure is what it reports.
            try { await batch.Committed.Task; }
            catch when (failure is not null) { }
        }
        failure?.Throw();
        return result;
    }

    // Members run one after another, never nested, so one savepoint name serves them all, and its three statements stay
    // prepared on the shared connection like every other.
    private const string Savepoint = "SAVEPOINT member";
    private const string Release = "RELEASE member";
    private const string RollBack = "ROLLBACK TO member";

    private static async Task ExecuteAsync(Batch batch, string sql, CancellationToken ct)
    {
        await using var command = batch.Connection.CreateCommand();
        command.Transaction = batch.Transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }

    private async Task<Batch> StartAsync(CancellationToken ct)
    {
        _connection ??= await database.OpenAsync(ct) switch
        {
            SqliteConnection sqlite => new StatementCachingConnection(sqlite),
            var other => other,
        };
        try
        {
            return new Batch(_connection, await _connection.BeginTransactionAsync(ct));
        }
        catch
        {
            await DropConnectionAsync();
            throw;
        }
    }

    /// <summary>
    /// Rolls back to the failed command's savepoint. SQLite rolls back a whole transaction by itself on a few errors
    /// (disk full, I/O error, out of memory); then the savepoint is gone, the batch is lost, and its earlier members are
    /// told so: a command sent with an Idempotency-Key can be retried safely.
    /// </summary>
    private async Task UndoAsync(Batch batch, Exception cause)
    {
        try
        {
            await ExecuteAsync(batch, RollBack, CancellationToken.None);
            await ExecuteAsync(batch, Release, CancellationToken.None);
        }
        catch (DbException e)
        {
            logger.LogError(e, "A batch of {Members} commands was lost after a command failed with {Error}; its members are told to retry", batch.Members, cause.GetType().Name);
            _open = null;
            batch.Committed.TrySetException(new BatchLostException(cause));
            try { await batch.Transaction.DisposeAsync(); } catch (DbException) { }
            await DropConnectionAsync();
        }
    }

    private async Task CommitAsync(Batch batch)
    {
        try
        {
            await batch.Transaction.CommitAsync(CancellationToken.None);
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _members, batch.Members);
            BatchesCommitted.Add(1);
            BatchSize.Record(batch.Members);
            batch.Committed.TrySetResult();
        }
        catch (Exception e)
        {
            logger.LogError(e, "A batch of {Members} commands could not be committed; its members are told to retry", batch.Members);
            batch.Committed.TrySetException(new BatchLostException(e));
            await DropConnectionAsync();
        }
        finally
        {
            await batch.Transaction.DisposeAsync();
        }
    }

    private async Task DropConnectionAsync()
    {
        if (_connection is null) return;
        try { await _connection.DisposeAsync(); } catch (DbException) { }
        _connection = null;
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try { await DropConnectionAsync(); }
        finally { _gate.Release(); }
    }
}

/// <summary>The shared transaction a command ran in was lost before it committed; nothing of the command was kept.</summary>
public sealed class BatchLostException(Exception cause)
    : Exception("The database could not keep this change (the transaction it shared with other requests was lost). Nothing was saved; try again.", cause);
