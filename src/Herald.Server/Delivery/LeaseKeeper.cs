using System.Collections.Concurrent;

namespace Herald.Server.Delivery;

/// <summary>
/// This node's identity as a lease owner and the jobs it holds right now. A heartbeat renews all of them in one
/// statement every third of the lease, so a slow receiver never loses its job to another node while this node lives.
/// </summary>
public sealed partial class LeaseKeeper(IDeliveryStore store, DeliveryOptions options, Egress.EgressOptions egress, TimeProvider time, ILogger<LeaseKeeper> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<long, byte> _held = new();

    /// <summary>Unique per process: a restarted node never mistakes its predecessor's leases for its own.</summary>
    public string Owner { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    public DateTimeOffset NewLeaseEnd() => time.GetUtcNow() + options.EffectiveLease(egress);

    public void Hold(long jobId) => _held[jobId] = 0;

    public void Drop(long jobId) => _held.TryRemove(jobId, out _);

    public IReadOnlyCollection<long> Held => _held.Keys.ToArray();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.EffectiveLease(egress) / 3, time);
        while (await NextBeatAsync(timer, stoppingToken))
        {
            var held = Held;
            try
            {
                await store.RenewAsync(Owner, held, NewLeaseEnd(), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Fail open: the next beat tries again; only a lease that runs out entirely is lost.
                LogRenewFailed(logger, held.Count, e);
            }
        }
    }

    /// <summary>False once the node stops: a stop (or a start that failed and is unwinding) is no error of the heartbeat.</summary>
    private static async Task<bool> NextBeatAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 210, Level = LogLevel.Warning, Message = "Renewing {Count} leases failed")]
    private static partial void LogRenewFailed(ILogger logger, int count, Exception error);
}
