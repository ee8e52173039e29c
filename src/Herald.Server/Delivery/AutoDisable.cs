using System.Text.Json.Nodes;
using Herald.Server.Configs;
using Herald.Server.Http;
using Herald.Server.Intake;

namespace Herald.Server.Delivery;

/// <summary>
/// Disables the configs whose deliveries kept failing (<see cref="FailingConfigs"/>): <c>enabled</c> false, status
/// <c>inactive</c>, with <c>disabledReason</c> and <c>disabledAt</c>, written over the version it read, so of the nodes
/// and outcomes that find the same streak exactly one disables the config and tells. It tells by triggering
/// <see cref="EventName"/> in the config's organization through the normal intake (a fan-out: every other enabled
/// config subscribed to it receives it, signed like any delivery), in the transaction that disables the config, logs a
/// warning and counts it.
/// </summary>
public sealed partial class AutoDisable(
    FailingConfigs failing,
    IConfigStore configs,
    IConfigHealthStore health,
    ConfigChanges changes,
    EventFanOut fanOut,
    Triggering triggering,
    DeliveryOptions options,
    DeliveryMetrics metrics,
    TimeProvider time,
    ILogger<AutoDisable> logger) : BackgroundService
{
    /// <summary>The event Herald triggers when it disables a config.</summary>
    public const string EventName = "herald.config.disabled";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var streak in failing.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await DisableAsync(streak, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // Fail open: the config's next failure brings its streak here again.
                    LogDisableFailed(logger, streak.ConfigId, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Disables the config unless it is disabled or gone already; true when this call disabled it. The notice's events
    /// are written in the transaction that disables the config: both are committed, or neither, and a config is never
    /// disabled without its notice queued.
    /// </summary>
    internal async Task<bool> DisableAsync(FailureStreak streak, CancellationToken cancellationToken)
    {
        for (var tries = 0; tries < 5; tries++)
        {
            var stored = await configs.GetAsync(streak.OrgId, streak.ConfigId, cancellationToken);
            if (stored is null || stored.Document.Enabled == false)
            {
                await health.ClearAsync(streak.OrgId, streak.ConfigId, cancellationToken);
                return false;
            }
            var now = time.GetUtcNow();
            var updatedAt = now > stored.UpdatedAt ? now : stored.UpdatedAt.AddMilliseconds(1);
            var reason = Reason(streak, options.AutoDisable);
            var document = stored.Document;
            document.Enabled = false;
            if (document.Status == ConfigStatus.Active)
            {
                document.Status = ConfigStatus.Inactive;
            }
            document.DisabledReason = reason;
            document.DisabledAt = HeraldJson.Timestamp(now);
            document.UpdatedTime = HeraldJson.Timestamp(updatedAt);
            var disabledRecord = stored with { Version = stored.Version + 1, UpdatedAt = updatedAt, Document = document };
            var disabled = false;
            var notices = await NoticesAsync(stored, streak, reason, now);
            // From before the transaction until it has ended, committed or not, this process's triggers read the config.
            using (changes.Writing())
            {
                // With no subscriber, the transaction holds the update alone.
                await triggering.AcceptAllAsync(notices, async (session, ct) =>
                    disabled = await configs.UpdateAsync(session, disabledRecord, stored.Version, ct));
            }
            if (!disabled)
            {
                // Changed meanwhile (by a person or another node): read it again.
                continue;
            }
            await health.ClearAsync(streak.OrgId, streak.ConfigId, cancellationToken);
            metrics.AutoDisabled(streak.OrgId);
            LogDisabled(logger, streak.ConfigId, reason);
            return true;
        }
        return false;
    }

    /// <summary>Why, in words that name the setting: "No delivery succeeded since ... (12 failed attempts); ...".</summary>
    public static string Reason(FailureStreak streak, AutoDisableOptions rule) =>
        $"No delivery succeeded since {HeraldJson.Timestamp(streak.FirstFailureAt)}: {streak.Failures} attempts failed, the last at "
        + $"{HeraldJson.Timestamp(streak.LastFailureAt)} ({streak.LastFailure}); Herald disables a config after {AutoDisableOptions.Section}:After "
        + $"({rule.After}) without a success and at least {AutoDisableOptions.Section}:MinFailures ({rule.MinFailures}) failed attempts";

    /// <summary>
    /// The events of <see cref="EventName"/> that tell the organization's subscribed configs, other than the one being
    /// disabled, planned through the normal fan-out.
    /// </summary>
    private async Task<IReadOnlyList<(ConfigRecord Config, EventInput Input)>> NoticesAsync(ConfigRecord config, FailureStreak streak, string reason, DateTimeOffset now)
    {
        var payload = new JsonObject
        {
            // The disabled config as the event's entity, the shape epilot receivers read (metadata and entity).
            ["entity"] = new JsonObject
            {
                ["_schema"] = "webhook_config",
                ["_id"] = config.Id.Value,
                ["_title"] = config.Document.Name,
                ["id"] = config.Id.Value,
                ["name"] = config.Document.Name,
                ["url"] = config.Document.Url,
                ["eventName"] = config.EventName,
            },
            ["reason"] = reason,
            ["failing_since"] = HeraldJson.Timestamp(streak.FirstFailureAt),
            ["failed_attempts"] = streak.Failures,
            ["last_failure"] = new JsonObject
            {
                ["at"] = HeraldJson.Timestamp(streak.LastFailureAt),
                ["failure"] = streak.LastFailure,
            },
            ["disabled_at"] = HeraldJson.Timestamp(now),
        };
        var (events, error) = await fanOut.PlanAsync(config.OrgId, new FanOutRequest(EventName, payload), CancellationToken.None);
        if (error is not null)
        {
            LogNoticeFailed(logger, config.Id, new InvalidOperationException(error));
            return [];
        }
        return events.Where(e => e.Config.Id != config.Id).ToList();
    }

    [LoggerMessage(EventId = 240, Level = LogLevel.Warning, Message = "Disabled config {ConfigId}: {Reason}")]
    private static partial void LogDisabled(ILogger logger, ConfigId configId, string reason);

    [LoggerMessage(EventId = 241, Level = LogLevel.Warning, Message = "Disabling config {ConfigId}, whose deliveries keep failing, failed; its next failure tries again")]
    private static partial void LogDisableFailed(ILogger logger, ConfigId configId, Exception error);

    [LoggerMessage(EventId = 242, Level = LogLevel.Warning, Message = "Config {ConfigId} was disabled, but triggering its notice failed")]
    private static partial void LogNoticeFailed(ILogger logger, ConfigId configId, Exception error);
}
