using Herald.Server.Events;
using Herald.Server.Storage;

namespace Herald.Server.Delivery;

/// <summary>
/// Records finished attempts through the node's group commit (<see cref="GroupCommit"/>), in the same transaction as
/// the other writes gathered meanwhile (new events with their jobs): the job's end or new due time (Delivery), and the
/// attempt row and the event's new state (Events). An outcome counts as recorded only after the commit that holds it.
/// </summary>
public sealed class OutcomeWriter
{
    private readonly GroupCommit _commit;
    private readonly GroupWrite<JobCompletion, bool> _completions;

    public OutcomeWriter(IDeliveryStore store, IEventWriter events, GroupCommit commit)
    {
        _commit = commit;
        _completions = new GroupWrite<JobCompletion, bool>(async (session, completions, cancellationToken) =>
        {
            var held = await store.CompleteAsync(session, completions, cancellationToken);
            // The attempt is recorded even when the lease was lost: it was made. The event is left to the job's new owner.
            var attempts = completions.Where(c => c.Attempt is not null).Select(c => c.Attempt!).ToList();
            if (attempts.Count > 0)
            {
                await events.AddAttemptsAsync(session, attempts, cancellationToken);
            }
            var updates = completions.Where((_, i) => held[i]).Select(c => c.Event).ToList();
            if (updates.Count > 0)
            {
                await events.UpdateAsync(session, updates, cancellationToken);
            }
            return held;
        });
    }

    /// <summary>Records the completion; true when the lease was still held (the event and job changed).</summary>
    public Task<bool> CompleteAsync(JobCompletion completion) => _commit.WriteAsync(_completions, completion);
}
