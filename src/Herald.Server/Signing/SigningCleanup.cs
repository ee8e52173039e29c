namespace Herald.Server.Signing;

/// <summary>
/// Deletes what rotations left behind once their overlap has ended: replaced signing secrets and retired
/// organization keys. Neither signs after its end whether or not this has run yet (delivery checks the end itself);
/// this removes them from storage. Runs on worker nodes, at start and every <see cref="Interval"/> of the
/// <see cref="TimeProvider"/>'s time.
/// </summary>
public sealed partial class SigningCleanup(SecretRotation secrets, OrgKeys keys, TimeProvider time, ILogger<SigningCleanup> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    /// <summary>Configs looked at per read of the list; a pass reads on while lists come back full.</summary>
    private const int Batch = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await RunAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Fail open: what is left is deleted on the next pass, and nothing past its end signs meanwhile.
                LogFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One pass; returns the keys deleted and the configs whose replaced secret went.</summary>
    public async Task<(int Keys, int Configs)> RunAsync(CancellationToken cancellationToken)
    {
        var deletedKeys = await keys.DeleteRetiredAsync(cancellationToken);
        var configs = 0;
        int done;
        do
        {
            done = await secrets.ForgetExpiredAsync(Batch, cancellationToken);
            configs += done;
        }
        while (done == Batch);
        if (deletedKeys + configs > 0)
        {
            LogDeleted(logger, deletedKeys, configs);
        }
        return (deletedKeys, configs);
    }

    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "Deleted {Keys} retired organization keys and the replaced signing secrets of {Configs} configs")]
    private static partial void LogDeleted(ILogger logger, int keys, int configs);

    [LoggerMessage(EventId = 701, Level = LogLevel.Warning, Message = "Deleting retired signing keys and secrets failed; the next pass tries again")]
    private static partial void LogFailed(ILogger logger, Exception error);
}
