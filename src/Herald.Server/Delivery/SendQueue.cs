using Herald.Server.Http;

namespace Herald.Server.Delivery;

/// <summary>A prepared job waiting for its turn to send: its organization, its destination, and its place in line.</summary>
public sealed class SendWaiter(OrganizationId orgId, string destination, long order, object? tag = null)
{
    public OrganizationId OrgId { get; } = orgId;

    public string Destination { get; } = destination;

    /// <summary>When the job reached the node; a destination's waiters start in this order.</summary>
    public long Order { get; } = order;

    /// <summary>Whatever the caller needs to wake this waiter when it starts.</summary>
    public object? Tag { get; } = tag;

    /// <summary>Set when it started as its destination's breaker probe (<see cref="DestinationBreakers"/>).</summary>
    public bool Probe { get; set; }

    internal LinkedListNode<SendWaiter>? Node { get; set; }
}

/// <summary>
/// The pure decision of which waiting send starts next, and the counts it rests on; no clock, no threads, no I/O.
/// <list type="bullet">
/// <item>Organizations take turns (round-robin), then the destinations of the chosen organization, and within one
/// destination its waiters start first in, first out.</item>
/// <item>Each organization has a share (<c>perOrganization</c> sends in flight) and each destination (scheme, host,
/// port, across organizations) has one (<c>perDestination</c>). Beyond its share an organization, or a destination,
/// may borrow free slots of the node (up to <c>total</c> in flight), but only while no other organization, or
/// destination, that could start a send within its share waits. So one receiver alone may use every slot.</item>
/// <item>A send to a destination below its share starts even when borrowed slots fill the node, if its organization
/// is below its share too or no other organization waits: sends in flight cannot be taken back (a receiver that
/// never answers holds its slot until the attempt times out), so a newcomer overtakes the borrowers instead of
/// waiting for them. It does so only while the organizations' shares in use, or the destinations' shares in use,
/// are fewer than <c>total</c>, and never beyond <c>2 * total</c> sends in flight.</item>
/// <item>An organization let through (<see cref="LetThrough"/>: it waited too long with no send in flight) starts a
/// send to a destination below its share whenever it has none in flight, however full the node: one at a time beyond
/// the bounds, until it has no one left waiting.</item>
/// <item>A paused destination (its breaker is open) starts nothing, and its waiters are no one's rivals, until it is
/// resumed; <see cref="AllowOne"/> lets exactly one of them start (the probe).</item>
/// </list>
/// </summary>
public sealed partial class SendQueue
{
    private readonly int _total;
    private readonly int _perOrganization;
    private readonly int _perDestination;
    private readonly Dictionary<OrganizationId, Organization> _orgs = [];
    private readonly Dictionary<string, int> _toDestination = new(StringComparer.OrdinalIgnoreCase);
    // Organizations with waiters, in turn order: the head is asked first.
    private readonly LinkedList<Organization> _turns = new();
    // Paused destinations; true while one waiter may start (the probe).
    private readonly Dictionary<string, bool> _paused = new(StringComparer.OrdinalIgnoreCase);
    // Sends within their organization's share, and within their destination's share: the sum over each of min(in flight, share).
    private int _orgShares;
    private int _destinationShares;

