using Herald.Server.Events;
using Herald.Server.Http;

namespace Herald.Server.Delivery;

/// <summary>
/// Bounds the jobs this node holds that have not started their send yet (being prepared, or waiting in the
/// <see cref="DeliveryScheduler"/>'s line), so a node takes only as many jobs as it can start soon and leaves the rest
/// in the queue for other nodes. With <c>bound</c> = <see cref="WorkerOptions.Concurrency"/>:
/// <list type="bullet">
/// <item>Claimed jobs still waiting are at most <c>2 * bound</c>, and of one organization at most <c>bound / 2</c>
/// (at least one), less as more organizations hold some: <c>2 * bound</c> shared by the organizations holding claimed
/// jobs and two more. An organization keeps what it holds when its share shrinks, but claims again only up to the new
/// share, so the room settles with two shares free for organizations that come later. A claim takes what is left of both
/// (<see cref="ClaimRoomNow"/>), organizations in turn. So jobs of an organization whose receivers never answer,
/// claimed and waiting for their destinations' slots, hold up neither the claims of another organization's jobs nor,
/// since the claim takes organizations in turn, are they taken before those when they came first. Should several such
/// organizations fill the room all the same (each kept what it claimed as the shares shrank), an organization that
/// holds no claimed job still claims one at a time, beyond the room, up to <c>2 * bound</c> more in all.</item>
/// <item>A trigger hands its job over while fewer than <c>2 * bound</c> handed-over jobs of its config, <c>4 * bound</c>
/// of its organization and <c>8 * bound</c> in all wait. A config's room is what its destination may have in flight
/// when alone (twice the node's slots, see <see cref="DeliveryScheduler"/>): one round of sends, so its jobs start soon
/// even while the node's CPU, not the receiver, is what they wait for (with <c>bound</c> alone, half the jobs of a
/// steady stream to one fast receiver went through the queue and a claim). A config whose receiver is slow (or never
/// answers) fills its own room, not its organization's, and an organization fills at most half the node's, so other
/// configs' and other organizations' triggers still go straight to this node. Claimed jobs have their own room: jobs of
/// a full destination claimed from the queue can hold up further claims, never the hand-overs.</item>
/// <item>A trigger that finds no room may wait for it, at most <see cref="WorkerOptions.HandOverWait"/> and in the order
/// the triggers came, but only while the jobs ahead of it start their sends at a pace that frees a place within that
/// time (<see cref="AdmitAsync"/>). When the node's CPU is what the jobs wait for, a place frees within a millisecond
/// or so: the trigger's job is then handed over after that wait instead of being written to the queue, where a claim,
/// a read of its event and a lease update would cost more than the wait, and the triggers cannot run ahead of the
/// deliveries. A config whose receiver is slow or never answers frees its places seldom: its triggers do not wait.</item>
/// <item>The inputs of the handed-over jobs waiting on the node are held in memory: together they stay within
/// <see cref="WorkerOptions.HandOverMaxBytes"/> (estimated, <see cref="SizeOf"/>), unless only one waits. Beyond that a
/// job goes to the queue, and its input is read from the store when a claim takes it.</item>
/// </list>
/// </summary>
public sealed class WaitingJobs
{
    private readonly int _bound;
    private readonly long _maxBytes;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Dictionary<(OrganizationId OrgId, ConfigId ConfigId), Room> _byConfig = [];
    private readonly Dictionary<OrganizationId, Room> _byOrg = [];
    private readonly Room _node;
    // Triggers waiting for room, first come first served.
    private readonly LinkedList<Waiter> _waiters = new();
    private TaskCompletionSource _room = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _claimed;
    private readonly Dictionary<OrganizationId, int> _claimedByOrg = [];
    // Organizations the last claims may have left jobs of in the queue: they took all the organization's share allowed.
    private readonly HashSet<OrganizationId> _capped = [];
    private long _bytes;
    private int _leftSinceSweep;
    private const int SweepEvery = 4096;

    public WaitingJobs(int bound, TimeProvider? time = null, long maxBytes = WorkerOptions.DefaultHandOverMaxBytes)
    {
        _bound = bound;
        _maxBytes = maxBytes;
        _time = time ?? TimeProvider.System;
        _node = new Room(8 * bound);
    }

    /// <summary>
    /// What a handed-over job's event holds in memory, estimated: its input and body as UTF-16 text, and a kilobyte for
    /// the rest. A fan-out's shared input is held once for all its events by the trigger's request, and not counted.
    /// </summary>
    public static long SizeOf(EventRecord? stored) =>
        stored is null ? 0 : 1024 + 2L * (stored.Input.Length + (stored.Payload?.Length ?? 0));

