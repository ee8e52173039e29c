using Herald.Server.Http;

namespace Herald.Server.Delivery;

/// <summary>
/// Bounds the jobs this node holds that have not started their send yet (being prepared, or waiting in the
/// <see cref="DeliveryScheduler"/>'s line), so a node takes only as many jobs as it can start soon and leaves the rest
/// in the queue for other nodes. With <c>bound</c> = <see cref="WorkerOptions.Concurrency"/>:
/// <list type="bullet">
/// <item>A claim takes at most <c>bound</c> minus the claimed jobs still waiting.</item>
/// <item>A trigger hands its job over while fewer than <c>2 * bound</c> handed-over jobs of its config, <c>4 * bound</c>
/// of its organization and <c>8 * bound</c> in all wait. A config's room is what its destination may have in flight
/// when alone (twice the node's slots, see <see cref="DeliveryScheduler"/>): one round of sends, so its jobs start soon
/// even while the node's CPU, not the receiver, is what they wait for (with <c>bound</c> alone, half the jobs of a
/// steady stream to one fast receiver went through the queue and a claim). A config whose receiver is slow (or never
/// answers) fills its own room, not its organization's, and an organization fills at most half the node's, so other
/// configs' and other organizations' triggers still go straight to this node. Claimed jobs have their own room: jobs of
/// a full destination claimed from the queue can hold up further claims, never the hand-overs.</item>
/// </list>
/// </summary>
public sealed class WaitingJobs(int bound)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(OrganizationId OrgId, ConfigId ConfigId), int> _byConfig = [];
    private readonly Dictionary<OrganizationId, int> _byOrg = [];
    private TaskCompletionSource _room = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _total;
    private int _claimed;

    /// <summary>How many jobs a claim may take now.</summary>
    public int ClaimRoom
    {
        get
        {
            lock (_lock)
            {
                return Math.Max(0, bound - _claimed);
            }
        }
    }

    /// <summary>Counts a handed-over job in, unless its config, its organization or the node has no room for it.</summary>
    public bool TryAdmit(OrganizationId orgId, ConfigId configId)
    {
        lock (_lock)
        {
            if (_total >= 8 * bound || _byOrg.GetValueOrDefault(orgId) >= 4 * bound || _byConfig.GetValueOrDefault((orgId, configId)) >= 2 * bound)
            {
                return false;
            }
            Add(orgId, configId);
            return true;
        }
    }

    /// <summary>Counts claimed jobs in: they were claimed within <see cref="ClaimRoom"/>.</summary>
    public void AddClaimed(IReadOnlyCollection<DeliveryJob> jobs)
    {
        lock (_lock)
        {
            _claimed += jobs.Count;
        }
    }

    /// <summary>A job started its send, or ended without one.</summary>
    public void Leave(OrganizationId orgId, ConfigId configId, bool claimed)
    {
        TaskCompletionSource? room = null;
        lock (_lock)
        {
            if (!claimed)
            {
                Decrement(_byConfig, (orgId, configId));
                Decrement(_byOrg, orgId);
                _total--;
            }
            else if (--_claimed < bound && !_room.Task.IsCompleted)
            {
                room = _room;
            }
        }
        room?.TrySetResult();
    }

    /// <summary>Completes once a claim has room.</summary>
    public Task RoomAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_claimed < bound)
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

    private void Add(OrganizationId orgId, ConfigId configId)
    {
        _byConfig[(orgId, configId)] = _byConfig.GetValueOrDefault((orgId, configId)) + 1;
        _byOrg[orgId] = _byOrg.GetValueOrDefault(orgId) + 1;
        _total++;
    }

    private static void Decrement<TKey>(Dictionary<TKey, int> counts, TKey key)
        where TKey : notnull
    {
        var left = counts[key] - 1;
        if (left == 0)
        {
            counts.Remove(key);
        }
        else
        {
            counts[key] = left;
        }
    }
}
