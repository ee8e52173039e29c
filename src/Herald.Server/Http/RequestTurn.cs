using System.Threading.RateLimiting;

namespace Herald.Server.Http;

/// <summary>
/// One API request's turn among its organization's requests on this node (<c>Requests:MaxConcurrentPerOrganization</c>).
/// Held from the moment the request's turn came until it ends, or until <see cref="Release"/>: a request that goes on to
/// wait for something outside the node (a sync trigger waiting for its receiver) gives its turn to the next one then.
/// </summary>
public sealed class RequestTurn(RateLimitLease lease) : IDisposable
{
    private int _released;

    /// <summary>Gives the turn to the organization's next waiting request; later calls do nothing.</summary>
    public void Release()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            lease.Dispose();
        }
    }

    public void Dispose() => Release();
}
