namespace Herald.Server.Recovery;

/// <summary>Wakes this node's recovery worker when a recovery starts here. Only a hint: the worker also polls.</summary>
public sealed class RecoverySignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try
        {
            if (_signal.CurrentCount == 0)
            {
                _signal.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Another notifier got there first; one pending wake-up is enough.
        }
    }

    /// <summary>Waits for a wake-up or <paramref name="timeout"/> of wall-clock time, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => await _signal.WaitAsync(timeout, cancellationToken);
}
