namespace Herald.Server.Delivery;

/// <summary>
/// What one claim took: the jobs now leased to the claimer, those it removed as given up (<see cref="LeaseExpiries"/>),
/// and how far its walk over the organizations went (<see cref="ClaimRoom.WalkSteps"/>).
/// </summary>
public sealed record ClaimedJobs
{
    public required IReadOnlyList<DeliveryJob> Leased { get; init; }

    public required IReadOnlyList<DeliveryJob> GivenUp { get; init; }

    public OrganizationWalk Walk { get; init; }
}

/// <summary>A claim's walk visited <see cref="Steps"/> organizations with waiting jobs, the last of them <see cref="Last"/> (null when none).</summary>
public readonly record struct OrganizationWalk(int Steps, string? Last);
