using System.Data.Common;
using Dapper;

namespace CitizenCrm.Core.Storage;

/// <summary>
/// One connection per scope (an HTTP request, a phone turn, a job run) and, for commands,
/// one transaction that the pipeline commits after the handler and its timeline events succeed.
/// Handlers never open connections or transactions themselves.
/// </summary>
public sealed class UnitOfWork(IDatabase database) : IAsyncDisposable
{
    private DbConnection? _connection;
    private DbTransaction? _transaction;

    public Dialect Dialect => database.Dialect;
    public bool InTransaction => _transaction is not null;

    /// <summary>The open transaction, for the few bulk paths that bind a prepared ADO.NET command themselves.</summary>
    internal DbTransaction? Transaction => _transaction;

    public async ValueTask<DbConnection> ConnectionAsync(CancellationToken ct) =>
        _connection ??= await database.OpenAsync(ct);

    /// <summary>On SQLite this is BEGIN IMMEDIATE: the write lock is taken up front, so two writers wait
    /// for each other (busy timeout) instead of failing when a read lock would need upgrading.</summary>
    public async Task BeginAsync(CancellationToken ct)
    {
        if (_transaction is not null) throw new InvalidOperationException("A transaction is already open in this unit of work.");
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
        new(sql, param, _transaction, cancellationToken: ct);

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
