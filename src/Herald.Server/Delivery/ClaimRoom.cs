using Herald.Server.Http;

namespace Herald.Server.Delivery;

/// <summary>
/// What one claim may take: at most <see cref="Max"/> jobs, and of one organization's waiting jobs no more than
/// <see cref="PerOrganization"/> less those of it the claimer already holds (<see cref="Held"/>). With
/// <see cref="InTurn"/>, organizations take turns: each one's oldest due job comes before anyone's second, so one
/// organization's backlog, however old, never keeps another's due jobs in the queue. Without it, the oldest due first,
/// whoever they belong to. Jobs whose lease expired (their node stopped) come first either way.
/// <para>
/// The organizations with waiting jobs are found by a walk through their index, one step each, in the order of their
/// ids as a ring: it starts after <see cref="WalkAfter"/> and ends with <see cref="WalkUntil"/> (past the last
/// organization it goes on from the first), and it takes at most <see cref="WalkSteps"/> steps. Only the organizations it visits give jobs, so a claim's cost does not grow with
/// the organizations that have waiting jobs (scheduled retries, say) beyond <see cref="WalkSteps"/>.
/// </para>
/// </summary>
public sealed record ClaimRoom(int Max, int PerOrganization, IReadOnlyDictionary<OrganizationId, int> Held, bool InTurn = true)
{
    private static readonly IReadOnlyDictionary<OrganizationId, int> NoneHeld = new Dictionary<OrganizationId, int>();

    /// <summary>The walk over organizations starts after this organization id ("": at the first).</summary>
    public string WalkAfter { get; init; } = "";

    /// <summary>
    /// The walk ends with this organization id. When it is not after <see cref="WalkAfter"/>, the walk goes on from the
    /// first organization past the last: equal to <see cref="WalkAfter"/>, the whole ring; "", up to the last.
    /// </summary>
    public string WalkUntil { get; init; } = "";

    /// <summary>
    /// The node's room for claimed jobs is full: this is the newcomers' room beyond it, one job for each organization
    /// that holds none (<see cref="WaitingJobs.ClaimRoomNow"/>).
    /// </summary>
    public bool Newcomers { get; init; }

    /// <summary>The most organizations the walk visits (all of them unless set).</summary>
    public int WalkSteps { get; init; } = int.MaxValue;

    /// <summary>Up to <paramref name="max"/> jobs, the oldest due first, whatever their organization.</summary>
    public static ClaimRoom OldestFirst(int max) => new(max, max, NoneHeld, InTurn: false);

    /// <summary>The most waiting jobs of one organization the claim reads: its share, or less when the room is smaller.</summary>
    public int PerOrganizationRead => Math.Min(PerOrganization, Max);

    /// <summary>How many more of <paramref name="orgId"/>'s waiting jobs the claim may take.</summary>
    public int LeftFor(OrganizationId orgId) => Math.Max(0, PerOrganization - Held.GetValueOrDefault(orgId));
}
