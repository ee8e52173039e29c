using Herald.Server.Http;
using Herald.Server.Storage;

namespace Herald.Server.Intake;

/// <summary>
/// Where Intake hands accepted work: the port Delivery implements. The queue writes the jobs in the node's group
/// commit (<see cref="GroupCommit"/>), in the same transaction as what <c>within</c> writes before them (the events,
/// an idempotency claim), then starts what this node runs itself: a hand-over to the local worker, a run at once.
/// </summary>
public interface IJobQueue
{
    /// <summary>
    /// The one enqueue path. In one transaction, runs <paramref name="within"/> (which writes what the jobs belong to
    /// and answers which of <paramref name="requests"/> get a job: all, some, or none), then writes those jobs; with
    /// <paramref name="chain"/>, each waits until the one before it is gone. Completes after the commit with the jobs
    /// written, in order. Nothing is written when it throws.
    /// </summary>
    Task<IReadOnlyList<EnqueuedJob>> EnqueueAsync(
        IReadOnlyList<JobRequest> requests, Func<WriteSession, CancellationToken, Task<IReadOnlyList<JobRequest>>> within, bool chain);

    /// <summary>Whether a job of the event is still in the queue: not yet sent, waiting for a retry, or running.</summary>
    Task<bool> HasJobAsync(WebhookEventId eventId, CancellationToken cancellationToken);
}
