namespace Herald.Server.Delivery;

/// <summary>
/// A prepared job may not send now and should not wait on the node for it: its destination's breaker is open, its
/// config's rate is booked beyond <see cref="ConfigRates.Horizon"/>, the database could not serve the attempt, or the
/// node's spool has no room for its files. Its runner gives the job back to the queue, due
/// at <see cref="Until"/>, without an attempt: no attempt row, its attempt count and lease expiries unchanged.
/// </summary>
public sealed class SendDeferredException(DateTimeOffset until, string reason)
    : OperationCanceledException($"The send was deferred until {until:O} ({reason})")
{
    public DateTimeOffset Until { get; } = until;

    /// <summary>
    /// How long a job deferred for a condition of this node rather than of its destination or config (its database
    /// could not serve, its spool had no room) waits before it is due again.
    /// </summary>
    public static readonly TimeSpan NodeDelay = TimeSpan.FromSeconds(5);

    /// <summary>One of <see cref="Reasons"/>.</summary>
    public string Reason { get; } = reason;

    /// <summary>Why a send was deferred (the <c>reason</c> attribute of <c>herald.sends.deferred</c>).</summary>
    public static class Reasons
    {
        public const string Breaker = "breaker";
        public const string Rate = "rate";

        /// <summary>The attempt could not read what it needs from the database before its send.</summary>
        public const string Database = "database";

        /// <summary>The node's <c>binary_multipart</c> spools had no room for the attempt's files (<c>Files:MaxSpoolBytesPerNode</c>).</summary>
        public const string Spool = "spool";
    }
}
