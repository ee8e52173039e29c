using Herald.Server.Egress;
using Herald.Server.Http;
namespace Herald.Server.Delivery;

/// <summary>
/// Hands out this node's send permits: a worker's prepared job asks for one with its organization and destination
/// and waits, holding no worker slot, until <see cref="SendQueue"/> says it is its turn. A job is never given back to
/// the queue because its destination is busy; it waits here, in line. Two things may hold a job back first: its
/// config's <c>rateLimit</c> (<see cref="ConfigRates"/>) and its destination's breaker (<see cref="DestinationBreakers"/>);
/// a job either would keep waiting long for is deferred instead (<see cref="SendDeferredException"/>): its runner gives
/// it back to the queue due when it may send, so no job holds a slot or a lease for the length of a cool-down.
/// </summary>
public sealed class DeliveryScheduler
{
    private readonly Lock _lock = new();
    private readonly SendQueue _queue;
    private readonly DestinationBreakers _breakers;
    private readonly ConfigRates _rates = new();
    private readonly Dictionary<string, ITimer> _probeTimers = new(StringComparer.OrdinalIgnoreCase);
    // Organizations waiting with no send in flight, until DeliveryOptions.FullNodeWait lets them through.
    private readonly Dictionary<OrganizationId, ITimer> _fullNodeTimers = [];
    private readonly TimeSpan _fullNodeWait;
    private readonly TimeProvider _time;
    private long _waited;
    private long _letThrough;

