using Herald.Server.Delivery;
using Herald.Server.Http;

namespace Herald.Server.Tests.Delivery;

/// <summary>
/// What a <see cref="SendQueue"/> holds, kept beside it by the test, and the rules its starts are checked against:
/// counted here from the waiters and sends themselves, not read from the queue.
/// </summary>
internal sealed class Model(SendQueue queue, int total, int perOrganization, int perDestination)
{
    private readonly Dictionary<(OrganizationId, string), long> _lastStarted = [];

    public SendQueue Queue { get; } = queue;

    public List<SendWaiter> Waiting { get; } = [];

    public List<SendWaiter> InFlight { get; } = [];

    /// <summary>Organizations let through: until none of theirs waits.</summary>
    private readonly HashSet<OrganizationId> _letThrough = [];

    /// <summary>Lets <paramref name="org"/> through, in the queue and here, when one of its waits.</summary>
    public void LetThrough(OrganizationId org)
    {
        Queue.LetThrough(org);
        if (Waiting.Any(w => w.OrgId == org))
        {
            _letThrough.Add(org);
        }
    }

    private void ForgetLetThrough() => _letThrough.RemoveWhere(org => !Waiting.Any(w => w.OrgId == org));

    public void End(SendWaiter send)
    {
        Queue.Done(send.OrgId, send.Destination);
        InFlight.Remove(send);
    }

    /// <summary>Starts whatever the queue lets start, checking each start against the state just before it.</summary>
    public void StartAll()
    {
        ForgetLetThrough();
        while (Queue.Next() is { } started)
        {
            Assert.True(Waiting.Remove(started));
            var (org, destination) = (started.OrgId, started.Destination);
            if (ToDestination(destination) >= perDestination)
            {
                Assert.False(Waiting.Any(w => w.Destination != destination && ToDestination(w.Destination) < perDestination && OfOrg(w.OrgId) < perOrganization),
                    $"{destination} went beyond its share while another destination waited within its own");
            }
            if (OfOrg(org) >= perOrganization)
            {
                Assert.False(Waiting.Any(w => w.OrgId != org && OfOrg(w.OrgId) < perOrganization && ToDestination(w.Destination) < perDestination),
                    $"{org} went beyond its share while another organization waited within its own");
            }
            if (InFlight.Count >= total)
            {
                Assert.True(ToDestination(destination) < perDestination, $"{destination} overtook beyond its share");
            }
            if (InFlight.Count >= 2 * total)
            {
                Assert.True(_letThrough.Contains(org) && OfOrg(org) == 0, $"{org} went beyond twice the node's slots, not let through with none in flight");
            }
            InFlight.Add(started);
            Assert.True(_lastStarted.GetValueOrDefault((org, destination)) < started.Order, "a destination's waiters start in their order");
            _lastStarted[(org, destination)] = started.Order;
            ForgetLetThrough();
        }
        Assert.Equal(InFlight.Count, Queue.InFlight);
        Assert.Equal(Waiting.Count, Queue.Waiting);
        var mayStart = MayStart();
        foreach (var waiter in Waiting)
        {
            Assert.False(mayStart(waiter), $"{waiter.OrgId} to {waiter.Destination} was left waiting");
        }
    }

    private int OfOrg(OrganizationId org) => InFlight.Count(w => w.OrgId == org);

    private int ToDestination(string destination) => InFlight.Count(w => w.Destination == destination);

    /// <summary>
    /// The rules, spelled out: who waits within a share, who may borrow, who may overtake a full node, and that an
    /// organization let through starts a send to a destination below its share whenever it has none in flight. What
    /// does not depend on the waiter is counted once for the state, not once for each waiter.
    /// </summary>
    private Func<SendWaiter, bool> MayStart()
    {
        var ofOrg = InFlight.GroupBy(w => w.OrgId).ToDictionary(g => g.Key, g => g.Count());
        var toDestination = InFlight.GroupBy(w => w.Destination).ToDictionary(g => g.Key, g => g.Count());
        // The counts of the state, taken once: the members OfOrg and ToDestination count the same by scanning.
        int Sending(OrganizationId org) => ofOrg.GetValueOrDefault(org);
        int SendingTo(string destination) => toDestination.GetValueOrDefault(destination);
        var orgRivals = Waiting.Where(w => Sending(w.OrgId) < perOrganization && SendingTo(w.Destination) < perDestination)
            .Select(w => w.OrgId).ToHashSet();
        bool OrgMay(OrganizationId org) => Sending(org) < perOrganization || orgRivals.All(o => o == org);
        var destinationRivals = Waiting.Where(w => SendingTo(w.Destination) < perDestination && OrgMay(w.OrgId))
            .Select(w => w.Destination).ToHashSet();
        var orgShares = ofOrg.Values.Sum(count => Math.Min(count, perOrganization));
        var destinationShares = toDestination.Values.Sum(count => Math.Min(count, perDestination));
        return waiter =>
        {
            var destinationBelow = SendingTo(waiter.Destination) < perDestination;
            if (!OrgMay(waiter.OrgId) || (!destinationBelow && destinationRivals.Any(d => d != waiter.Destination)))
            {
                return false;
            }
            return InFlight.Count < total
                || (destinationBelow && _letThrough.Contains(waiter.OrgId) && Sending(waiter.OrgId) == 0)
                || (destinationBelow && InFlight.Count < 2 * total
                    && ((Sending(waiter.OrgId) < perOrganization && orgShares < total) || destinationShares < total));
        };
    }
}