    /// <summary>The estimated bytes of the handed-over jobs waiting on the node (<see cref="SizeOf"/>).</summary>
    public long Bytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    /// <summary>Claimed jobs the node holds at most while they wait to send.</summary>
    private int ClaimBound => 2 * _bound;

    /// <summary>Claimed jobs the node holds at most, the newcomers' room beyond <see cref="ClaimBound"/> included.</summary>
    private int ClaimBoundWithNewcomers => 2 * ClaimBound;

    /// <summary>Claimed jobs of one organization the node holds at most while they wait to send, while at most two organizations hold some.</summary>
    private int ClaimsPerOrganization => Math.Max(1, _bound / 2);

    /// <summary>
    /// The share of one organization now: <see cref="ClaimsPerOrganization"/>, or less once more than two organizations
    /// hold claimed jobs, so that the organizations holding some and two more fit in the room (at least one each).
    /// </summary>
    private int ShareNow => Math.Max(1, Math.Min(ClaimsPerOrganization, ClaimBound / (_claimedByOrg.Count + 2)));

    /// <summary>
    /// Fires (outside the lock) when a claimed job of an organization whose share a claim used up starts its send or
    /// ends, or when the shares grow back as one organization fewer holds claimed jobs: the next claim may take more of
    /// such an organization's jobs, which the earlier one may have left in the queue.
    /// </summary>
    public event Action? OrganizationFreed;

    /// <summary>
    /// What a claim may take now: what is left of the node's room for claimed jobs and of each organization's share.
    /// Once the room is full, the newcomers' room: one job of each organization that holds none, up to
    /// <see cref="ClaimBound"/> more in all. Claimed jobs cannot be taken back, and those of organizations whose receivers
    /// never answer may hold the room until their attempts time out: another organization's job still reaches the node.
    /// </summary>
    public ClaimRoom ClaimRoomNow()
    {
        lock (_lock)
        {
            var held = new Dictionary<OrganizationId, int>(_claimedByOrg);
            return _claimed < ClaimBound
                ? new ClaimRoom(ClaimBound - _claimed, ShareNow, held)
                : new ClaimRoom(Math.Max(0, ClaimBoundWithNewcomers - _claimed), 1, held) { Newcomers = true };
        }
    }

    /// <summary>
    /// Counts a handed-over job of <paramref name="bytes"/> (<see cref="SizeOf"/>) in, unless its config, its
    /// organization or the node has no room for it.
    /// </summary>
    public bool TryAdmit(OrganizationId orgId, ConfigId configId, long bytes = 0)
    {
        lock (_lock)
        {
            return TryAdd(orgId, configId, bytes);
        }
    }

    /// <summary>
    /// Counts a handed-over job in as <see cref="TryAdmit"/>; without room, waits for a place at most
    /// <paramref name="wait"/>, behind the triggers that waited before it, but only when the jobs ahead of it leave
    /// (start their sends) at a pace worth waiting for: in every full room it needs, the last job left within
    /// <paramref name="wait"/>, and at least four leave in that time on average. False, at once or when the wait ends,
    /// when it was not counted in.
    /// </summary>
    public ValueTask<bool> AdmitAsync(OrganizationId orgId, ConfigId configId, long bytes, TimeSpan wait)
    {
        Waiter waiter;
        lock (_lock)
        {
            if (TryAdd(orgId, configId, bytes))
            {
                return ValueTask.FromResult(true);
            }
            // Held memory is not worth waiting for: the job goes to the queue.
            if (wait <= TimeSpan.Zero || !FitsBytes(bytes) || !FreesInTime(orgId, configId, wait))
            {
                return ValueTask.FromResult(false);
            }
            var (config, org) = RoomsOf(orgId, configId);
            waiter = new Waiter(this, config, org, bytes);
            waiter.Node = _waiters.AddLast(waiter);
            config.Waiters++;
            org.Waiters++;
            _node.Waiters++;
            // Fires at the earliest once this lock is left.
            waiter.Timer = _time.CreateTimer(static w => ((Waiter)w!).Owner.GiveUp((Waiter)w!), waiter, wait, Timeout.InfiniteTimeSpan);
        }
        return new ValueTask<bool>(waiter.Done.Task);
    }

    /// <summary>Ends every wait for room unanswered (the node stops taking hand-overs).</summary>
    public void EndWaits()
    {
        List<Waiter> ended;
        lock (_lock)
        {
            ended = [.. _waiters];
            foreach (var waiter in ended)
            {
                Unqueue(waiter);
            }
        }
        foreach (var waiter in ended)
        {
            waiter.End(false);
        }
    }

