namespace Herald.Server.Delivery;

/// <summary>Writes job completions from every worker and sync trigger with group commit.</summary>
public sealed class CompletionWriter(IDeliveryStore store) : IAsyncDisposable
{
    private const int MaxBatch = 256;

    private readonly BatchWriter<JobCompletion, bool> _writer = new((batch, ct) => store.CompleteAsync(batch, ct), MaxBatch);

    /// <summary>Records the completion; true when the lease was still held (the event and job changed).</summary>
    public Task<bool> WriteAsync(JobCompletion completion) => _writer.WriteAsync(completion);

    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}

/// <summary>
/// Writes new events with their jobs with group commit; a trigger is answered only after its commit. A group (the
/// events of one fan-out) always lands in one transaction, whole or not at all.
/// </summary>
public sealed class EnqueueWriter(IDeliveryStore store, DeliverySignal signal) : IAsyncDisposable
{
    private const int MaxBatch = 256;

    private readonly BatchWriter<IReadOnlyList<NewDelivery>, IReadOnlyList<long>> _writer = new(async (groups, ct) =>
    {
        var deliveries = groups.SelectMany(g => g).ToList();
        var ids = await store.EnqueueAsync(deliveries, ct);
        if (deliveries.Exists(d => d.Job.LeaseOwner is null))
        {
            // Jobs already leased to this node are running; only queued ones need a worker to claim them.
            signal.Notify();
        }
        var results = new List<IReadOnlyList<long>>(groups.Count);
        var at = 0;
        foreach (var group in groups)
        {
            results.Add(ids.Skip(at).Take(group.Count).ToArray());
            at += group.Count;
        }
        return results;
    }, MaxBatch);

    /// <summary>Completes once the event and its job are committed; returns the job id.</summary>
    public async Task<long> WriteAsync(NewDelivery delivery) => (await WriteAllAsync([delivery]))[0];

    /// <summary>Completes once every event of the group and its job are committed, together; returns the job ids, in order.</summary>
    public Task<IReadOnlyList<long>> WriteAllAsync(IReadOnlyList<NewDelivery> group) =>
        group.Count == 0 ? Task.FromResult<IReadOnlyList<long>>([]) : _writer.WriteAsync(group);

    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}
