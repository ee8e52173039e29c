namespace Herald.Bench;

/// <summary>Samples Herald's resident memory every 100 ms, next to how many events the receiver had by then.</summary>
public sealed class MemorySampler : IDisposable
{
    private readonly List<(int Delivered, long Rss)> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public MemorySampler(HeraldProcess herald, CountingReceiver receiver)
    {
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested && !herald.HasExited)
            {
                var delivered = receiver.Distinct;
                var rss = herald.Memory().Rss;
                lock (_samples)
                {
                    _samples.Add((delivered, rss));
                }
                try
                {
                    await Task.Delay(100, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });
    }

    /// <summary>The first sample taken once the receiver had at least <paramref name="delivered"/> events.</summary>
    public long? RssWhenDelivered(int delivered)
    {
        lock (_samples)
        {
            return _samples.Where(s => s.Delivered >= delivered).Select(s => (long?)s.Rss).FirstOrDefault();
        }
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
    }

    public void Dispose() => _stop.Dispose();
}
