namespace Herald.Server.Storage.Sqlite;

/// <summary>SQLite's write transactions: turns on the database's one write lane, each a <c>BEGIN IMMEDIATE</c> transaction.</summary>
public sealed class SqliteWriteSessions(SqliteWriteLane lane) : IWriteSessions
{
    public Task<T> WriteAsync<T>(Func<WriteSession, Task<T>> work, CancellationToken cancellationToken) =>
        lane.WriteAsync<T>(session => work(session), cancellationToken);
}
