namespace Herald.Server.Delivery;

/// <summary>
/// The in-process wake-up for idle workers. Only a hint: fail open, a missed wake-up is caught by the poll.
/// </summary>
public sealed class DeliverySignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another notifier got there first; one pending wake-up is enough.
            }
        }
    }

    private static void CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The wait already ended; a late timer has nothing left to wake.
        }
    }

    /// <summary>
    /// Waits for a wake-up or until <paramref name="until"/> on <paramref name="time"/>'s clock. The clock is read again
    /// once the timer is made: a clock that moved past the deadline meanwhile (a fake clock a test moves on, in one step,
    /// while the worker is between its claim and this wait) ends the wait at once, instead of leaving a timer that counts
    /// its whole interval from the new time and never fires.
    /// </summary>
    public async Task WaitAsync(DateTimeOffset until, TimeProvider time, CancellationToken cancellationToken)
    {
        var timeout = until - time.GetUtcNow();
        if (timeout <= TimeSpan.Zero)
        {
            return;
        }
        using var poll = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var timer = time.CreateTimer(static state => CancelQuietly((CancellationTokenSource)state!), poll, timeout, Timeout.InfiniteTimeSpan);
        if (time.GetUtcNow() >= until)
        {
            return;
        }
        try
        {
            await _signal.WaitAsync(poll.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The poll interval passed.
        }
    }
}