    public DeliveryScheduler(WorkerOptions workers, DeliveryOptions delivery, TimeProvider? time = null)
    {
        Total = workers.Concurrency >= 1 ? workers.Concurrency
            : throw new InvalidSettingException($"{WorkerOptions.Section}:Concurrency must be at least 1 (got {workers.Concurrency})");
        PerOrganization = delivery.MaxConcurrentPerOrganization ?? Math.Max(1, Total / 2);
        PerDestination = delivery.MaxConcurrentPerDestination ?? Math.Max(1, Total / 2);
        if (PerOrganization < 1)
        {
            throw new InvalidSettingException($"{DeliveryOptions.Section}:MaxConcurrentPerOrganization must be at least 1 (got {PerOrganization})");
        }
        if (PerDestination < 1)
        {
            throw new InvalidSettingException($"{DeliveryOptions.Section}:MaxConcurrentPerDestination must be at least 1 (got {PerDestination})");
        }
        _queue = new SendQueue(Total, PerOrganization, PerDestination);
        _breakers = new DestinationBreakers(delivery.Breaker);
        _fullNodeWait = delivery.FullNodeWait;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// <see cref="WorkerOptions.Concurrency"/>: the node's send slots. Newcomers within their share overtake borrowed
    /// slots (<see cref="SendQueue"/>), so up to twice as many sends may be in flight, and one more for each organization
    /// let through after <see cref="DeliveryOptions.FullNodeWait"/>.
    /// </summary>
    public int Total { get; }

    public int PerOrganization { get; }

    public int PerDestination { get; }

    /// <summary>Destinations with a breaker, and destinations whose line is paused or allowed one send (for tests).</summary>
    internal (int Breakers, int Paused) Tracked
    {
        get
        {
            lock (_lock)
            {
                return (_breakers.Tracked, _queue.Paused);
            }
        }
    }

    /// <summary>Sends that could not start at once and waited in line, since the node started.</summary>
    public long Waited => Interlocked.Read(ref _waited);

    /// <summary>
    /// Organizations let through a full node since it started: they waited <see cref="DeliveryOptions.FullNodeWait"/>
    /// with no send in flight (<see cref="SendQueue.LetThrough"/>).
    /// </summary>
    public long LetThrough => Interlocked.Read(ref _letThrough);

    /// <summary>This node's jobs waiting for their turn, per destination that has any.</summary>
    public Dictionary<string, int> WaitingByDestination()
    {
        lock (_lock)
        {
            return _queue.WaitingByDestination();
        }
    }

    /// <summary>The key sends are bounded by: scheme, host and port.</summary>
    public static string DestinationOf(Uri url) => $"{url.Scheme}://{url.Host}:{url.Port}";

    /// <summary>Breakers opened or reopened on this node since it started.</summary>
    public long BreakersOpened
    {
        get
        {
            lock (_lock)
            {
                return _breakers.Opened;
            }
        }
    }

    /// <summary>The destinations whose breaker is open (or probing) on this node, with their current cool-down.</summary>
    public List<(string Destination, TimeSpan CoolDown)> OpenBreakers()
    {
        lock (_lock)
        {
            return _breakers.Open.ToList();
        }
    }

    /// <summary>A destination's breaker on this node.</summary>
    public BreakerState BreakerOf(string destination)
    {
        lock (_lock)
        {
            return _breakers.StateOf(destination);
        }
    }

    /// <summary>
    /// Waits for this job's turn to send; disposing the permit ends the send. A cancelled waiter leaves the line without
    /// a permit. <paramref name="order"/> is when the job reached the node: waiters to one destination start in that order.
    /// </summary>
    public Task<SendPermit> WaitAsync(OrganizationId orgId, string destination, long order, CancellationToken cancellationToken) =>
        WaitAsync(new SendTurn(orgId, destination, order), cancellationToken);

    /// <summary>
    /// Waits for the turn's config rate (when it has one), then for its turn to send. Throws
    /// <see cref="SendDeferredException"/> when the job should go back to the queue instead: its destination's breaker
    /// is open for a while yet, or its config's rate is booked beyond <see cref="ConfigRates.Horizon"/>.
    /// </summary>
    public Task<SendPermit> WaitAsync(SendTurn turn, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (turn is not { RateLimit: { } rate, ConfigId: { } configId })
        {
            return EnterLine(turn, cancellationToken);
        }
        TimeSpan wait;
        DateTimeOffset? deferUntil;
        lock (_lock)
        {
            (wait, deferUntil) = _rates.Book(turn.OrgId, configId, rate, _time.GetUtcNow());
        }
        if (deferUntil is { } until)
        {
            return Task.FromException<SendPermit>(new SendDeferredException(until, SendDeferredException.Reasons.Rate));
        }
        if (wait <= TimeSpan.Zero)
        {
            wait = StartDelay(turn);
        }
        return wait <= TimeSpan.Zero ? EnterLine(turn, cancellationToken) : AfterAsync(wait, turn, cancellationToken);
    }

    private async Task<SendPermit> AfterAsync(TimeSpan wait, SendTurn turn, CancellationToken cancellationToken)
    {
        while (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken);
            wait = StartDelay(turn);
        }
        return await EnterLine(turn, cancellationToken);
    }

    private TimeSpan StartDelay(SendTurn turn)
    {
        lock (_lock)
        {
            return _rates.Start(turn.OrgId, turn.ConfigId!.Value, turn.RateLimit!.Value, _time.GetUtcNow());
        }
    }