    /// <summary>
    /// Counts claimed jobs in: they were claimed within <paramref name="room"/> (<see cref="ClaimRoomNow"/>). An
    /// organization of which the claim took all it allowed, or none as it held its share, may have jobs left in the
    /// queue: <see cref="OrganizationFreed"/> fires when one of its claimed jobs leaves.
    /// </summary>
    public void AddClaimed(IReadOnlyCollection<DeliveryJob> jobs, ClaimRoom room)
    {
        lock (_lock)
        {
            _claimed += jobs.Count;
            foreach (var job in jobs)
            {
                _claimedByOrg[job.OrgId] = _claimedByOrg.GetValueOrDefault(job.OrgId) + 1;
            }
            foreach (var taken in jobs.GroupBy(j => j.OrgId))
            {
                if (taken.Count() >= room.LeftFor(taken.Key))
                {
                    _capped.Add(taken.Key);
                }
            }
            foreach (var orgId in room.Held.Keys)
            {
                if (room.LeftFor(orgId) == 0 && _claimedByOrg.ContainsKey(orgId))
                {
                    _capped.Add(orgId);
                }
            }
        }
    }

    /// <summary>
    /// A job started its send, or ended without one (a handed-over one of <paramref name="bytes"/>, as counted in); its
    /// place goes to the first waiting trigger it fits.
    /// </summary>
    public void Leave(OrganizationId orgId, ConfigId configId, bool claimed, long bytes = 0)
    {
        TaskCompletionSource? room = null;
        Waiter? admitted = null;
        var freed = false;
        lock (_lock)
        {
            if (!claimed)
            {
                var now = _time.GetTimestamp();
                var config = _byConfig[(orgId, configId)];
                var org = _byOrg[orgId];
                config.Left(now);
                org.Left(now);
                _node.Left(now);
                _bytes -= bytes;
                admitted = AdmitFirstWaiter();
                Sweep(now);
            }
            else
            {
                freed = _capped.Remove(orgId);
                if (_claimedByOrg.TryGetValue(orgId, out var held))
                {
                    if (held == 1)
                    {
                        // One organization fewer holds claimed jobs: the others' share may grow, and one that used up
                        // its share may claim more.
                        var share = ShareNow;
                        _claimedByOrg.Remove(orgId);
                        freed |= ShareNow > share && _capped.Count > 0;
                    }
                    else
                    {
                        _claimedByOrg[orgId] = held - 1;
                    }
                }
                if (--_claimed < ClaimBoundWithNewcomers && !_room.Task.IsCompleted)
                {
                    room = _room;
                }
            }
        }
        room?.TrySetResult();
        admitted?.End(true);
        if (freed)
        {
            OrganizationFreed?.Invoke();
        }
    }

