using Herald.Server.Http;

namespace Herald.Server.Files;

/// <summary>
/// The disk this node's <c>binary_multipart</c> spools may hold at once: at most <c>Files:MaxSpoolBytesPerNode</c> in
/// all, and at most <c>Files:MaxSpoolBytesPerOrganization</c> (by default half of it) for one organization, so that one
/// organization's large files never leave another without room. Bytes are taken before they are written and given back
/// when the attempt's files are deleted.
/// </summary>
public sealed class SpoolBudget(long perNode, long perOrganization)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<OrganizationId, long> _byOrganization = [];
    private long _held;

    public long PerNode { get; } = perNode;

    public long PerOrganization { get; } = perOrganization;

    /// <summary>What the node's spools hold now.</summary>
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

    /// <summary>Takes <paramref name="bytes"/> for <paramref name="organization"/>, or nothing when either bound would be passed.</summary>
    public bool TryTake(OrganizationId organization, long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        lock (_gate)
        {
            var mine = _byOrganization.GetValueOrDefault(organization);
            if (_held + bytes > PerNode || mine + bytes > PerOrganization)
            {
                return false;
            }
            _held += bytes;
            _byOrganization[organization] = mine + bytes;
            return true;
        }
    }

    /// <summary>Gives back bytes taken for <paramref name="organization"/>.</summary>
    public void Give(OrganizationId organization, long bytes)
    {
        if (bytes <= 0)
        {
            return;
        }
        lock (_gate)
        {
            _held -= bytes;
            var mine = _byOrganization.GetValueOrDefault(organization) - bytes;
            if (mine <= 0)
            {
                _byOrganization.Remove(organization);
            }
            else
            {
                _byOrganization[organization] = mine;
            }
        }
    }
}
