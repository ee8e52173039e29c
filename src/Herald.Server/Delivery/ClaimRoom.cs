using Herald.Server.Http;

namespace Herald.Server.Delivery;

/// <summary>
/// What one claim may take: at most <see cref="Max"/> jobs, and of one organization's waiting jobs no more than
/// <see cref="PerOrganization"/> less those of it the claimer already holds (<see cref="Held"/>). With
/// <see cref="InTurn"/>, organizations take turns: each one's oldest due job comes before anyone's second, so one
/// organization's backlog, however old, never keeps another's due jobs in the queue. Without it, the oldest due first,
/// whoever they belong to. Jobs whose lease expired (their node stopped) come first either way.
/// </summary>
public sealed record ClaimRoom(int Max, int PerOrganization, IReadOnlyDictionary<OrganizationId, int> Held, bool InTurn = true)
{
    private static readonly IReadOnlyDictionary<OrganizationId, int> NoneHeld = new Dictionary<OrganizationId, int>();

    /// <summary>Up to <paramref name="max"/> jobs, the oldest due first, whatever their organization.</summary>
    public static ClaimRoom OldestFirst(int max) => new(max, max, NoneHeld, InTurn: false);

    /// <summary>The most waiting jobs of one organization the claim reads: its share, or less when the room is smaller.</summary>
    public int PerOrganizationRead => Math.Min(PerOrganization, Max);

    /// <summary>How many more of <paramref name="orgId"/>'s waiting jobs the claim may take.</summary>
    public int LeftFor(OrganizationId orgId) => Math.Max(0, PerOrganization - Held.GetValueOrDefault(orgId));
}
