using System.Collections.Concurrent;

namespace Herald.Server.Delivery;

/// <summary>
/// Bounds the attempts in flight to one destination (scheme, host, port) on this node, so a slow or dead receiver
/// holds at most that many worker slots and never starves deliveries to the others. A job that finds its
/// destination full is given back to the queue for a moment instead of waiting in a slot.
/// </summary>
public sealed class DestinationLimits(int perDestination)
{
    private readonly ConcurrentDictionary<string, int> _inFlight = new(StringComparer.OrdinalIgnoreCase);

    public static string KeyOf(Uri url) => $"{url.Scheme}://{url.Host}:{url.Port}";

    public bool TryEnter(string destination)
    {
        while (true)
        {
            var current = _inFlight.GetOrAdd(destination, 0);
            if (current >= perDestination)
            {
                return false;
            }
            if (_inFlight.TryUpdate(destination, current + 1, current))
            {
                return true;
            }
        }
    }

    public void Exit(string destination) => _inFlight.AddOrUpdate(destination, 0, (_, current) => Math.Max(0, current - 1));
}
