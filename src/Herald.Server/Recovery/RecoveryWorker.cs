using Herald.Server.Configs;
using Herald.Server.Events;
using Herald.Server.Http;
using Herald.Server.Intake;

namespace Herald.Server.Recovery;

/// <summary>
/// Queues the replays of the running recoveries, a page at a time. A page (up to <see cref="RecoveryOptions.PageSize"/>
/// failed events after the recovery's last, oldest first) is queued as one replay chain in one transaction together
/// with the recovery's progress, through <see cref="Triggering.ReplayAsync"/>, the batch replay's path: a crash either
/// keeps both or neither, and a restart goes on after the last event queued. The next page waits until the last
/// replay of the one before it is done (the chain sends them one at a time, so then all are), which keeps the order
/// across pages and bounds a recovery's jobs in the queue. When a page comes back empty the recovery is done. Two
/// nodes stepping one recovery at once cannot both queue a page: the progress moves only from where it was read.
/// </summary>
public sealed partial class RecoveryWorker(
    IRecoveryStore recoveries, IConfigStore configs, IEventStore events, IJobQueue queue, Triggering triggering, RecoverySignal signal,
    RecoveryOptions options, ILogger<RecoveryWorker> logger) : BackgroundService
{
    /// <summary>How often the worker looks at the running recoveries without a wake-up (wall-clock time).</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>Recoveries stepped per pass.</summary>
    private const int MaxPerPass = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (DiskLowException)
            {
                // The node takes no replays while its disk is short of the reserve, and said so once (DiskRoom): the
                // recovery stays as it was, and goes on when there is room.
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Fail open: the recovery stays as it was, and the next pass steps it again.
                LogFailed(logger, e);
            }
            await signal.WaitAsync(PollInterval, stoppingToken);
        }
    }

    /// <summary>One pass: each running recovery moves on by at most one page. Returns how many pages were queued.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var queued = 0;
        foreach (var recovery in await recoveries.ListAsync(MaxPerPass, cancellationToken))
        {
            queued += await StepAsync(recovery, cancellationToken) ? 1 : 0;
        }
        return queued;
    }

    private async Task<bool> StepAsync(EventRecovery recovery, CancellationToken cancellationToken)
    {
        var config = await configs.GetAsync(recovery.OrgId, recovery.ConfigId, cancellationToken);
        if (config is null || Triggering.RefusalFor(config) is not null)
        {
            // Replays of a deleted, disabled or incomplete config are refused, as replayEvent refuses them.
            LogStopped(logger, recovery.ConfigId, recovery.Paged, recovery.Total);
            await recoveries.FinishAsync(recovery.RecoveryId, cancellationToken);
            return false;
        }
        if (recovery.After is { } last && await queue.HasJobAsync(WebhookEventId.From(last.EventId), cancellationToken))
        {
            return false;
        }
        var page = await events.KeysOldestFirstAsync(
            recovery.OrgId, recovery.ConfigId, EventStatus.Failed, recovery.Since, recovery.Until, recovery.After, options.PageSize, cancellationToken);
        if (page.Count == 0)
        {
            LogDone(logger, recovery.ConfigId, recovery.Paged, recovery.Total);
            await recoveries.FinishAsync(recovery.RecoveryId, cancellationToken);
            return false;
        }
        await triggering.ReplayAsync(recovery.OrgId, recovery.ConfigId, page.Select(k => k.EventId).ToList(), reapplyTransform: false,
            (session, ct) => recoveries.AdvanceAsync(session, recovery.RecoveryId, recovery.Paged, recovery.Paged + page.Count, page[^1], ct));
        return true;
    }

    [LoggerMessage(EventId = 801, Level = LogLevel.Information, Message = "Recovery of config {ConfigId} done: {Paged} replays queued of {Total} failed events found when asked")]
    private static partial void LogDone(ILogger logger, ConfigId configId, int paged, int total);

    [LoggerMessage(EventId = 802, Level = LogLevel.Warning, Message = "Recovery of config {ConfigId} stopped after {Paged} of {Total} replays: the config is gone, disabled or incomplete")]
    private static partial void LogStopped(ILogger logger, ConfigId configId, int paged, int total);

    [LoggerMessage(EventId = 803, Level = LogLevel.Warning, Message = "A pass over the running recoveries failed; the next pass tries again")]
    private static partial void LogFailed(ILogger logger, Exception error);
}
