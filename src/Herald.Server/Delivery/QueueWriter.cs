using System.Runtime.ExceptionServices;

namespace Herald.Server.Delivery;

/// <summary>
/// The node's queue writes with group commit: new events with their jobs (from triggers and fan-outs) and finished
/// attempts (from workers and sync triggers) gather while the previous write runs and go to the database together,
/// one transaction for both. A trigger is answered, and an attempt's slot considered recorded, only after the commit
/// that holds it. A group (the events of one fan-out) always lands in one transaction, whole or not at all.
/// </summary>
public sealed class QueueWriter(IDeliveryStore store, DeliverySignal signal) : IAsyncDisposable
{
    private const int MaxBatch = 256;

    private readonly BatchWriter<Write, Written> _writer = new((batch, ct) => WriteAsync(store, signal, batch, ct), MaxBatch);

    /// <summary>Completes once every event of the group and its job are committed, together; returns the job ids, in order.</summary>
    public async Task<IReadOnlyList<long>> EnqueueAsync(IReadOnlyList<NewDelivery> group) =>
        group.Count == 0 ? [] : Result(await _writer.WriteAsync(new Write(group, null))).JobIds!;

    /// <summary>Records the completion; true when the lease was still held (the event and job changed).</summary>
    public async Task<bool> CompleteAsync(JobCompletion completion) => Result(await _writer.WriteAsync(new Write(null, completion))).Held;

    private static Written Result(Written written)
    {
        if (written.Error is not null)
        {
            ExceptionDispatchInfo.Throw(written.Error);
        }
        return written;
    }

    private static async Task<IReadOnlyList<Written>> WriteAsync(IDeliveryStore store, DeliverySignal signal, IReadOnlyList<Write> batch, CancellationToken cancellationToken)
    {
        var deliveries = batch.Where(w => w.Group is not null).SelectMany(w => w.Group!).ToList();
        var completions = batch.Where(w => w.Completion is not null).Select(w => w.Completion!).ToList();
        IReadOnlyList<long>? ids = null;
        IReadOnlyList<bool>? held = null;
        Exception? enqueueError = null;
        Exception? completeError = null;
        if (deliveries.Count > 0 && completions.Count > 0)
        {
            try
            {
                (ids, held) = await store.WriteAsync(deliveries, completions, cancellationToken);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // Nothing of the batch was written. Each kind is written again on its own, so that a write one kind
                // cannot make (a new event the database refuses, say) does not fail the other kind's callers.
            }
        }
        if (completions.Count > 0 && held is null)
        {
            try
            {
                held = await store.CompleteAsync(completions, cancellationToken);
            }
            catch (Exception e)
            {
                completeError = e;
            }
        }
        if (deliveries.Count > 0 && ids is null)
        {
            try
            {
                ids = await store.EnqueueAsync(deliveries, cancellationToken);
            }
            catch (Exception e)
            {
                enqueueError = e;
            }
        }
        if (ids is not null && deliveries.Exists(d => d.Job.LeaseOwner is null))
        {
            // Jobs already leased to this node are running; only queued ones need a worker to claim them.
            signal.Notify();
        }

        var results = new Written[batch.Count];
        var (at, done) = (0, 0);
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i].Group is { } group)
            {
                results[i] = ids is null ? new Written(null, false, enqueueError) : new Written(ids.Skip(at).Take(group.Count).ToArray(), false, null);
                at += group.Count;
            }
            else
            {
                results[i] = held is null ? new Written(null, false, completeError) : new Written(null, held[done], null);
                done++;
            }
        }
        return results;
    }

    public ValueTask DisposeAsync() => _writer.DisposeAsync();

    private sealed record Write(IReadOnlyList<NewDelivery>? Group, JobCompletion? Completion);

    /// <summary>One caller's answer: its job ids or its completion's lease, or why its write failed.</summary>
    private sealed record Written(IReadOnlyList<long>? JobIds, bool Held, Exception? Error);
}
