using Herald.Server.Configs;

namespace Herald.Server.Delivery;

/// <summary>
/// The background delivery loop of one node: claims due jobs up to its free slots, runs each, and writes the
/// results through one group-committing writer. Woken by the in-process signal or a PostgreSQL NOTIFY, and by a
/// poll when neither comes. Stopping: no new claims; attempts in flight get a grace period, then are cancelled and
/// their jobs given back at once, so another node (or the next start) picks them up without waiting for a lease.
/// </summary>
public sealed partial class DeliveryWorker(
    IDeliveryStore store,
    IConfigStore configs,
    ConfigSecretsBox secrets,
    AttemptRunner runner,
    LeaseKeeper leases,
    QueueWriter writes,
    DeliverySignal signal,
    WorkerOptions options,
    DeliveryMetrics metrics,
    TimeProvider time,
    ILogger<DeliveryWorker> logger) : BackgroundService
{
    /// <summary>How long a job whose destination is full waits before it is due again.</summary>
    public static readonly TimeSpan BusyDelay = TimeSpan.FromSeconds(1);

    // None is disposed: attempts still unwinding after the host stops may touch them, and they hold no timers.
    private readonly CancellationTokenSource _abort = new();
    private readonly SemaphoreSlim _slots = new(options.Concurrency, options.Concurrency);
    private readonly SemaphoreSlim _recording = new(options.Concurrency, options.Concurrency);
    // Tickets for jobs committed leased to this node that have no slot yet: taken before the commit, given back when
    // the job gets a slot. They bound how many handed-over jobs wait in memory while every slot is busy.
    private readonly SemaphoreSlim _handOvers = new(options.Concurrency, options.Concurrency);
    private int _inFlight;
    private volatile bool _accepting;

    /// <summary>
    /// Takes a hand-over ticket for a job this node is about to commit leased to itself (see <see cref="RunReserved"/>);
    /// false when <see cref="WorkerOptions.Concurrency"/> handed-over jobs already wait for a slot, or the worker is not
    /// running. A reservation ends in <see cref="RunReserved"/> or <see cref="CancelReservation"/>.
    /// </summary>
    public bool TryReserve()
    {
        if (!_accepting || !_handOvers.Wait(0))
        {
            return false;
        }
        Interlocked.Increment(ref _inFlight);
        return true;
    }

    /// <summary>Gives a ticket back unused (the job's commit failed).</summary>
    public void CancelReservation()
    {
        Interlocked.Decrement(ref _inFlight);
        _handOvers.Release();
    }

    /// <summary>
    /// Runs a committed job leased to this node with the inputs the trigger already holds: no claim and no reads. It
    /// runs in the next free slot, in turn with claims and other handed-over jobs, and keeps its lease renewed while it
    /// waits. Should this node die first, the lease runs out and any node claims the job; should it stop first, the
    /// job is given back to the queue.
    /// </summary>
    public void RunReserved(DeliveryJob job, JobInputs inputs)
    {
        leases.Hold(job.JobId);
        metrics.HandedOver();
        // Queued on this thread's own queue, without the trigger request's execution context: the attempt starts on
        // this thread as soon as the trigger's answer is on its way, unless an idle thread takes it first.
        ThreadPool.UnsafeQueueUserWorkItem(static run => _ = run.Worker.RunAsync(run.Job, run.Inputs, handedOver: true), (Worker: this, Job: job, Inputs: inputs), preferLocal: true);
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
            // Slots this loop holds and has not handed to a job: given back whatever happens.
            var taken = 0;
            try
            {
                await _slots.WaitAsync(stoppingToken);
                taken = 1;
                // The other free slots are counted, not taken: while the claim runs, triggers may still hand their
                // events to them.
                var claimed = await store.ClaimDueAsync(leases.Owner, time.GetUtcNow(), leases.NewLeaseEnd(), 1 + _slots.CurrentCount, stoppingToken);
                // Each claimed job runs in a slot: the one held, then whichever are still free. A job left without one
                // (a trigger took the slot meanwhile) goes back to the queue at once.
                var jobs = new List<DeliveryJob>(claimed.Count);
                var surplus = new List<long>();
                foreach (var job in claimed)
                {
                    if (taken > 0)
                    {
                        taken--;
                        jobs.Add(job);
                    }
                    else if (_slots.Wait(0))
                    {
                        jobs.Add(job);
                    }
                    else
                    {
                        surplus.Add(job.JobId);
                    }
                }
                if (taken > 0)
                {
                    _slots.Release(taken);
                    taken = 0;
                }
                metrics.Claimed(jobs.Count);
                foreach (var job in jobs)
                {
                    leases.Hold(job.JobId);
                    Interlocked.Increment(ref _inFlight);
                }
                if (jobs.Count > 0)
                {
                    _ = Task.Run(() => RunClaimedAsync(jobs));
                }
                if (surplus.Count > 0)
                {
                    // Should this fail, the jobs keep their leases until they run out: later, not lost.
                    await store.ReleaseAsync(leases.Owner, surplus, time.GetUtcNow(), CancellationToken.None);
                }
                if (claimed.Count == 0)
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
                if (taken > 0)
                {
                    _slots.Release(taken);
                }
                LogClaimFailed(logger, e);
                await Task.Delay(options.PollInterval, TimeProvider.System, CancellationToken.None);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _accepting = false;
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
    private async Task RunClaimedAsync(IReadOnlyList<DeliveryJob> jobs)
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
            var (job, input) = (jobs[i], inputs?[i]);
            _ = Task.Run(() => RunAsync(job, input));
        }
    }

    /// <summary>
    /// Runs one job and records its outcome. A claimed job comes with its slot; a handed-over one holds a hand-over
    /// ticket and waits for the next free slot first (<paramref name="handedOver"/>).
    /// </summary>
    private async Task RunAsync(DeliveryJob job, JobInputs? inputs, bool handedOver = false)
    {
        var holdsTicket = handedOver;
        var holdsSlot = !handedOver;
        try
        {
            if (handedOver)
            {
                if (!_slots.Wait(0))
                {
                    await _slots.WaitAsync(_abort.Token);
                }
                holdsSlot = true;
                _handOvers.Release();
                holdsTicket = false;
            }
            var outcome = await runner.RunAsync(job, leases.Owner, _abort.Token, inputs: inputs);
            // The attempt is over: its slot goes to the next job while this outcome waits for its group commit. The job
            // stays leased and held until then, and at most as many outcomes wait as there are slots.
            await _recording.WaitAsync(CancellationToken.None);
            _slots.Release();
            holdsSlot = false;
            try
            {
                await RecordAsync(job, outcome);
            }
            finally
            {
                _recording.Release();
            }
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
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
            if (holdsTicket)
            {
                _handOvers.Release();
            }
            if (holdsSlot)
            {
                _slots.Release();
            }
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
            case RunOutcome.Busy:
                await store.ReleaseAsync(leases.Owner, [job.JobId], time.GetUtcNow() + BusyDelay, CancellationToken.None);
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
