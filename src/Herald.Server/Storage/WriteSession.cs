namespace Herald.Server.Storage;

/// <summary>
/// One write transaction on the configured engine, shared by the writers of several features: each feature writes
/// only its own tables, and what must commit together (an event with its job and an idempotency claim; a job's
/// completion with its event's new state and the attempt row) does, because every writer takes the same session.
/// Obtained from <see cref="IWriteSessions"/>; each engine's writers use their engine's session
/// (<see cref="Sqlite.SqliteWriteLane.Session"/>, <see cref="Postgres.PostgresWriteSession"/>).
/// </summary>
public abstract class WriteSession
{
    /// <summary>The engine's own session, or an error naming the mismatch (a writer of one engine given another's session).</summary>
    public TSession As<TSession>()
        where TSession : WriteSession =>
        this as TSession ?? throw new InvalidOperationException($"A {typeof(TSession).Name} writer was given a {GetType().Name}: the writers and the write sessions must be of the same engine");
}