    public SendQueue(int total, int perOrganization, int perDestination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(total, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(perOrganization, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(perDestination, 1);
        (_total, _perOrganization, _perDestination) = (total, Math.Min(perOrganization, total), Math.Min(perDestination, total));
    }

    /// <summary>
    /// The most sends in flight the node has, but for organizations let through (<see cref="LetThrough"/>, one send each):
    /// its slots, and as many again for newcomers overtaking borrowers.
    /// </summary>
    public int Bound => 2 * _total;

    /// <summary>Sends in flight on the node.</summary>
    public int InFlight { get; private set; }

    /// <summary>Waiters not yet started.</summary>
    public int Waiting { get; private set; }

    public int InFlightOf(OrganizationId orgId) => _orgs.TryGetValue(orgId, out var org) ? org.InFlight : 0;

    public int InFlightTo(string destination) => _toDestination.GetValueOrDefault(destination);

    public void Enqueue(SendWaiter waiter)
    {
        var org = OrgOf(waiter.OrgId);
        if (!org.Lines.TryGetValue(waiter.Destination, out var line))
        {
            line = new Line(waiter.Destination);
            org.Lines[waiter.Destination] = line;
        }
        // First in, first out by arrival on the node: a job prepared late still goes before those that came after it.
        var after = line.Waiters.Last;
        while (after is not null && after.Value.Order > waiter.Order)
        {
            after = after.Previous;
        }
        waiter.Node = after is null ? line.Waiters.AddFirst(waiter) : line.Waiters.AddAfter(after, waiter);
        if (line.Turn is null)
        {
            line.Turn = org.Turns.AddLast(line);
        }
        if (org.Turn is null)
        {
            org.Turn = _turns.AddLast(org);
        }
        Waiting++;
    }

    /// <summary>Takes a waiter out of line (it gave up); false when it already started or was never queued.</summary>
    public bool Remove(SendWaiter waiter)
    {
        if (waiter.Node?.List is not { } waiters)
        {
            return false;
        }
        waiters.Remove(waiter.Node);
        waiter.Node = null;
        Waiting--;
        var org = _orgs[waiter.OrgId];
        Retire(org, org.Lines[waiter.Destination]);
        return true;
    }

    /// <summary>
    /// Whether <paramref name="orgId"/> has waiters, none of its sends in flight, and is not let through: the case
    /// <see cref="LetThrough"/> is for, once it lasts.
    /// </summary>
    public bool WaitsWithNoneInFlight(OrganizationId orgId) =>
        _orgs.TryGetValue(orgId, out var org) && org.Turn is not null && org.InFlight == 0 && !org.LetThrough;

    /// <summary>
    /// From now until it has no one left waiting, the organization starts a send whenever it has none in flight and a
    /// waiter's destination is below its share, however full the node (see the class summary).
    /// </summary>
    public void LetThrough(OrganizationId orgId)
    {
        if (_orgs.TryGetValue(orgId, out var org) && org.Turn is not null)
        {
            org.LetThrough = true;
        }
    }

    /// <summary>Starts nothing to <paramref name="destination"/> until <see cref="Resume"/> (or one, after <see cref="AllowOne"/>).</summary>
    public void Pause(string destination) => _paused[destination] = false;

    /// <summary>Lets one waiter of a paused destination start; it stays paused after.</summary>
    public void AllowOne(string destination)
    {
        if (_paused.ContainsKey(destination))
        {
            _paused[destination] = true;
        }
    }

    public void Resume(string destination) => _paused.Remove(destination);

    /// <summary>Destinations paused, or allowed one send (for tests).</summary>
    internal int Paused => _paused.Count;

    /// <summary>Whether no waiter to <paramref name="destination"/> may start now because it is paused.</summary>
    public bool IsBlocked(string destination) => _paused.TryGetValue(destination, out var oneMay) && !oneMay;

    /// <summary>Takes every waiter to <paramref name="destination"/> out of line, in order within each organization.</summary>
    public List<SendWaiter> RemoveAll(string destination)
    {
        var removed = _orgs.Values.Where(o => o.Lines.ContainsKey(destination)).SelectMany(o => o.Lines[destination].Waiters).ToList();
        foreach (var waiter in removed)
        {
            Remove(waiter);
        }
        return removed;
    }

    /// <summary>The waiter that starts now, counted in flight; null when none may start.</summary>
    public SendWaiter? Next()
    {
        var rivals = new Rivals(this);
        for (var org = _turns.First; org is not null; org = org.Next)
        {
            if (!rivals.OrgMayStart(org.Value))
            {
                continue;
            }
            for (var line = org.Value.Turns.First; line is not null; line = line.Next)
            {
                if (IsBlocked(line.Value.Destination) || !MayStart(org.Value, line.Value.Destination, rivals))
                {
                    continue;
                }
                if (_paused.ContainsKey(line.Value.Destination))
                {
                    // The one it was allowed.
                    _paused[line.Value.Destination] = false;
                }
                var waiter = line.Value.Waiters.First!.Value;
                line.Value.Waiters.RemoveFirst();
                waiter.Node = null;
                Waiting--;
                Start(org.Value, waiter.Destination);
                // Both go to the back of their turns; a line or an organization with no one left drops out.
                org.Value.Turns.Remove(line);
                org.Value.Turns.AddLast(line);
                _turns.Remove(org);
                _turns.AddLast(org);
                Retire(org.Value, line.Value);
                return waiter;
            }
        }
        return null;
    }

    /// <summary>A send of <paramref name="orgId"/> to <paramref name="destination"/> ended.</summary>
    public void Done(OrganizationId orgId, string destination)
    {
        var org = _orgs[orgId];
        if (org.InFlight <= _perOrganization)
        {
            _orgShares--;
        }
        org.InFlight--;
        InFlight--;
        var before = _toDestination[destination];
        if (before <= _perDestination)
        {
            _destinationShares--;
        }
        if (before == 1)
        {
            _toDestination.Remove(destination);
        }
        else
        {
            _toDestination[destination] = before - 1;
        }
        Forget(org);
    }

    /// <summary>Whether the organization's waiter to <paramref name="destination"/> may start, the organization's turn allowing.</summary>
    private bool MayStart(Organization org, string destination, Rivals rivals)
    {
        var destinationBelow = InFlightTo(destination) < _perDestination;
        if (!destinationBelow && rivals.AnyDestinationBut(destination))
        {
            return false;
        }
        if (InFlight < _total || (destinationBelow && org.LetThrough && org.InFlight == 0))
        {
            return true;
        }
        // The node is full: only a destination below its share overtakes the borrowers, while shares are left to take.
        return destinationBelow && InFlight < Bound
            && ((org.InFlight < _perOrganization && _orgShares < _total) || _destinationShares < _total);
    }

    private void Start(Organization org, string destination)
    {
        if (org.InFlight < _perOrganization)
        {
            _orgShares++;
        }
        org.InFlight++;
        InFlight++;
        var before = InFlightTo(destination);
        if (before < _perDestination)
        {
            _destinationShares++;
        }
        _toDestination[destination] = before + 1;
    }

    private Organization OrgOf(OrganizationId orgId)
    {
        if (!_orgs.TryGetValue(orgId, out var org))
        {
            org = new Organization(orgId);
            _orgs[orgId] = org;
        }
        return org;
    }

    private void Retire(Organization org, Line line)
    {
        if (line.Waiters.Count == 0 && line.Turn is not null)
        {
            org.Turns.Remove(line.Turn);
            line.Turn = null;
            org.Lines.Remove(line.Destination);
        }
        if (org.Turns.Count == 0 && org.Turn is not null)
        {
            _turns.Remove(org.Turn);
            org.Turn = null;
            org.LetThrough = false;
        }
        Forget(org);
    }

    /// <summary>An organization with nothing waiting and nothing in flight is dropped, so the maps stay as small as the work.</summary>
    private void Forget(Organization org)
    {
        if (org.InFlight == 0 && org.Turn is null)
        {
            _orgs.Remove(org.Id);
        }
    }

    private sealed class Organization(OrganizationId id)
    {
        public OrganizationId Id { get; } = id;

        public int InFlight;
        public bool LetThrough;
        public LinkedListNode<Organization>? Turn;
        public readonly Dictionary<string, Line> Lines = new(StringComparer.OrdinalIgnoreCase);
        public readonly LinkedList<Line> Turns = new();
    }

    private sealed class Line(string destination)
    {
        public string Destination { get; } = destination;

        public LinkedList<SendWaiter> Waiters { get; } = new();

        public LinkedListNode<Line>? Turn;
    }
}
