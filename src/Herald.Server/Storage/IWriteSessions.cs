namespace Herald.Server.Storage;

/// <summary>
/// Opens write transactions on the configured engine. Registered once per database, so every feature's writes share
/// it (on SQLite: one held connection, <see cref="Sqlite.SqliteWriteLane"/>, with its compiled statements).
/// </summary>
public interface IWriteSessions
{
    /// <summary>Runs <paramref name="work"/> in one transaction and commits it; nothing of it is written when it throws.</summary>
    Task<T> WriteAsync<T>(Func<WriteSession, Task<T>> work, CancellationToken cancellationToken);
}
