using Microsoft.Data.Sqlite;

namespace Herald.Server.Storage.Sqlite;

/// <summary>
/// One connection held for the database's writes (registered once, so every feature's writes share it), used by one writer at a time, with its statements compiled once and kept.
/// SQLite lets one writer in at a time anyway; what the lane saves is the rest: a pooled connection's page cache is
/// dropped whenever another connection has committed since its last use, so every write on it reads its b-tree pages
/// again, and every command compiles its SQL again. The lane's connection made the last commit itself most of the
/// time, so its cache stays valid, and its statements are compiled once for the life of the connection.
/// Should a piece of work fail, the connection is closed and the next one starts on a fresh one.
/// </summary>
public sealed class SqliteWriteLane(SqliteDatabase database) : IAsyncDisposable
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private Session? _session;
    private bool _disposed;

    /// <summary>Runs <paramref name="work"/> alone on the lane's connection, in a <c>BEGIN IMMEDIATE</c> transaction it commits after.</summary>
    public Task<T> WriteAsync<T>(Func<Session, Task<T>> work, CancellationToken cancellationToken) =>
        RunAsync(async session =>
        {
            await using var transaction = session.Connection.BeginTransaction(deferred: false);
            session.Transaction = transaction;
            try
            {
                var result = await work(session);
                await transaction.CommitAsync(cancellationToken);
                return result;
            }
            finally
            {
                session.Transaction = null;
            }
        }, cancellationToken);

    /// <summary>Runs <paramref name="work"/> alone on the lane's connection without a transaction: each statement commits on its own.</summary>
    public async Task<T> RunAsync<T>(Func<Session, Task<T>> work, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _session ??= new Session(await database.OpenAsync(cancellationToken));
            try
            {
                return await work(_session);
            }
            catch
            {
                // The connection's state after a failure (an open transaction, a statement mid-step) is not worth
                // reasoning about: the next turn opens a fresh one.
                await _session.DisposeAsync();
                _session = null;
                throw;
            }
        }
        finally
        {
            _turn.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _turn.WaitAsync();
        try
        {
            _disposed = true;
            if (_session is not null)
            {
                await _session.DisposeAsync();
                _session = null;
            }
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>The lane's connection during one turn, and the statements compiled on it so far.</summary>
    public sealed class Session(SqliteConnection connection) : WriteSession, IAsyncDisposable
    {
        private readonly Dictionary<string, Statement> _statements = new(StringComparer.Ordinal);

        public SqliteConnection Connection { get; } = connection;

        /// <summary>The turn's transaction, when it runs in one.</summary>
        public SqliteTransaction? Transaction { get; internal set; }

        /// <summary>
        /// The statement for <paramref name="sql"/>, compiled on first use, with one parameter per name in the order
        /// given; its parameter values are whatever the last use left and are meant to be set before each run.
        /// </summary>
        public Statement Prepare(string sql, params string[] parameterNames)
        {
            if (!_statements.TryGetValue(sql, out var statement))
            {
                var command = Connection.CreateCommand();
                command.CommandText = sql;
                var parameters = new SqliteParameter[parameterNames.Length];
                for (var i = 0; i < parameterNames.Length; i++)
                {
                    parameters[i] = command.Parameters.Add(new SqliteParameter(parameterNames[i], DBNull.Value));
                }
                statement = new Statement(command, parameters);
                _statements.Add(sql, statement);
            }
            statement.Command.Transaction = Transaction;
            return statement;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var statement in _statements.Values)
            {
                await statement.Command.DisposeAsync();
            }
            _statements.Clear();
            await Connection.DisposeAsync();
        }
    }

    /// <summary>A compiled command and its parameters, in the order they were named.</summary>
    public sealed record Statement(SqliteCommand Command, SqliteParameter[] Parameters)
    {
        /// <summary>Sets every parameter, in order; null becomes SQL NULL.</summary>
        public Statement Bind(params object?[] values)
        {
            for (var i = 0; i < Parameters.Length; i++)
            {
                Parameters[i].Value = values[i] ?? DBNull.Value;
            }
            return this;
        }
    }
}