    /// <summary>Completes once a claim has room: in the node's room for claimed jobs, or in the newcomers' room beyond it.</summary>
    public Task RoomAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_claimed < ClaimBoundWithNewcomers)
            {
                return Task.CompletedTask;
            }
            if (_room.Task.IsCompleted)
            {
                _room = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            return _room.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Counts a job in when its rooms and the byte budget have a place and no trigger of its config waits (places freed
    /// while triggers wait are theirs: a newcomer does not overtake them). Rooms are made only for jobs counted in, so
    /// refused triggers leave nothing behind.
    /// </summary>
    private bool TryAdd(OrganizationId orgId, ConfigId configId, long bytes)
    {
        var config = _byConfig.GetValueOrDefault((orgId, configId));
        var org = _byOrg.GetValueOrDefault(orgId);
        if (!Fits(config, org, bytes) || config is { Waiters: > 0 })
        {
            return false;
        }
        var rooms = RoomsOf(orgId, configId);
        Add(rooms.Config, rooms.Org, bytes);
        return true;
    }

    private bool Fits(Room? config, Room? org, long bytes) => !Room.Full(_node) && !Room.Full(org) && !Room.Full(config) && FitsBytes(bytes);

    // A job larger than the budget alone is still taken when nothing else waits.
    private bool FitsBytes(long bytes) => _bytes + bytes <= _maxBytes || _node.Count == 0;

    /// <summary>Whether every full room the job needs frees a place at a pace worth waiting <paramref name="wait"/> for.</summary>
    private bool FreesInTime(OrganizationId orgId, ConfigId configId, TimeSpan wait)
    {
        var now = _time.GetTimestamp();
        var within = (long)(wait.TotalSeconds * _time.TimestampFrequency);
        return Frees(_node) && Frees(_byOrg.GetValueOrDefault(orgId)) && Frees(_byConfig.GetValueOrDefault((orgId, configId)));

        bool Frees(Room? room) => !Room.Full(room) || room!.FreesWithin(now, within);
    }

    /// <summary>The rooms of a config and its organization, made when missing.</summary>
    private (Room Config, Room Org) RoomsOf(OrganizationId orgId, ConfigId configId)
    {
        if (!_byConfig.TryGetValue((orgId, configId), out var config))
        {
            _byConfig[(orgId, configId)] = config = new Room(2 * _bound);
        }
        if (!_byOrg.TryGetValue(orgId, out var org))
        {
            _byOrg[orgId] = org = new Room(4 * _bound);
        }
        return (config, org);
    }

    /// <summary>The first waiting trigger (of the first 64) whose rooms now have a place, counted in.</summary>
    private Waiter? AdmitFirstWaiter()
    {
        var scanned = 0;
        for (var node = _waiters.First; node is not null && scanned < 64; node = node.Next, scanned++)
        {
            var waiter = node.Value;
            if (Fits(waiter.Config, waiter.Org, waiter.Bytes))
            {
                Unqueue(waiter);
                Add(waiter.Config, waiter.Org, waiter.Bytes);
                return waiter;
            }
        }
        return null;
    }

    private void GiveUp(Waiter waiter)
    {
        lock (_lock)
        {
            if (waiter.Node?.List is null)
            {
                // Already counted in, or ended.
                return;
            }
            Unqueue(waiter);
        }
        waiter.End(false);
    }

    private void Unqueue(Waiter waiter)
    {
        _waiters.Remove(waiter.Node!);
        waiter.Config.Waiters--;
        waiter.Org.Waiters--;
        _node.Waiters--;
    }

    private void Add(Room config, Room org, long bytes)
    {
        _bytes += bytes;
        config.Count++;
        org.Count++;
        _node.Count++;
    }

    /// <summary>
    /// Now and then, forgets the rooms that hold no job and no waiting trigger and saw none leave for longer than any
    /// wait: an emptied room keeps its pace for a while, since the next burst of its config fills it again.
    /// </summary>
    private void Sweep(long now)
    {
        if (++_leftSinceSweep < SweepEvery)
        {
            return;
        }
        _leftSinceSweep = 0;
        var stale = (long)(WorkerOptions.MaxHandOverWait.TotalSeconds * _time.TimestampFrequency);
        foreach (var (key, room) in _byConfig)
        {
            if (room.Idle(now, stale))
            {
                _byConfig.Remove(key);
            }
        }
        foreach (var (key, room) in _byOrg)
        {
            if (room.Idle(now, stale))
            {
                _byOrg.Remove(key);
            }
        }
    }

    /// <summary>The jobs of a config, an organization or the node waiting to send, and the pace at which they leave.</summary>
    private sealed class Room(int limit)
    {
        public int Count;
        public int Waiters;
        private long _lastLeft;
        // The time between two departures, averaged over the last few (timestamp ticks; 0 until two were seen).
        private long _gap;

        public void Left(long now)
        {
            if (_lastLeft != 0)
            {
                var gap = now - _lastLeft;
                _gap = _gap == 0 ? gap : _gap - _gap / 8 + gap / 8;
            }
            _lastLeft = now;
            Count--;
        }

        public int Limit { get; } = limit;

        /// <summary>Whether <paramref name="room"/> holds as many jobs as it may (a room not made yet holds none).</summary>
        public static bool Full(Room? room) => room is not null && room.Count >= room.Limit;

        public bool Idle(long now, long stale) => Count == 0 && Waiters == 0 && now - _lastLeft > stale;

        /// <summary>
        /// Whether places free at a pace worth waiting for: one left within <paramref name="within"/>, and at least four
        /// leave in that time on average. How many wait already does not count: they are the triggers a client keeps in
        /// flight beyond the room, and each waits about as long as the others whatever its place.
        /// </summary>
        public bool FreesWithin(long now, long within) =>
            _gap > 0 && now - _lastLeft <= within && _gap * 4 <= within;
    }

    private sealed class Waiter(WaitingJobs owner, Room config, Room org, long bytes)
    {
        public WaitingJobs Owner { get; } = owner;
        public long Bytes { get; } = bytes;
        public Room Config { get; } = config;
        public Room Org { get; } = org;
        public LinkedListNode<Waiter>? Node { get; set; }
        public ITimer? Timer { get; set; }
        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void End(bool admitted)
        {
            Timer?.Dispose();
            Done.TrySetResult(admitted);
        }
    }
}
