namespace Herald.Server.Http;

/// <summary>
/// A write transaction's <c>COMMIT</c> was sent, and the connection was lost (or timed out) before the database's answer
/// came: the transaction may have been committed or not, and only the rows themselves could tell. It is never written
/// again in the same form, which could write it twice; its callers hear this error (a 503, with the advice to send the
/// request again with its Idempotency-Key), and what they wrote is left as the database has it.
/// </summary>
public sealed class CommitInDoubtException(Exception lost)
    : Exception("The connection to the database was lost after the transaction's COMMIT was sent: whether it was committed is unknown", lost);
