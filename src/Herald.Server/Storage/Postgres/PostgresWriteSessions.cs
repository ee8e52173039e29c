using Npgsql;

namespace Herald.Server.Storage.Postgres;

/// <summary>
/// PostgreSQL's write transactions, each on a connection of <see cref="PostgresDatabase.TakeWriteConnectionAsync"/>: the
/// last one used, while it is kept. A transaction chosen as a deadlock's victim is rolled back whole and run again (up to
/// three times), so its work must only write, and answer from what it wrote.
/// </summary>
public sealed class PostgresWriteSessions(PostgresDatabase database) : IWriteSessions
{
    public async Task<T> WriteAsync<T>(Func<WriteSession, Task<T>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var connection = await database.TakeWriteConnectionAsync(cancellationToken);
            var committed = false;
            try
            {
                T result;
                await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
                {
                    var session = new PostgresWriteSession(connection, transaction, database.Partitions);
                    result = await work(session);
                    await session.CommitAsync(cancellationToken);
                }
                committed = true;
                return result;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < 3)
            {
            }
            finally
            {
                await database.GiveBackAsync(connection, committed);
            }
        }
    }
}
