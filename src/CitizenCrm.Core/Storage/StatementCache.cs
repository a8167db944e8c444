using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;

namespace CitizenCrm.Core.Storage;

/// <summary>
/// Group commit's one long-lived SQLite connection, keeping every statement it runs prepared for the next time.
/// Microsoft.Data.Sqlite prepares a command's SQL (sqlite3_prepare_v2) once per SqliteCommand object, and Dapper makes a
/// new command for every call, so each command's dozen statements were parsed and planned again every time, inside the
/// serial section every write waits for (docs/PERFORMANCE.md, issue 15). Here a command handed to Dapper is a thin
/// front: when it runs, it borrows the prepared SqliteCommand kept for its SQL text, binds its own parameters to it,
/// and gives it back when Dapper disposes the front.
/// <para>One user at a time: group commit runs its members one after another on this connection.</para>
/// </summary>
internal sealed class StatementCachingConnection(SqliteConnection inner) : DbConnection
{
    /// <summary>
    /// SQL texts are constants in the code, but a few are built (a filter, a list expanded by Dapper): past this many
    /// distinct texts a statement is prepared, run and finalized as before, so the cache never grows without end.
    /// </summary>
    internal const int MaxStatements = 256;

    private readonly Dictionary<string, SqliteCommand> _idle = new(StringComparer.Ordinal);

    /// <summary>Statements prepared since the connection opened (for tests and profiles).</summary>
    internal int Prepared { get; private set; }

    /// <summary>Prepared statements kept, waiting for their next use.</summary>
    internal int Kept => _idle.Count;

    internal SqliteCommand Borrow(string sql)
    {
        if (_idle.Remove(sql, out var kept)) return kept;
        Prepared++;
        return new SqliteCommand(sql, inner);
    }

    internal void GiveBack(SqliteCommand command)
    {
        command.Parameters.Clear();
        command.Transaction = null;
        if (_idle.Count < MaxStatements && _idle.TryAdd(command.CommandText, command)) return;
        command.Dispose();
    }

    protected override DbCommand CreateDbCommand() => new CachedStatement(this);

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => inner.BeginTransaction(isolationLevel);

    [AllowNull]
    public override string ConnectionString
    {
        get => inner.ConnectionString;
        set => throw new NotSupportedException("The connection string of an open shared connection does not change.");
    }

    public override string Database => inner.Database;
    public override string DataSource => inner.DataSource;
    public override string ServerVersion => inner.ServerVersion;
    public override ConnectionState State => inner.State;
    public override void ChangeDatabase(string databaseName) => inner.ChangeDatabase(databaseName);
    public override void Open() => inner.Open();
    public override void Close() => inner.Close();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var command in _idle.Values) command.Dispose();
            _idle.Clear();
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    /// <summary>What Dapper creates and fills; the prepared statement is borrowed only while it runs.</summary>
    private sealed class CachedStatement(StatementCachingConnection owner) : DbCommand
    {
        private StatementParameters? _parameters;
        private SqliteCommand? _running;

        [AllowNull] public override string CommandText { get; set; } = "";
        public override int CommandTimeout { get; set; } = 30;
        public override CommandType CommandType
        {
            get => CommandType.Text;
            set { if (value != CommandType.Text) throw new NotSupportedException("SQLite runs text commands only."); }
        }
        public override bool DesignTimeVisible { get; set; }
        public override UpdateRowSource UpdatedRowSource { get; set; }
        protected override DbConnection? DbConnection { get => owner; set { } }
        protected override DbTransaction? DbTransaction { get; set; }
        protected override DbParameterCollection DbParameterCollection => _parameters ??= new StatementParameters();
        protected override DbParameter CreateDbParameter() => new SqliteParameter();
        public override void Cancel() => _running?.Cancel();
        public override void Prepare() { }

        private SqliteCommand Bind()
        {
            if (_running is not null) throw new InvalidOperationException("This command is already running.");
            var command = _running = owner.Borrow(CommandText);
            command.Transaction = (SqliteTransaction?)DbTransaction;
            command.CommandTimeout = CommandTimeout;
            if (_parameters is not null)
                foreach (SqliteParameter p in _parameters) command.Parameters.Add(p);
            return command;
        }

        // Statements that hand back a value are finished when they return: the borrowed statement goes back at once.
        private T Run<T>(Func<SqliteCommand, T> run)
        {
            var command = Bind();
            try { return run(command); }
            finally { Release(); }
        }

        private async Task<T> RunAsync<T>(Func<SqliteCommand, Task<T>> run)
        {
            var command = Bind();
            try { return await run(command); }
            finally { Release(); }
        }

        private void Release()
        {
            if (_running is null) return;
            var command = _running;
            _running = null;
            owner.GiveBack(command);
        }

        public override int ExecuteNonQuery() => Run(c => c.ExecuteNonQuery());
        public override object? ExecuteScalar() => Run(c => c.ExecuteScalar());
        public override Task<int> ExecuteNonQueryAsync(CancellationToken ct) => RunAsync(c => c.ExecuteNonQueryAsync(ct));
        public override Task<object?> ExecuteScalarAsync(CancellationToken ct) => RunAsync(c => c.ExecuteScalarAsync(ct));

        // A reader keeps its statement until the reader is done; Dapper disposes the reader before the command, and the
        // statement goes back when the command is disposed.
        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => Bind().ExecuteReader(behavior);

        protected override async Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken ct) =>
            await Bind().ExecuteReaderAsync(behavior, ct);

        protected override void Dispose(bool disposing)
        {
            if (disposing) Release();
            base.Dispose(disposing);
        }
    }

    /// <summary>The parameters Dapper adds, held until the statement is borrowed (SqliteParameterCollection's constructor is for subclasses).</summary>
    private sealed class StatementParameters : SqliteParameterCollection;
}
