namespace Herald.Server.Idempotency;

/// <summary>
/// Deletes expired idempotency keys once an hour (and at start). Housekeeping only: an expired key is free to be
/// claimed again whether or not it has been purged. Every node may run it; deleting twice is harmless.
/// </summary>
public sealed partial class IdempotencyPurger(IIdempotencyStore answers, TimeProvider time, ILogger<IdempotencyPurger> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var purged = await answers.PurgeAsync(time.GetUtcNow() - IdempotencyRules.Retention, stoppingToken);
                if (purged > 0)
                {
                    LogPurged(logger, purged);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Fail open: the keys stay until the next round; claims treat expired keys as free meanwhile.
                LogPurgeFailed(logger, e);
            }
            try
            {
                await Task.Delay(Interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Purged {Count} expired idempotency keys")]
    private static partial void LogPurged(ILogger logger, int count);

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "Purging expired idempotency keys failed")]
    private static partial void LogPurgeFailed(ILogger logger, Exception exception);
}
