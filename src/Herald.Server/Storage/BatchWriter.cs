using System.Threading.Channels;

namespace Herald.Server.Storage;

/// <summary>
/// Group commit: callers hand over one item each and wait; a single loop writes whatever has gathered (up to
/// <c>maxBatch</c>) in one call, then answers every caller. Under load many writes share one transaction; alone,
/// an item waits for nothing. A failed write fails every caller of that batch (nothing of it was accepted).
/// </summary>
public sealed class BatchWriter<TItem, TResult> : IAsyncDisposable
{
    private readonly Channel<(TItem Item, TaskCompletionSource<TResult> Done)> _pending =
        Channel.CreateUnbounded<(TItem, TaskCompletionSource<TResult>)>(new UnboundedChannelOptions { SingleReader = true });

    private readonly Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> _write;
    private readonly int _maxBatch;
    private readonly Task _loop;
    private readonly CancellationTokenSource _stop = new();

    public BatchWriter(Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> write, int maxBatch)
    {
        _write = write;
        _maxBatch = maxBatch;
        _loop = Task.Run(LoopAsync);
    }

    public Task<TResult> WriteAsync(TItem item)
    {
        var done = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_pending.Writer.TryWrite((item, done)))
        {
            done.SetException(new ObjectDisposedException(nameof(BatchWriter<TItem, TResult>)));
        }
        return done.Task;
    }

    private async Task LoopAsync()
    {
        var batch = new List<(TItem Item, TaskCompletionSource<TResult> Done)>(_maxBatch);
        while (await _pending.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < _maxBatch && _pending.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }
            try
            {
                var results = await _write(batch.ConvertAll(b => b.Item), _stop.Token).ConfigureAwait(false);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(results[i]);
                }
            }
            catch (Exception e)
            {
                foreach (var (_, done) in batch)
                {
                    done.TrySetException(e);
                }
            }
            batch.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
