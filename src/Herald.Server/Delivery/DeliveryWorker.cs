using Herald.Server.Configs;
using Herald.Server.Events;

namespace Herald.Server.Delivery;

/// <summary>
/// The claim loop of a node that runs workers: claims due jobs while few enough wait (<see cref="WaitingJobs"/>),
/// organizations in turn (<see cref="ClaimRoom"/>),
/// loads a claim's events and configs in one go, and gives the jobs to the <see cref="JobRunner"/>. While it runs, the
/// runner also takes hand-overs. Woken by the in-process signal or a PostgreSQL NOTIFY, and by a poll when neither comes.
/// </summary>
public sealed partial class DeliveryWorker(
    JobClaims claims,
    IEventStore events,
    IConfigStore configs,
    ConfigSecretsBox secrets,
    JobRunner runner,
    LeaseKeeper leases,
    DeliverySignal signal,
    WorkerOptions options,
    DeliveryMetrics metrics,
    TimeProvider time,
    ILogger<DeliveryWorker> logger) : BackgroundService
{
    private long _claims;

    /// <summary>Claims this worker has made since it started, whatever they found.</summary>
    internal long Claims => Interlocked.Read(ref _claims);

    /// <summary>The least time between two claims of the newcomers' room that found nothing more (<see cref="ClaimRoom.Newcomers"/>).</summary>
    internal static readonly TimeSpan NewcomerClaimPause = TimeSpan.FromMilliseconds(100);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Before the host reports started, so a trigger that follows the start finds the slots open to hand-over.
        runner.TakesHandOvers = true;
        // A claim leaves the jobs of an organization that holds its share of claims in the queue: once it holds fewer,
        // the next claim may take them.
        runner.Waiting.OrganizationFreed += signal.Notify;
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        // Claims walk the organizations with waiting jobs as a ring, OrganizationsPerClaim at a time: a round starts
        // after the last organization the previous claim visited and ends when it is back there.
        var after = "";
        var roundStart = "";
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A claim takes only as many jobs as can start soon: the others stay in the queue for other nodes.
                await runner.Waiting.RoomAsync(stoppingToken);
                if (runner.Stopping)
                {
                    // The node is stopping: what it claimed now it would give back at once, to be claimed again.
                    await Task.Delay(Timeout.InfiniteTimeSpan, stoppingToken);
                }
                var room = runner.Waiting.ClaimRoomNow() with { WalkAfter = after, WalkUntil = roundStart, WalkSteps = options.OrganizationsPerClaim };
                Interlocked.Increment(ref _claims);
                var claimedAt = time.GetUtcNow();
                var claim = await claims.ClaimDueAsync(leases.Owner, claimedAt, leases.NewLeaseEnd(), room, stoppingToken);
                var claimed = claim.Leased;
                after = claim.Walk.Last ?? after;
                // The walk stopped at its limit short of where the round started: organizations are left to visit.
                var roundLeft = claim.Walk.Steps == room.WalkSteps && !string.Equals(after, roundStart, StringComparison.Ordinal);
                if (!roundLeft || claimed.Count >= room.Max)
                {
                    roundStart = after;
                }
                runner.Waiting.AddClaimed(claimed, room);
                metrics.Claimed(claimed.Count);
                if (claimed.Count > 0)
                {
                    foreach (var job in claimed)
                    {
                        // Held from the claim on, while its inputs load.
                        leases.Hold(job.JobId);
                    }
                    _ = Task.Run(() => RunClaimedAsync(claimed));
                }
                if (claimed.Count < room.Max && !roundLeft)
                {
                    if (room.Newcomers)
                    {
                        // The room is full, and every trigger's wake-up would ask again for the one job of an
                        // organization holding none: at most one such claim per pause (wake-ups meanwhile are kept).
                        await Task.Delay(NewcomerClaimPause, TimeProvider.System, stoppingToken);
                    }
                    // The queue had no more for this room: what becomes claimable (a new job, a job of an organization
                    // that held its share, a due time passing) comes with a wake-up or by the poll, and claiming again
                    // at once would only find nothing. The poll counts from the moment the claim read the queue at: a
                    // slow claim does not put the next one off, and a due time that passed while it ran is not missed
                    // for a whole interval.
                    await signal.WaitAsync(claimedAt + options.PollInterval, time, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // Fail open: a database hiccup costs one poll interval, not the worker.
                LogClaimFailed(logger, e);
                await Task.Delay(options.PollInterval, TimeProvider.System, CancellationToken.None);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        runner.TakesHandOvers = false;
        await base.StopAsync(cancellationToken);
        // The jobs this node holds are the runner's to give back; a test host stopping only the worker stops it too.
        await runner.StopAsync(cancellationToken);
    }

    /// <summary>Loads the claim's events and configs in one go, then runs each job; when loading fails, each job loads its own.</summary>
    private async Task RunClaimedAsync(IReadOnlyList<DeliveryJob> jobs)
    {
        IReadOnlyList<JobInputs>? inputs = null;
        try
        {
            inputs = await JobInputs.LoadAsync(jobs, events, configs, secrets, runner.Abort);
        }
        catch (Exception e) when (e is not OperationCanceledException || !runner.Abort.IsCancellationRequested)
        {
            LogLoadFailed(logger, jobs.Count, e);
        }
        catch (OperationCanceledException)
        {
            // Stopping: each job below sees the abort and gives itself back.
        }
        runner.RunClaimed(jobs, inputs);
    }

    [LoggerMessage(EventId = 222, Level = LogLevel.Warning, Message = "Loading the events and configs of {Count} claimed jobs failed; each job loads its own")]
    private static partial void LogLoadFailed(ILogger logger, int count, Exception error);

    [LoggerMessage(EventId = 220, Level = LogLevel.Warning, Message = "Claiming due jobs failed")]
    private static partial void LogClaimFailed(ILogger logger, Exception error);
}
