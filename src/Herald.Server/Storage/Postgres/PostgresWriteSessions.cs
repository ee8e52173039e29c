using Npgsql;

namespace Herald.Server.Storage.Postgres;

/// <summary>
/// PostgreSQL's write transactions: a pooled connection each. A transaction chosen as a deadlock's victim is rolled
/// back whole and run again (up to three times), so its work must only write, and answer from what it wrote.
/// </summary>
public sealed class PostgresWriteSessions(PostgresDatabase database) : IWriteSessions
{
    public async Task<T> WriteAsync<T>(Func<WriteSession, Task<T>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                var session = new PostgresWriteSession(connection, transaction, database.Partitions);
                var result = await work(session);
                await session.CommitAsync(cancellationToken);
                return result;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < 3)
            {
            }
        }
    }
}