    private Task<SendPermit> EnterLine(SendTurn turn, CancellationToken cancellationToken)
    {
        var (orgId, destination, order) = (turn.OrgId, turn.Destination, turn.Order);
        var permit = new TaskCompletionSource<SendPermit>(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiter = new SendWaiter(orgId, destination, order, permit);
        List<SendWaiter> started;
        lock (_lock)
        {
            var (admission, until) = _breakers.Admit(destination, _time.GetUtcNow());
            if (admission == Admission.Defer)
            {
                return Task.FromException<SendPermit>(new SendDeferredException(until, SendDeferredException.Reasons.Breaker));
            }
            _queue.Enqueue(waiter);
            started = StartAll();
            WatchFullNode(orgId, started);
        }
        Grant(started);
        if (permit.Task.IsCompleted)
        {
            return permit.Task;
        }
        Interlocked.Increment(ref _waited);
        var registration = cancellationToken.UnsafeRegister(static (state, token) =>
        {
            var (scheduler, waiter) = ((DeliveryScheduler, SendWaiter))state!;
            scheduler.GiveUp(waiter, token);
        }, (this, waiter));
        _ = permit.Task.ContinueWith(static (_, r) => ((CancellationTokenRegistration)r!).Dispose(), registration,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return permit.Task;
    }

    /// <summary>
    /// Ends one send: called by <see cref="SendPermit.Dispose"/>, with whether it failed to reach its destination (null
    /// when it ended without an answer, its node stopping). Its breaker may open (the jobs in line to that destination
    /// are deferred to its probe), close (they start), or let another probe go.
    /// </summary>
    internal void End(OrganizationId orgId, string destination, bool probe, bool? connectionFailed)
    {
        List<SendWaiter> started;
        List<SendWaiter> deferred = [];
        DateTimeOffset until = default;
        lock (_lock)
        {
            _queue.Done(orgId, destination);
            var now = _time.GetUtcNow();
            switch (_breakers.Ended(destination, probe, connectionFailed, now))
            {
                case DestinationBreakers.Change.Opened:
                    _queue.Pause(destination);
                    deferred = _queue.RemoveAll(destination);
                    foreach (var waiter in deferred)
                    {
                        ForgetFullNodeWait(waiter.OrgId);
                    }
                    until = _breakers.Admit(destination, now).Until;
                    ScheduleProbe(destination, _breakers.ProbeAt(destination)!.Value - now);
                    break;
                case DestinationBreakers.Change.Closed:
                    _queue.Resume(destination);
                    DropProbe(destination);
                    break;
                case DestinationBreakers.Change.None when probe && connectionFailed is null:
                    // The probe never answered: the next in line probes instead.
                    _queue.AllowOne(destination);
                    break;
            }
            foreach (var forgotten in _breakers.TakeForgotten())
            {
                _queue.Resume(forgotten);
            }
            started = StartAll();
            WatchFullNode(orgId, started);
        }
        Grant(started);
        foreach (var waiter in deferred)
        {
            // Deferred to just before the probe, or, inside that window, they would simply have waited: either way
            // nothing of theirs is held for the cool-down.
            ((TaskCompletionSource<SendPermit>)waiter.Tag!).TrySetException(new SendDeferredException(until, SendDeferredException.Reasons.Breaker));
        }
    }

    private void ScheduleProbe(string destination, TimeSpan coolDown)
    {
        DropProbe(destination);
        _probeTimers[destination] = _time.CreateTimer(static state =>
        {
            var (scheduler, destination) = ((DeliveryScheduler, string))state!;
            scheduler.ProbeDue(destination);
        }, (this, destination), coolDown, Timeout.InfiniteTimeSpan);
    }

    private void DropProbe(string destination)
    {
        if (_probeTimers.Remove(destination, out var timer))
        {
            timer.Dispose();
        }
    }

    /// <summary>A breaker's cool-down ended: the first in line to its destination (or the next to come) is its probe.</summary>
    private void ProbeDue(string destination)
    {
        List<SendWaiter> started;
        lock (_lock)
        {
            DropProbe(destination);
            if (!_breakers.ProbeDue(destination))
            {
                return;
            }
            _queue.AllowOne(destination);
            started = StartAll();
        }
        Grant(started);
    }

    /// <summary>
    /// When <paramref name="orgId"/> waits with no send in flight, lets it through once it has waited
    /// <see cref="DeliveryOptions.FullNodeWait"/> (at once when that is zero, adding what starts to
    /// <paramref name="started"/>). Called under the lock.
    /// </summary>
    private void WatchFullNode(OrganizationId orgId, List<SendWaiter> started)
    {
        if (!_queue.WaitsWithNoneInFlight(orgId) || _fullNodeTimers.ContainsKey(orgId))
        {
            return;
        }
        if (_fullNodeWait <= TimeSpan.Zero)
        {
            started.AddRange(LetThroughNow(orgId));
            return;
        }
        _fullNodeTimers[orgId] = _time.CreateTimer(static state =>
        {
            var (scheduler, orgId) = ((DeliveryScheduler, OrganizationId))state!;
            scheduler.FullNodeWaitEnded(orgId);
        }, (this, orgId), _fullNodeWait, Timeout.InfiniteTimeSpan);
    }

    private void FullNodeWaitEnded(OrganizationId orgId)
    {
        List<SendWaiter> started;
        lock (_lock)
        {
            if (_fullNodeTimers.Remove(orgId, out var timer))
            {
                timer.Dispose();
            }
            // It may have started a send or lost its waiters meanwhile.
            started = _queue.WaitsWithNoneInFlight(orgId) ? LetThroughNow(orgId) : [];
        }
        Grant(started);
    }

    private List<SendWaiter> LetThroughNow(OrganizationId orgId)
    {
        Interlocked.Increment(ref _letThrough);
        _queue.LetThrough(orgId);
        return StartAll();
    }

    private void GiveUp(SendWaiter waiter, CancellationToken token)
    {
        bool removed;
        lock (_lock)
        {
            // False when it started meanwhile: then it has its permit and ends its send as usual.
            removed = _queue.Remove(waiter);
            ForgetFullNodeWait(waiter.OrgId);
        }
        if (removed)
        {
            ((TaskCompletionSource<SendPermit>)waiter.Tag!).TrySetCanceled(token);
        }
    }

    private List<SendWaiter> StartAll()
    {
        var started = new List<SendWaiter>();
        while (_queue.Next() is { } next)
        {
            if (_breakers.AwaitsProbe(next.Destination))
            {
                _breakers.ProbeStarted(next.Destination);
                next.Probe = true;
            }
            started.Add(next);
            // It has a send in flight now: its full node wait, if any, is over, and starts afresh once it waits again
            // with none in flight.
            ForgetFullNodeWait(next.OrgId);
        }
        return started;
    }

    /// <summary>
    /// Drops the full node wait of an organization that no longer waits with none in flight (a send of its started, or
    /// its waiters left), so a later wait is measured from its own start. Called under the lock.
    /// </summary>
    private void ForgetFullNodeWait(OrganizationId orgId)
    {
        if (_fullNodeTimers.Count > 0 && !_queue.WaitsWithNoneInFlight(orgId) && _fullNodeTimers.Remove(orgId, out var timer))
        {
            timer.Dispose();
        }
    }

    /// <summary>Wakes the started waiters outside the lock; their continuations run elsewhere.</summary>
    private void Grant(List<SendWaiter> started)
    {
        foreach (var waiter in started)
        {
            ((TaskCompletionSource<SendPermit>)waiter.Tag!).TrySetResult(new SendPermit(this, waiter.OrgId, waiter.Destination, waiter.Probe));
        }
    }
}

/// <summary>What a prepared job asks the <see cref="DeliveryScheduler"/> for: its turn to send to a destination.</summary>
/// <param name="Order">When the job reached the node: waiters to one destination start in this order.</param>
public sealed record SendTurn(OrganizationId OrgId, string Destination, long Order)
{
    /// <summary>The job's config, for its <see cref="RateLimit"/>.</summary>
    public ConfigId? ConfigId { get; init; }

    /// <summary>The config's <c>rateLimit</c>: sends per second on this node; null for none.</summary>
    public int? RateLimit { get; init; }
}

/// <summary>
/// The right to make one send; <see cref="Report"/> tells what the send met, and disposing it ends the send and lets
/// the next waiter start.
/// </summary>
public sealed class SendPermit(DeliveryScheduler scheduler, OrganizationId orgId, string destination, bool probe = false) : IDisposable
{
    private int _ended;
    private bool? _connectionFailed;

    /// <summary>Whether this send is its destination's breaker probe.</summary>
    public bool Probe => probe;

    /// <summary>What the send met: a connection-level failure counts towards its destination's breaker; any answer clears it.</summary>
    public void Report(AttemptResult result) => _connectionFailed = DestinationBreakers.IsConnectionFailure(result);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
        {
            scheduler.End(orgId, destination, probe, _connectionFailed);
        }
    }
}
