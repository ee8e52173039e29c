namespace Herald.Server.Http;

/// <summary>
/// Bytes a node may hold at once for some purpose (the spools of <c>binary_multipart</c> attempts, request bodies being
/// read and handled): at most <see cref="PerNode"/> in all, and at most <see cref="PerOrganization"/> for one key (an
/// organization), so that one organization's share never leaves another without room. Bytes are taken before they are
/// held and given back when they are let go.
/// </summary>
public sealed class ByteBudget<TKey>(long perNode, long perOrganization) where TKey : notnull
{
    private readonly Lock _gate = new();
    private readonly Dictionary<TKey, long> _byKey = [];
    private long _held;
    private long _refusedForOrganization;
    private long _refusedForNode;

    public long PerNode { get; } = perNode;

    public long PerOrganization { get; } = perOrganization;

    /// <summary>What the node holds now.</summary>
    public long Held
    {
        get
        {
            lock (_gate)
            {
                return _held;
            }
        }
    }

    /// <summary>What <paramref name="key"/> holds now.</summary>
    public long HeldBy(TKey key)
    {
        lock (_gate)
        {
            return _byKey.GetValueOrDefault(key);
        }
    }

    /// <summary>How many takes found no room under <paramref name="bound"/> since the node started.</summary>
    public long Refused(Bound bound)
    {
        lock (_gate)
        {
            return bound == Bound.Organization ? _refusedForOrganization : _refusedForNode;
        }
    }

    /// <summary>Takes <paramref name="bytes"/> for <paramref name="key"/>, or nothing when either bound would be passed.</summary>
    public bool TryTake(TKey key, long bytes) => Take(key, bytes) is null;

    /// <summary>
    /// Takes <paramref name="bytes"/> for <paramref name="key"/>; when either bound would be passed takes nothing and
    /// answers which: <see cref="Bound.Organization"/> before <see cref="Bound.Node"/> when both would.
    /// </summary>
    public Bound? Take(TKey key, long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        lock (_gate)
        {
            var mine = _byKey.GetValueOrDefault(key);
            if (mine + bytes > PerOrganization)
            {
                _refusedForOrganization++;
                return Bound.Organization;
            }
            if (_held + bytes > PerNode)
            {
                _refusedForNode++;
                return Bound.Node;
            }
            _held += bytes;
            _byKey[key] = mine + bytes;
            return null;
        }
    }

    /// <summary>Gives back bytes taken for <paramref name="key"/>.</summary>
    public void Give(TKey key, long bytes)
    {
        if (bytes <= 0)
        {
            return;
        }
        lock (_gate)
        {
            _held -= bytes;
            var mine = _byKey.GetValueOrDefault(key) - bytes;
            if (mine <= 0)
            {
                _byKey.Remove(key);
            }
            else
            {
                _byKey[key] = mine;
            }
        }
    }

    /// <summary>Which bound a take would have passed.</summary>
    public enum Bound
    {
        Organization,
        Node,
    }
}
