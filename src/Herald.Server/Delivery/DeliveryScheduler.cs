using Herald.Server.Http;
namespace Herald.Server.Delivery;

/// <summary>
/// Hands out this node's send permits: a worker's prepared job asks for one with its organization and destination
/// and waits, holding no worker slot, until <see cref="SendQueue"/> says it is its turn. A job is never given back to
/// the queue because its destination is busy; it waits here, in line.
/// </summary>
public sealed class DeliveryScheduler
{
    private readonly Lock _lock = new();
    private readonly SendQueue _queue;
    private long _waited;

    public DeliveryScheduler(WorkerOptions workers, DeliveryOptions delivery)
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
    }

    /// <summary>
    /// <see cref="WorkerOptions.Concurrency"/>: the node's send slots. Newcomers within their share overtake borrowed
    /// slots (<see cref="SendQueue"/>), so up to twice as many sends may be in flight.
    /// </summary>
    public int Total { get; }

    public int PerOrganization { get; }

    public int PerDestination { get; }

    /// <summary>Sends that could not start at once and waited in line, since the node started.</summary>
    public long Waited => Interlocked.Read(ref _waited);

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

    /// <summary>
    /// Waits for this job's turn to send; disposing the permit ends the send. A cancelled waiter leaves the line without
    /// a permit. <paramref name="order"/> is when the job reached the node: waiters to one destination start in that order.
    /// </summary>
    public Task<SendPermit> WaitAsync(OrganizationId orgId, string destination, long order, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var turn = new TaskCompletionSource<SendPermit>(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiter = new SendWaiter(orgId, destination, order, turn);
        List<SendWaiter> started;
        lock (_lock)
        {
            _queue.Enqueue(waiter);
            started = StartAll();
        }
        Grant(started);
        if (turn.Task.IsCompleted)
        {
            return turn.Task;
        }
        Interlocked.Increment(ref _waited);
        var registration = cancellationToken.UnsafeRegister(static (state, token) =>
        {
            var (scheduler, waiter) = ((DeliveryScheduler, SendWaiter))state!;
            scheduler.GiveUp(waiter, token);
        }, (this, waiter));
        _ = turn.Task.ContinueWith(static (_, r) => ((CancellationTokenRegistration)r!).Dispose(), registration,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return turn.Task;
    }

    /// <summary>Ends one send: called by <see cref="SendPermit.Dispose"/>.</summary>
    internal void End(OrganizationId orgId, string destination)
    {
        List<SendWaiter> started;
        lock (_lock)
        {
            _queue.Done(orgId, destination);
            started = StartAll();
        }
        Grant(started);
    }

    private void GiveUp(SendWaiter waiter, CancellationToken token)
    {
        bool removed;
        lock (_lock)
        {
            // False when it started meanwhile: then it has its permit and ends its send as usual.
            removed = _queue.Remove(waiter);
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
            started.Add(next);
        }
        return started;
    }

    /// <summary>Wakes the started waiters outside the lock; their continuations run elsewhere.</summary>
    private void Grant(List<SendWaiter> started)
    {
        foreach (var waiter in started)
        {
            ((TaskCompletionSource<SendPermit>)waiter.Tag!).TrySetResult(new SendPermit(this, waiter.OrgId, waiter.Destination));
        }
    }
}

/// <summary>The right to make one send; disposing it ends the send and lets the next waiter start.</summary>
public sealed class SendPermit(DeliveryScheduler scheduler, OrganizationId orgId, string destination) : IDisposable
{
    private int _ended;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
        {
            scheduler.End(orgId, destination);
        }
    }
}
