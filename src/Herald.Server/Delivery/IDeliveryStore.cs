using Herald.Server.Http;
using Herald.Server.Storage;

namespace Herald.Server.Delivery;

/// <summary>
/// The durable queue: the only code that writes <c>delivery_jobs</c>. Writes that belong with other features' rows
/// (a job with its event, a job's end with the event's new state) take the caller's <see cref="WriteSession"/>.
/// </summary>
public interface IDeliveryStore
{
    /// <summary>
    /// Writes the jobs within the session; answers their ids, in order, once the session has sent the write (on
    /// PostgreSQL with the commit, unless <paramref name="chain"/>). With <paramref name="chain"/>, each job waits
    /// (is not claimable) until the job written before it is gone, so they run one after the other in the given order
    /// whatever the workers' concurrency.
    /// </summary>
    Task<Later<IReadOnlyList<long>>> EnqueueAsync(WriteSession session, IReadOnlyList<DeliveryJob> jobs, bool chain, CancellationToken cancellationToken);

    /// <summary>
    /// Leases due jobs whose lease is free or expired and that wait for no other job, as many and in the order
    /// <paramref name="room"/> allows (<see cref="ClaimRoom"/>). A job whose lease ran out
    /// <see cref="DeliveryOptions.MaxLeaseExpiries"/> times is removed instead, and answered as given up: the caller ends
    /// its event in the same session.
    /// </summary>
    Task<ClaimedJobs> ClaimDueAsync(WriteSession session, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, ClaimRoom room, CancellationToken cancellationToken);

    /// <summary>
    /// Ends or reschedules the completions' jobs within the session. Returns, per completion, whether its lease was
    /// still held; a job whose lease was lost is left to its new owner.
    /// </summary>
    Task<IReadOnlyList<bool>> CompleteAsync(WriteSession session, IReadOnlyList<JobCompletion> completions, CancellationToken cancellationToken);

    /// <summary>
    /// Ends or reschedules the completions' jobs within the session as <see cref="CompleteAsync"/> does, assuming that
    /// every lease is still held: nothing needs an answer before the commit. When a lease was lost after all, the
    /// session's transaction fails (<see cref="IsLeaseLost"/>) and writes nothing.
    /// </summary>
    Task CompleteHeldAsync(WriteSession session, IReadOnlyList<JobCompletion> completions, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="error"/> is the failure of <see cref="CompleteHeldAsync"/> when a lease was lost.</summary>
    bool IsLeaseLost(Exception error);

    /// <summary>Extends the owner's leases on the given jobs.</summary>
    Task RenewAsync(string owner, IReadOnlyCollection<long> jobIds, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>Gives the owner's jobs back, due at <paramref name="dueAt"/>, without counting an attempt.</summary>
    Task ReleaseAsync(string owner, IReadOnlyCollection<long> jobIds, DateTimeOffset dueAt, CancellationToken cancellationToken);

    /// <summary>Whether a job of the event is still in the queue (due, scheduled or running).</summary>
    Task<bool> HasJobAsync(WebhookEventId eventId, CancellationToken cancellationToken);

    /// <summary>Jobs not yet finished (for tests and operators): total, and how many are leased right now.</summary>
    Task<(int Pending, int Leased)> CountAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
