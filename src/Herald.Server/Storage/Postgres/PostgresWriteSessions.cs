using System.Net.Sockets;
using Herald.Server.Http;
using Npgsql;

namespace Herald.Server.Storage.Postgres;

/// <summary>
/// PostgreSQL's write transactions, each on a connection of <see cref="PostgresDatabase.TakeWriteConnectionAsync"/>: the
/// last one used, while it is kept. A transaction is rolled back whole and run again, up to three times in all, when it
/// was chosen as a deadlock's victim, or when it cannot have committed because its connection ended under it (the
/// server restarted or ended the session, or the connection was lost before the <c>COMMIT</c> was sent). Its work must
/// therefore only write, and answer from what it wrote. A connection lost or timed out after the <c>COMMIT</c> was sent
/// throws <see cref="CommitInDoubtException"/>: the transaction may have been committed, so it is not run again.
/// </summary>
public sealed class PostgresWriteSessions(PostgresDatabase database) : IWriteSessions
{
    private const int MaxAttempts = 3;

    public async Task<T> WriteAsync<T>(Func<WriteSession, Task<T>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var connection = await database.TakeWriteConnectionAsync(cancellationToken);
            var committed = false;
            PostgresWriteSession? session = null;
            try
            {
                T result;
                await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
                {
                    session = new PostgresWriteSession(connection, transaction, database.Partitions);
                    result = await work(session);
                    await session.CommitAsync(cancellationToken);
                }
                committed = true;
                return result;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < MaxAttempts)
            {
            }
            catch (NpgsqlException e) when (attempt < MaxAttempts && !cancellationToken.IsCancellationRequested && EndedUncommitted(e, session is { CommitSent: true }))
            {
                // The other kept connections went to the same server: most likely they ended (or were demoted) with this one.
                await database.DropKeptConnectionsAsync();
            }
            catch (NpgsqlException e) when (session is { CommitSent: true } && InDoubt(e))
            {
                await database.DropKeptConnectionsAsync();
                throw new CommitInDoubtException(e);
            }
            finally
            {
                await database.GiveBackAsync(connection, committed);
            }
        }
    }

    /// <summary>
    /// Whether the connection ended under the transaction, or leads to a server that takes no writes, in a way that
    /// leaves it certainly not committed: the server ended the session (restart, <c>pg_terminate_backend</c>,
    /// <c>idle_session_timeout</c> on a kept connection), which it reports before a <c>COMMIT</c>'s answer, never after;
    /// the session is read-only (25006: a standby, or a primary a failover demoted, reached by a kept connection while a
    /// new one may find the new primary); or the connection was lost before the <c>COMMIT</c> was sent. A connection lost
    /// after that leaves the commit in doubt, and the error goes to the caller.
    /// </summary>
    internal static bool EndedUncommitted(NpgsqlException e, bool commitSent) => e switch
    {
        PostgresException p => p.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.IdleSessionTimeout
            or PostgresErrorCodes.ReadOnlySqlTransaction,
        _ => !commitSent && e.InnerException is IOException or SocketException,
    };

    /// <summary>
    /// Whether, once the <c>COMMIT</c> was sent, the error leaves its fate unknown: the connection was lost or the answer
    /// did not come in time. The server's own errors (a constraint, a deadlock, the end of the session) are answers.
    /// </summary>
    internal static bool InDoubt(NpgsqlException e) => e is not PostgresException && e.InnerException is IOException or SocketException or TimeoutException;
}
