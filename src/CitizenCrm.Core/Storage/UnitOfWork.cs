using System.Data.Common;
using Dapper;

namespace CitizenCrm.Core.Storage;

/// <summary>
/// One connection per scope (an HTTP request, a phone turn, a job run) and, for commands,
/// one transaction that the pipeline commits after the handler and its timeline events succeed.
/// Handlers never open connections or transactions themselves.
/// </summary>
public sealed class UnitOfWork(IDatabase database, GroupCommit? groupCommit = null) : IAsyncDisposable
{
    private DbConnection? _connection;
    private DbTransaction? _transaction;
    // While a command runs inside a group commit's batch: the batch's connection and transaction, not this scope's own.
    private (DbConnection Connection, DbTransaction Transaction)? _joined;

    public Dialect Dialect => database.Dialect;
    public bool InTransaction => _transaction is not null || _joined is not null;

    /// <summary>The open transaction, for the few bulk paths that bind a prepared ADO.NET command themselves.</summary>
    internal DbTransaction? Transaction => _joined?.Transaction ?? _transaction;

    public async ValueTask<DbConnection> ConnectionAsync(CancellationToken ct) =>
        _joined?.Connection ?? (_connection ??= await database.OpenAsync(ct));

    /// <summary>
    /// Runs a command's work in a transaction that may be shared with concurrent commands (<see cref="GroupCommit"/>):
    /// one fsync for all of them, each undone alone if it fails, each answered after the shared commit. Without group
    /// commit (switched off, or another database) it is the scope's own transaction. Bulk work that sets its own
    /// connection's pragmas (the demo city, imports) uses <see cref="InTransactionAsync{T}"/> instead.
    /// </summary>
    public Task<T> InSharedCommitAsync<T>(Func<Task<T>> work, CancellationToken ct) =>
        InTransaction ? work() : groupCommit is not null ? groupCommit.RunAsync(this, work, ct) : InTransactionAsync(work, ct);

    internal void Join(DbConnection connection, DbTransaction transaction)
    {
        if (InTransaction) throw new InvalidOperationException("A transaction is already open in this unit of work.");
        _joined = (connection, transaction);
    }

    internal void Leave() => _joined = null;

    /// <summary>On SQLite this is BEGIN IMMEDIATE: the write lock is taken up front, so two writers wait
    /// for each other (busy timeout) instead of failing when a read lock would need upgrading.</summary>
    public async Task BeginAsync(CancellationToken ct)
    {
        if (InTransaction) throw new InvalidOperationException("A transaction is already open in this unit of work.");
        var connection = await ConnectionAsync(ct);
        _transaction = await connection.BeginTransactionAsync(ct);
    }

    public async Task CommitAsync(CancellationToken ct)
    {
        if (_transaction is null) return;
        await _transaction.CommitAsync(ct);
        await _transaction.DisposeAsync();
        _transaction = null;
    }

    public async Task RollbackAsync()
    {
        if (_transaction is null) return;
        try { await _transaction.RollbackAsync(CancellationToken.None); }
        finally
        {
            await _transaction.DisposeAsync();
            _transaction = null;
        }
    }

    /// <summary>Runs work in its own transaction (used where no command pipeline is around it).</summary>
    public async Task<T> InTransactionAsync<T>(Func<Task<T>> work, CancellationToken ct)
    {
        await BeginAsync(ct);
        try
        {
            var result = await work();
            await CommitAsync(ct);
            return result;
        }
        catch
        {
            await RollbackAsync();
            throw;
        }
    }

    private CommandDefinition Command(string sql, object? param, CancellationToken ct) =>
        new(database.Dialect.Render(sql), param, Transaction, cancellationToken: ct);

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? param, CancellationToken ct) =>
        (await (await ConnectionAsync(ct)).QueryAsync<T>(Command(sql, param, ct))).AsList();

    public async Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object? param, CancellationToken ct) =>
        await (await ConnectionAsync(ct)).QuerySingleOrDefaultAsync<T>(Command(sql, param, ct));

    public async Task<T> QuerySingleAsync<T>(string sql, object? param, CancellationToken ct) =>
        await (await ConnectionAsync(ct)).QuerySingleAsync<T>(Command(sql, param, ct));

    public async Task<T?> ExecuteScalarAsync<T>(string sql, object? param, CancellationToken ct) =>
        await (await ConnectionAsync(ct)).ExecuteScalarAsync<T>(Command(sql, param, ct));

    public async Task<int> ExecuteAsync(string sql, object? param, CancellationToken ct) =>
        await (await ConnectionAsync(ct)).ExecuteAsync(Command(sql, param, ct));

    public async ValueTask DisposeAsync()
    {
        await RollbackAsync();
        if (_connection is not null) await _connection.DisposeAsync();
        _connection = null;
    }
}
