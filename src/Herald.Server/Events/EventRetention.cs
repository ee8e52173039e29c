using Herald.Server.Http;
namespace Herald.Server.Events;

/// <summary>The <c>Events</c> section: how long the event log keeps events, and how it lets go of them.</summary>
public sealed class EventsOptions
{
    public const string Section = "Events";

    /// <summary>Events (with their payloads and attempts) older than this many days are purged.</summary>
    public int RetentionDays { get; set; } = 28;

    /// <summary>How often a node looks for events to purge (once at start, then at this interval).</summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Events deleted per transaction: small enough that deliveries never wait long for the database.</summary>
    public int PurgeBatchSize { get; set; } = 500;

    /// <summary>The breather between two batches, in which deliveries write.</summary>
    public TimeSpan PurgePause { get; set; } = TimeSpan.FromMilliseconds(100);

    public EventsOptions Validated() =>
        RetentionDays < 1 ? throw new InvalidSettingException($"{Section}:RetentionDays must be at least 1 (got {RetentionDays})")
        : PurgeBatchSize < 1 ? throw new InvalidSettingException($"{Section}:PurgeBatchSize must be at least 1 (got {PurgeBatchSize})")
        : PurgeInterval <= TimeSpan.Zero ? throw new InvalidSettingException($"{Section}:PurgeInterval must be positive")
        : PurgePause < TimeSpan.Zero ? throw new InvalidSettingException($"{Section}:PurgePause must not be negative")
        : this;
}

/// <summary>
/// Purges the event log in the background: events created more than <see cref="EventsOptions.RetentionDays"/> ago go
/// with their attempts. On PostgreSQL whole days go, by dropping their partitions (<see cref="IEventPartitions"/>);
/// on SQLite rows go, a bounded batch per transaction with a pause between batches, so deliveries keep writing
/// meanwhile. An event that still has a job in the queue stays until the job is done. Time comes from
/// <see cref="TimeProvider"/>, so tests drive it with a fake clock.
/// </summary>
public sealed partial class EventRetention(
    IEventStore events, IEventPartitions partitions, EventsOptions options, TimeProvider time, ILogger<EventRetention> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        using var timer = new PeriodicTimer(options.PurgeInterval, time);
        do
        {
            try
            {
                await PurgeAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Fail open: what is left is purged on the next pass.
                LogPurgeFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>
    /// One pass: everything older than the retention, batch by batch. Returns the events and attempts purged (on
    /// PostgreSQL the partitions dropped, as events, and no attempts).
    /// </summary>
    public async Task<(int Events, int Attempts)> PurgeAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var cutoff = now - TimeSpan.FromDays(options.RetentionDays);
        if (partitions.Partitioned)
        {
            var dropped = await partitions.DropExpiredAsync(cutoff, cancellationToken);
            if (dropped > 0)
            {
                LogDropped(logger, dropped, cutoff);
            }
            return (dropped, 0);
        }
        var purgedEvents = await InBatchesAsync(max => events.PurgeEventsAsync(cutoff, max, cancellationToken), cancellationToken);
        var purgedAttempts = await InBatchesAsync(max => events.PurgeAttemptsAsync(cutoff, max, cancellationToken), cancellationToken);
        if (purgedEvents + purgedAttempts > 0)
        {
            LogPurged(logger, purgedEvents, purgedAttempts, cutoff);
        }
        return (purgedEvents, purgedAttempts);
    }

    private async Task<int> InBatchesAsync(Func<int, Task<int>> purge, CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            var purged = await purge(options.PurgeBatchSize);
            total += purged;
            if (purged < options.PurgeBatchSize)
            {
                return total;
            }
            // Wall-clock time: the pause spaces out database writes; it is not part of the domain's time.
            await Task.Delay(options.PurgePause, TimeProvider.System, cancellationToken);
        }
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Purged {Events} events and {Attempts} further attempts created before {Cutoff}")]
    private static partial void LogPurged(ILogger logger, int events, int attempts, DateTimeOffset cutoff);

    [LoggerMessage(EventId = 402, Level = LogLevel.Information, Message = "Dropped {Partitions} partitions of the event log whose day ended before {Cutoff}")]
    private static partial void LogDropped(ILogger logger, int partitions, DateTimeOffset cutoff);

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "Purging the event log failed; the next pass tries again")]
    private static partial void LogPurgeFailed(ILogger logger, Exception error);
}
