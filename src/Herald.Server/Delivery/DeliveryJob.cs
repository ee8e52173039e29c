using Herald.Server.Events;

namespace Herald.Server.Delivery;

/// <summary>
/// The queue row: one pending piece of delivery work. A worker owns it while <see cref="LeaseOwner"/> names it and
/// <see cref="LeaseUntil"/> is in the future; an expired lease may be claimed by anyone.
/// </summary>
public sealed record DeliveryJob(
    long JobId,
    string EventId,
    string OrgId,
    string ConfigId,
    JobKind Kind,
    int Attempt,
    bool ReapplyTransform,
    DateTimeOffset DueAt,
    string? LeaseOwner,
    DateTimeOffset? LeaseUntil,
    int Reclaims);

/// <summary>
/// The event's new state after an attempt (or after the pipeline decided no attempt is needed). <see cref="Payload"/>
/// is in its stored form (<see cref="Events.StoredPayload"/>), null to keep the stored one.
/// </summary>
public sealed record EventUpdate(
    EventStatus Status,
    int RetryAttempt,
    string? Payload,
    string? OriginalPayload,
    string? HttpResponse,
    DateTimeOffset? StartDate,
    DateTimeOffset? EndDate);

/// <summary>
/// How a claimed job ends: the attempt to record (if one was made), the event's new state, and either a time for
/// the next retry or, when null, the job's removal. Applied only while the completer still holds the lease.
/// </summary>
public sealed record JobCompletion(DeliveryJob Job, string Owner, EventUpdate Event, DeliveryAttempt? Attempt, DateTimeOffset? RetryAt);

/// <summary>A new event and the job that will deliver it, written in one transaction.</summary>
public sealed record NewDelivery(Events.EventRecord Event, DeliveryJob Job);

/// <summary>A replay to queue for an event already in the log.</summary>
public sealed record ReplayJob(string EventId, string OrgId, string ConfigId, bool ReapplyTransform);

/// <summary>The durable queue: events and their jobs go in together; workers claim, renew, complete and release.</summary>
public interface IDeliveryStore
{
    /// <summary>Writes every event with its job in one transaction: all are accepted, or none. Returns the job ids, in order.</summary>
    Task<IReadOnlyList<long>> EnqueueAsync(IReadOnlyList<NewDelivery> deliveries, CancellationToken cancellationToken);

    /// <summary>
    /// Like <see cref="EnqueueAsync"/>, in one transaction with claiming the idempotency key for the claim's answer.
    /// When the key already holds an unexpired answer nothing is written and that answer is returned instead of job ids.
    /// </summary>
    Task<(IReadOnlyList<long>? JobIds, Idempotency.StoredAnswer? Earlier)> EnqueueOnceAsync(
        IReadOnlyList<NewDelivery> deliveries, Idempotency.IdempotencyClaim claim, CancellationToken cancellationToken);

    /// <summary>
    /// Queues one <see cref="JobKind.Replay"/> job per replay, due at <paramref name="dueAt"/>, in one transaction and
    /// as a chain: each job waits (is not claimable) until the job queued before it is gone, so the replays run one
    /// after the other in the given order whatever the workers' concurrency. A replay whose event is not in the log
    /// (under that organization and config) gets no job. Returns the event ids that got one, in order.
    /// </summary>
    Task<IReadOnlyList<string>> EnqueueReplaysAsync(IReadOnlyList<ReplayJob> replays, DateTimeOffset dueAt, CancellationToken cancellationToken);

    /// <summary>
    /// Leases up to <paramref name="max"/> due jobs whose lease is free or expired and that wait for no other job,
    /// oldest due first.
    /// </summary>
    Task<IReadOnlyList<DeliveryJob>> ClaimDueAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken);

    /// <summary>The stored events of the given jobs in one read, by event id; an event that is gone (or belongs to another organization) is absent.</summary>
    Task<IReadOnlyDictionary<string, Events.EventRecord>> EventsOfAsync(IReadOnlyList<DeliveryJob> jobs, CancellationToken cancellationToken);

    /// <summary>Extends the owner's leases on the given jobs.</summary>
    Task RenewAsync(string owner, IReadOnlyCollection<long> jobIds, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>Gives the owner's jobs back, due at <paramref name="dueAt"/>, without counting an attempt.</summary>
    Task ReleaseAsync(string owner, IReadOnlyCollection<long> jobIds, DateTimeOffset dueAt, CancellationToken cancellationToken);

    /// <summary>
    /// Applies completions in one transaction. Returns, per completion, whether its lease was still held; a lost lease
    /// records the attempt but leaves the event and the job to their new owner.
    /// </summary>
    Task<IReadOnlyList<bool>> CompleteAsync(IReadOnlyList<JobCompletion> completions, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="EnqueueAsync"/> and <see cref="CompleteAsync"/> in one transaction: the group commit of the node's
    /// new events and finished attempts. Either all of it is written, or none.
    /// </summary>
    Task<(IReadOnlyList<long> JobIds, IReadOnlyList<bool> Held)> WriteAsync(
        IReadOnlyList<NewDelivery> deliveries, IReadOnlyList<JobCompletion> completions, CancellationToken cancellationToken);

    /// <summary>Jobs not yet finished (for tests and operators): total, and how many are leased right now.</summary>
    Task<(int Pending, int Leased)> CountAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
