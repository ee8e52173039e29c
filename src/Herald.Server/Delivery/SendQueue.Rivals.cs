namespace Herald.Server.Delivery;

public sealed partial class SendQueue
{
    /// <summary>
    /// Who waits within a share, at the moment of one decision. An organization below its share is a rival when one of
    /// its waiters' destinations is below its share; a destination below its share is a rival when one of its waiters
    /// belongs to an organization that may start. Waiters of a paused destination are no one's rivals.
    /// </summary>
    private sealed class Rivals
    {
        private readonly SendQueue _queue;
        private readonly HashSet<Organization> _orgs = [];
        private readonly HashSet<string> _destinations = new(StringComparer.OrdinalIgnoreCase);

        public Rivals(SendQueue queue)
        {
            _queue = queue;
            foreach (var org in queue._turns)
            {
                if (org.InFlight < queue._perOrganization && org.Turns.Any(line => !queue.IsBlocked(line.Destination) && queue.InFlightTo(line.Destination) < queue._perDestination))
                {
                    _orgs.Add(org);
                }
            }
            foreach (var org in queue._turns.Where(OrgMayStart))
            {
                foreach (var line in org.Turns.Where(line => !queue.IsBlocked(line.Destination) && queue.InFlightTo(line.Destination) < queue._perDestination))
                {
                    _destinations.Add(line.Destination);
                }
            }
        }

        /// <summary>Below its share, or beyond it while no other organization waits within its own.</summary>
        public bool OrgMayStart(Organization org) =>
            org.InFlight < _queue._perOrganization || _orgs.Count == 0 || (_orgs.Count == 1 && _orgs.Contains(org));

        public bool AnyDestinationBut(string destination) =>
            _destinations.Count > 1 || (_destinations.Count == 1 && !_destinations.Contains(destination));
    }
}
