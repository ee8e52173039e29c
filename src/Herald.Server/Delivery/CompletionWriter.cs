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

/// <summary>Writes new events with their jobs with group commit; a trigger is answered only after its commit.</summary>
public sealed class EnqueueWriter(IDeliveryStore store, DeliverySignal signal) : IAsyncDisposable
{
    private const int MaxBatch = 256;

    private readonly BatchWriter<NewDelivery, long> _writer = new(async (batch, ct) =>
    {
        var ids = await store.EnqueueAsync(batch, ct);
        signal.Notify();
        return ids;
    }, MaxBatch);

    /// <summary>Completes once the event and its job are committed; returns the job id.</summary>
    public Task<long> WriteAsync(NewDelivery delivery) => _writer.WriteAsync(delivery);

    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}
