using System.Diagnostics.Metrics;
using Herald.Server.Telemetry;

namespace Herald.Server.Delivery;

/// <summary>
/// What the queue gauges read: one <see cref="IQueueReading"/> serves every collection within
/// <see cref="MetricsOptions.QueueReadInterval"/>, so scrapes (however frequent) read the store at most that often, and
/// never between scrapes. A failed read keeps the last values (fail open: a gauge lags, nothing else is affected).
/// </summary>
public sealed class QueueGauges(IQueueReading reading, DeliveryScheduler scheduler, MetricsOptions options, TimeProvider time)
{
    private readonly Lock _lock = new();
    private (long Depth, TimeSpan OldestDueAge) _last;
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    public (long Depth, TimeSpan OldestDueAge) Read()
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (now - _readAt < options.QueueReadInterval && _readAt != DateTimeOffset.MinValue)
            {
                return _last;
            }
            _readAt = now;
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                // Collections run on the scrape's thread, outside any synchronization context.
                var state = reading.ReadAsync(now, timeout.Token).GetAwaiter().GetResult();
                var age = state.OldestDueAt is { } due && due < now ? now - due : TimeSpan.Zero;
                _last = (state.Depth, age);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Keep the last reading.
            }
            return _last;
        }
    }

    /// <summary>The most destinations <c>herald.breaker.cool_down</c> reports at once: its series stay bounded.</summary>
    public const int MaxBreakerSeries = 100;

    public int OpenBreakers() => scheduler.OpenBreakers().Count;

    public long BreakersOpened() => scheduler.BreakersOpened;

    public long LetThrough() => scheduler.LetThrough;

    public IEnumerable<Measurement<double>> BreakerCoolDowns() =>
        scheduler.OpenBreakers().OrderByDescending(b => b.CoolDown).ThenBy(b => b.Destination, StringComparer.Ordinal).Take(MaxBreakerSeries)
            .Select(b => new Measurement<double>(b.CoolDown.TotalSeconds, new KeyValuePair<string, object?>("destination", b.Destination)));

    public IEnumerable<Measurement<int>> WaitingByDestination() =>
        scheduler.WaitingByDestination().Select(w => new Measurement<int>(w.Value, new KeyValuePair<string, object?>("destination", w.Key)));
}
