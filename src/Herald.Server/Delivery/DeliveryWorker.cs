using Herald.Server.Configs;
using Herald.Server.Events;

namespace Herald.Server.Delivery;

/// <summary>
/// The background delivery loop of one node: claims due jobs while few enough wait (<see cref="WaitingJobs"/>),
/// prepares each in a worker slot, lets it wait for its turn to send (<see cref="DeliveryScheduler"/>) without a slot,
/// and writes the results through one group-committing writer. Woken by the in-process signal or a PostgreSQL NOTIFY,
/// and by a poll when neither comes. Stopping: no new claims; jobs that have not started their send are given back at
/// once; sends in flight get a grace period, then are cancelled and their jobs given back at once, so another node
/// (or the next start) picks them up without waiting for a lease.
/// </summary>
public sealed partial class DeliveryWorker(
    IDeliveryStore store,
    IConfigStore configs,
    ConfigSecretsBox secrets,
    AttemptRunner runner,
    DeliveryScheduler scheduler,
    LeaseKeeper leases,
    QueueWriter writes,
    DeliverySignal signal,
    WorkerOptions options,
    DeliveryMetrics metrics,
    TimeProvider time,
    ILogger<DeliveryWorker> logger) : BackgroundService
{
    // None is disposed: attempts still unwinding after the host stops may touch them, and they hold no timers.
    private readonly CancellationTokenSource _abort = new();
    // Cancelled first on stop: jobs that have not started their send give themselves back at once.
    private readonly CancellationTokenSource _stopping = new();
    // Worker slots bound the jobs being prepared (CPU, and the pipeline's own requests); a job waiting for its turn to
    // send holds none.
    private readonly SemaphoreSlim _slots = new(options.Concurrency, options.Concurrency);
    private readonly SemaphoreSlim _recording = new(options.Concurrency, options.Concurrency);
    private readonly WaitingJobs _waiting = new(options.Concurrency);
    private int _inFlight;
    private long _arrivals;
    private volatile bool _accepting;

    /// <summary>
    /// Makes room for a job this node is about to commit leased to itself (see <see cref="RunReserved"/>); false when
    /// <see cref="WaitingJobs"/> has no room for a job of that config, or the worker is not running. A reservation ends
    /// in <see cref="RunReserved"/> or <see cref="CancelReservation"/>.
    /// </summary>
    public bool TryReserve(string orgId, string configId)
    {
        if (!_accepting || !_waiting.TryAdmit(orgId, configId))
        {
            return false;
        }
        Interlocked.Increment(ref _inFlight);
        return true;
    }

    /// <summary>Gives a reservation back unused (the job's commit failed).</summary>
    public void CancelReservation(string orgId, string configId)
    {
        Interlocked.Decrement(ref _inFlight);
        _waiting.Leave(orgId, configId, claimed: false);
    }

    /// <summary>
    /// Runs a committed job leased to this node with the inputs the trigger already holds: no claim and no reads. It
    /// is prepared in the next free slot and sends in its turn with claimed jobs, its lease renewed while it waits.
    /// Should this node die first, the lease runs out and any node claims the job; should it stop first, the job is
    /// given back to the queue.
    /// </summary>
    public void RunReserved(DeliveryJob job, JobInputs inputs)
    {
        leases.Hold(job.JobId);
        metrics.HandedOver();
        // Queued on this thread's own queue, without the trigger request's execution context: the attempt starts on
        // this thread as soon as the trigger's answer is on its way, unless an idle thread takes it first.
        var order = Interlocked.Increment(ref _arrivals);
        ThreadPool.UnsafeQueueUserWorkItem(static run => _ = run.Worker.RunAsync(run.Job, run.Inputs, run.Order, claimed: false), (Worker: this, Job: job, Inputs: inputs, Order: order), preferLocal: true);
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Before the host reports started, so a trigger that follows the start finds the slots open to hand-over.
        _accepting = true;
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A claim takes only as many jobs as can start soon: the others stay in the queue for other nodes.
                await _waiting.RoomAsync(stoppingToken);
                var claimed = await store.ClaimDueAsync(leases.Owner, time.GetUtcNow(), leases.NewLeaseEnd(), _waiting.ClaimRoom, stoppingToken);
                _waiting.AddClaimed(claimed);
                metrics.Claimed(claimed.Count);
                var arrivals = new long[claimed.Count];
                for (var i = 0; i < claimed.Count; i++)
                {
                    leases.Hold(claimed[i].JobId);
                    Interlocked.Increment(ref _inFlight);
                    arrivals[i] = Interlocked.Increment(ref _arrivals);
                }
                if (claimed.Count > 0)
                {
                    _ = Task.Run(() => RunClaimedAsync(claimed, arrivals));
                }
                else
                {
                    await signal.WaitAsync(options.PollInterval, time, stoppingToken);
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
        _accepting = false;
        await _stopping.CancelAsync();
        await base.StopAsync(cancellationToken);
        // The grace is wall-clock time: it bounds how long the process takes to stop, whatever the domain clock says.
        var grace = TimeProvider.System.GetTimestamp();
        while (Volatile.Read(ref _inFlight) > 0 && TimeProvider.System.GetElapsedTime(grace) < options.ShutdownGrace && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None);
        }
        await _abort.CancelAsync();
        // Cancelled attempts give their jobs back at once; whatever still runs after another grace keeps its lease
        // until it runs out, which loses nothing.
        var unwind = TimeProvider.System.GetTimestamp();
        while (Volatile.Read(ref _inFlight) > 0 && TimeProvider.System.GetElapsedTime(unwind) < options.ShutdownGrace)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), CancellationToken.None);
        }
    }

    /// <summary>Loads the claim's events and configs in one go, then runs each job; when loading fails, each job loads its own.</summary>
    private async Task RunClaimedAsync(IReadOnlyList<DeliveryJob> jobs, long[] arrivals)
    {
        IReadOnlyList<JobInputs>? inputs = null;
        try
        {
            inputs = await JobInputs.LoadAsync(jobs, store, configs, secrets, _abort.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException || !_abort.IsCancellationRequested)
        {
            LogLoadFailed(logger, jobs.Count, e);
        }
        catch (OperationCanceledException)
        {
            // Stopping: each job below sees the abort and gives itself back.
        }
        for (var i = 0; i < jobs.Count; i++)
        {
            var (job, input, order) = (jobs[i], inputs?[i], arrivals[i]);
            _ = Task.Run(() => RunAsync(job, input, order, claimed: true));
        }
    }

    /// <summary>
    /// Runs one job and records its outcome: it is prepared in a worker slot, then waits for its turn to send without
    /// one. It counts as waiting (<see cref="WaitingJobs"/>) until its send starts or it ends without one.
    /// </summary>
    private async Task RunAsync(DeliveryJob job, JobInputs? inputs, long order, bool claimed)
    {
        var waiting = true;
        var holdsSlot = false;
        try
        {
            if (!_slots.Wait(0))
            {
                await _slots.WaitAsync(_stopping.Token);
            }
            holdsSlot = true;
            var outcome = await runner.RunAsync(job, leases.Owner, _abort.Token, TakeTurnAsync, inputs);
            // The attempt is over: the outcome waits for its group commit. The job stays leased and held until then,
            // and at most as many outcomes wait as there are slots.
            await _recording.WaitAsync(CancellationToken.None);
            if (holdsSlot)
            {
                // Ended without a send (skipped, or failed in the pipeline): it still holds the slot it was prepared in.
                _slots.Release();
                holdsSlot = false;
            }
            try
            {
                await RecordAsync(job, outcome);
            }
            finally
            {
                _recording.Release();
            }
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested || _stopping.IsCancellationRequested)
        {
            // Stopping: the job goes back to the queue at once, for another node or the next start.
            try
            {
                await store.ReleaseAsync(leases.Owner, [job.JobId], time.GetUtcNow(), CancellationToken.None);
            }
            catch (Exception e)
            {
                // It keeps its lease until it runs out, then is claimed: later, not lost.
                LogRunFailed(logger, job.EventId, e);
            }
        }
        catch (Exception e)
        {
            // The job keeps its lease until it runs out, then is claimed again: a crash here never loses the event, and
            // after Delivery:MaxLeaseExpiries such expiries the claim ends the job as failed.
            LogRunFailed(logger, job.EventId, e);
        }
        finally
        {
            leases.Drop(job.JobId);
            Interlocked.Decrement(ref _inFlight);
            if (waiting)
            {
                _waiting.Leave(job.OrgId, job.ConfigId, claimed);
            }
            if (holdsSlot)
            {
                _slots.Release();
            }
        }

        async Task<SendPermit> TakeTurnAsync(string destination, CancellationToken abort)
        {
            // The wait holds no worker slot: other jobs are prepared, and sent to other destinations, meanwhile.
            _slots.Release();
            holdsSlot = false;
            var permit = await scheduler.WaitAsync(job.OrgId, destination, order, _stopping.Token);
            waiting = false;
            _waiting.Leave(job.OrgId, job.ConfigId, claimed);
            return permit;
        }
    }

    private async Task RecordAsync(DeliveryJob job, RunOutcome outcome)
    {
        switch (outcome)
        {
            case RunOutcome.Done done:
                await writes.CompleteAsync(done.Completion);
                if (job.Kind == JobKind.Replay)
                {
                    // The next replay of its chain has just become claimable.
                    signal.Notify();
                }
                break;
        }
    }

    [LoggerMessage(EventId = 222, Level = LogLevel.Warning, Message = "Loading the events and configs of {Count} claimed jobs failed; each job loads its own")]
    private static partial void LogLoadFailed(ILogger logger, int count, Exception error);

    [LoggerMessage(EventId = 220, Level = LogLevel.Warning, Message = "Claiming due jobs failed")]
    private static partial void LogClaimFailed(ILogger logger, Exception error);

    [LoggerMessage(EventId = 221, Level = LogLevel.Error, Message = "Running the job of event {EventId} failed; it will be retried when its lease expires")]
    private static partial void LogRunFailed(ILogger logger, string eventId, Exception error);
}
