using System.Diagnostics;
using Herald.Server.Events;
using Herald.Server.Http;
using Herald.Server.Storage;
using Herald.Server.Telemetry;

namespace Herald.Server.Delivery;

/// <summary>Where a job the <see cref="JobRunner"/> runs came from.</summary>
public enum JobSource
{
    /// <summary>Claimed from the queue by this node's worker.</summary>
    Claimed,

    /// <summary>Committed leased to this node by a trigger and handed to it at once.</summary>
    HandedOver,

    /// <summary>A sync trigger's job: its caller awaits the outcome.</summary>
    Sync,
}

/// <summary>
/// Runs every job of this node, whether claimed, handed over or sync, the same way: it is prepared in a worker slot,
/// waits for its turn to send (<see cref="DeliveryScheduler"/>) without holding one, sends, and has its outcome
/// recorded through the group commit (<see cref="OutcomeWriter"/>). Its lease is held (<see cref="LeaseKeeper"/>)
/// from the start until the outcome is committed. Claimed and handed-over jobs count as waiting
/// (<see cref="WaitingJobs"/>) until their send starts. Registered on every node; only a node running workers
/// (<see cref="DeliveryWorker"/>) claims jobs or takes hand-overs. Stopping: jobs that have not started their send are
/// given back at once; sends in flight get a grace period, then are cancelled and their jobs given back at once, so
/// another node (or the next start) picks them up without waiting for a lease.
/// </summary>
public sealed partial class JobRunner(
    IDeliveryStore store,
    AttemptRunner runner,
    DeliveryScheduler scheduler,
    LeaseKeeper leases,
    OutcomeWriter outcomes,
    DeliverySignal signal,
    WorkerOptions options,
    DeliveryMetrics metrics,
    AttemptReports reports,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<JobRunner> logger) : IHostedService
{
    // None is disposed: attempts still unwinding after the host stops may touch them, and they hold no timers.
    private readonly CancellationTokenSource _abort = new();
    // Cancelled first on stop: jobs that have not started their send give themselves back at once.
    private readonly CancellationTokenSource _stopping = new();
    // Cancelled when the host's deadline for stopping comes before the grace ends.
    private readonly CancellationTokenSource _hurry = new();
    private readonly Lock _stopLock = new();
    private Task? _stop;
    // Worker slots bound the jobs being prepared (CPU, and the pipeline's own requests); a job waiting for its turn to
    // send holds none.
    private readonly SemaphoreSlim _slots = new(options.Concurrency, options.Concurrency);
    // Room for attempts from the start of their send (or the end of an attempt that sent nothing) until their outcome
    // is committed (Workers:MaxJobsHeld): while outcomes are written slower than attempts end, new sends wait here, so
    // the outcomes waiting for their commit stay bounded. Jobs waiting in line hold none: however many one
    // organization queues (sync triggers included), it holds room only for the sends its shares let it start.
    private readonly SemaphoreSlim _held = new(HeldBound(options), HeldBound(options));
    private int _inFlight;
    private long _arrivals;
    // When this node began to stop (UTC ticks, 0 before): the jobs it gives back then are all due at this one moment, so
    // they share statements.
    private long _stoppedAt;
    // Jobs going back to the queue, written together: a stopping node may give back hundreds at once, and one
    // transaction each would take as many connections from the pool at the same time.
    private readonly BatchWriter<(long JobId, DateTimeOffset DueAt), bool> _givebacks =
        new((jobs, _) => ReleaseAllAsync(store, leases.Owner, jobs), MaxGiveBacksPerStatement);
    private volatile bool _handOvers;

    /// <summary>The jobs of this node that have not started their send: bounds claims and hand-overs.</summary>
    // On the machine's own clock: the pace at which jobs start their sends here, and how long a trigger may wait for
    // room, are not the events' time.
    public WaitingJobs Waiting { get; } = new(options.Concurrency, TimeProvider.System, options.HandOverMaxBytes);

    /// <summary>Whether the worker runs and hand-overs are taken (set by <see cref="DeliveryWorker"/>).</summary>
    internal bool TakesHandOvers
    {
        get => _handOvers;
        set
        {
            _handOvers = value;
            if (!value)
            {
                Waiting.EndWaits();
            }
        }
    }

    /// <summary>
    /// Makes room for a job of <paramref name="bytes"/> (<see cref="WaitingJobs.SizeOf"/>) this node is about to commit
    /// leased to itself (see <see cref="RunHandedOver"/>), waiting at most <paramref name="wait"/> for a job ahead of it
    /// to start its send when there is none now (<see cref="WaitingJobs.AdmitAsync"/>); false when no room came, or no
    /// worker runs here. A reservation ends in <see cref="RunHandedOver"/> or <see cref="CancelReservation"/>.
    /// </summary>
    public async ValueTask<bool> ReserveAsync(OrganizationId orgId, ConfigId configId, long bytes, TimeSpan wait)
    {
        if (!_handOvers || !await Waiting.AdmitAsync(orgId, configId, bytes, wait))
        {
            return false;
        }
        if (!_handOvers)
        {
            // Stopped while it waited.
            Waiting.Leave(orgId, configId, claimed: false, bytes);
            return false;
        }
        Interlocked.Increment(ref _inFlight);
        return true;
    }

    /// <summary>Gives a reservation of <paramref name="bytes"/> (as reserved) back unused (the job's commit failed).</summary>
    public void CancelReservation(OrganizationId orgId, ConfigId configId, long bytes)
    {
        Interlocked.Decrement(ref _inFlight);
        Waiting.Leave(orgId, configId, claimed: false, bytes);
    }

    /// <summary>
    /// Runs a committed job leased to this node with the inputs the trigger already holds: no claim and no reads. It
    /// is prepared in the next free slot and sends in its turn with claimed jobs, its lease renewed while it waits.
    /// </summary>
    public void RunHandedOver(DeliveryJob job, JobInputs inputs)
    {
        leases.Hold(job.JobId);
        metrics.HandedOver();
        // Queued on this thread's own queue, without the trigger request's execution context: the attempt starts on
        // this thread as soon as the trigger's answer is on its way, unless an idle thread takes it first.
        var order = Interlocked.Increment(ref _arrivals);
        // The trigger's span goes along by hand: its attempt's span is its child.
        ThreadPool.UnsafeQueueUserWorkItem(static run => _ = run.Runner.RunAsync(run.Job, run.Inputs, run.Order, JobSource.HandedOver, run.Parent),
            (Runner: this, Job: job, Inputs: inputs, Order: order, Parent: Activity.Current?.Context ?? default), preferLocal: true);
    }

    /// <summary>
    /// Runs a sync trigger's committed job, leased to this node, like any other, and answers its recorded outcome;
    /// null when this node stopped before the outcome (the job went back to the queue). Throws what the run could not
    /// record (its lease then runs out and any node claims it).
    /// </summary>
    public Task<RunOutcome.Done?> RunNowAsync(DeliveryJob job, JobInputs inputs)
    {
        leases.Hold(job.JobId);
        Interlocked.Increment(ref _inFlight);
        return RunAsync(job, inputs, Interlocked.Increment(ref _arrivals), JobSource.Sync);
    }

    /// <summary>Runs claimed jobs (already counted in <see cref="WaitingJobs"/>); <paramref name="inputs"/> null makes each read its own.</summary>
    internal void RunClaimed(IReadOnlyList<DeliveryJob> jobs, IReadOnlyList<JobInputs>? inputs)
    {
        for (var i = 0; i < jobs.Count; i++)
        {
            var (job, input) = (jobs[i], inputs?[i]);
            leases.Hold(job.JobId);
            Interlocked.Increment(ref _inFlight);
            var order = Interlocked.Increment(ref _arrivals);
            _ = Task.Run(() => RunAsync(job, input, order, JobSource.Claimed));
        }
    }

    /// <summary>Cancelled when this node stops: a claim's reads end with it.</summary>
    internal CancellationToken Abort => _abort.Token;

    /// <summary>
    /// Runs one job and records its outcome: it is prepared in a worker slot, then waits for its turn to send without
    /// one. A claimed or handed-over job counts as waiting (<see cref="WaitingJobs"/>) until its send starts or it ends
    /// without one.
    /// </summary>
    private async Task<RunOutcome.Done?> RunAsync(DeliveryJob job, JobInputs? inputs, long order, JobSource source, ActivityContext parent = default)
    {
        // A child of the trigger's span when handed over or sync; a claimed job's starts a trace of its own.
        using var span = HeraldTraces.Source.StartActivity(HeraldTraces.Attempt, ActivityKind.Internal, source == JobSource.Claimed ? default : parent);
        span?.SetTag("herald.event_id", job.EventId.Value);
        span?.SetTag("herald.config_id", job.ConfigId);
        var counted = source != JobSource.Sync;
        var waiting = counted;
        // As counted in when it was handed over.
        var bytes = source == JobSource.HandedOver ? WaitingJobs.SizeOf(inputs?.Event) : 0;
        var holdsSlot = false;
        var held = false;
        try
        {
            if (!_slots.Wait(0))
            {
                await _slots.WaitAsync(_stopping.Token);
            }
            holdsSlot = true;
            var outcome = (RunOutcome.Done)await runner.RunAsync(job, leases.Owner, _abort.Token, TakeTurnAsync, inputs);
            // The attempt is over: the outcome waits for its group commit, the job leased and held until then.
            if (!held)
            {
                // Ended without a send (skipped, or failed in the pipeline): its outcome takes room now.
                await _held.WaitAsync(CancellationToken.None);
                held = true;
            }
            if (holdsSlot)
            {
                // Ended without a send (skipped, or failed in the pipeline): it still holds the slot it was prepared in.
                _slots.Release();
                holdsSlot = false;
            }
            await outcomes.CompleteAsync(outcome.Completion);
            reports.Ended(outcome, span);
            if (job.Kind == JobKind.Replay)
            {
                // The next replay of its chain has just become claimable.
                signal.Notify();
            }
            return outcome;
        }
        catch (SendDeferredException deferred)
        {
            // Not an attempt: the job goes back to the queue, due when its destination's breaker or its config's rate
            // lets it send, or shortly when the database could not serve it, with its attempt count and lease expiries
            // unchanged, and holds nothing meanwhile.
            metrics.Deferred(deferred.Reason);
            await GiveBackAsync(job, deferred.Until);
            return null;
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested || _stopping.IsCancellationRequested)
        {
            // Stopping: the job goes back to the queue at once, for another node or the next start.
            var stoppedAt = Interlocked.Read(ref _stoppedAt);
            await GiveBackAsync(job, stoppedAt > 0 ? new DateTimeOffset(stoppedAt, TimeSpan.Zero) : time.GetUtcNow());
            return null;
        }
        catch (Exception e) when (source != JobSource.Sync)
        {
            // The job keeps its lease until it runs out, then is claimed again: a crash here never loses the event, and
            // after Delivery:MaxLeaseExpiries such expiries the claim ends the job as failed.
            LogRunFailed(logger, job.EventId, e);
            return null;
        }
        finally
        {
            leases.Drop(job.JobId);
            Interlocked.Decrement(ref _inFlight);
            if (waiting)
            {
                Waiting.Leave(job.OrgId, job.ConfigId, source == JobSource.Claimed, bytes);
            }
            if (holdsSlot)
            {
                _slots.Release();
            }
            if (held)
            {
                _held.Release();
            }
        }

        async Task<SendPermit> TakeTurnAsync(SendTurn turn, CancellationToken abort)
        {
            // The wait holds no worker slot: other jobs are prepared, and sent to other destinations, meanwhile.
            _slots.Release();
            holdsSlot = false;
            var permit = await scheduler.WaitAsync(turn with { Order = order }, _stopping.Token);
            if (waiting)
            {
                waiting = false;
                Waiting.Leave(job.OrgId, job.ConfigId, source == JobSource.Claimed, bytes);
            }
            try
            {
                if (!held)
                {
                    await _held.WaitAsync(_stopping.Token);
                    held = true;
                }
            }
            catch
            {
                permit.Dispose();
                throw;
            }
            return permit;
        }
    }

    private static int HeldBound(WorkerOptions options) => options.MaxJobsHeld >= 1 ? options.MaxJobsHeld
        : throw new InvalidSettingException($"{WorkerOptions.Section}:MaxJobsHeld must be at least 1 (got {options.MaxJobsHeld})");

    private async Task GiveBackAsync(DeliveryJob job, DateTimeOffset dueAt)
    {
        try
        {
            await _givebacks.WriteAsync((job.JobId, dueAt));
        }
        catch (Exception e)
        {
            // It keeps its lease until it runs out, then is claimed: later, not lost.
            LogRunFailed(logger, job.EventId, e);
        }
    }

    private const int MaxGiveBacksPerStatement = 1000;

    /// <summary>Gives back the gathered jobs, one statement for those due at the same moment.</summary>
    private static async Task<IReadOnlyList<bool>> ReleaseAllAsync(IDeliveryStore store, string owner, IReadOnlyList<(long JobId, DateTimeOffset DueAt)> jobs)
    {
        foreach (var due in jobs.GroupBy(j => j.DueAt))
        {
            await store.ReleaseAsync(owner, [.. due.Select(j => j.JobId)], due.Key, CancellationToken.None);
        }
        return new bool[jobs.Count];
    }

    /// <summary>
    /// Starts stopping as soon as the host does: before the web server waits for the requests in flight to end, so a
    /// sync trigger whose attempt runs is answered within <see cref="WorkerOptions.ShutdownGrace"/>, not when the
    /// attempt times out.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopping.Register(() => BeginStop());
        return Task.CompletedTask;
    }

    /// <summary>Whether this node has begun to stop: its worker claims nothing more.</summary>
    internal bool Stopping => _stopping.IsCancellationRequested;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // The host's own deadline cuts the grace short.
        await using var hurry = cancellationToken.Register(() => _hurry.Cancel());
        await BeginStop();
    }

    /// <summary>Stops once, whichever asks first: the host's stopping signal or <see cref="StopAsync"/>.</summary>
    private Task BeginStop()
    {
        lock (_stopLock)
        {
            return _stop ??= Task.Run(StopRunAsync);
        }
    }

    private async Task StopRunAsync()
    {
        TakesHandOvers = false;
        Interlocked.Exchange(ref _stoppedAt, time.GetUtcNow().UtcTicks);
        await _stopping.CancelAsync();
        // The grace is wall-clock time: it bounds how long the process takes to stop, whatever the domain clock says.
        var grace = TimeProvider.System.GetTimestamp();
        while (Volatile.Read(ref _inFlight) > 0 && TimeProvider.System.GetElapsedTime(grace) < options.ShutdownGrace && !_hurry.IsCancellationRequested)
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

    [LoggerMessage(EventId = 221, Level = LogLevel.Error, Message = "Running the job of event {EventId} failed; it will be retried when its lease expires")]
    private static partial void LogRunFailed(ILogger logger, WebhookEventId eventId, Exception error);
}
