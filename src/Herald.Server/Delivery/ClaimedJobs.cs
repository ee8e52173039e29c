namespace Herald.Server.Delivery;

/// <summary>What one claim took: the jobs now leased to the claimer, and those it removed as given up (<see cref="LeaseExpiries"/>).</summary>
public sealed record ClaimedJobs
{
    public required IReadOnlyList<DeliveryJob> Leased { get; init; }

    public required IReadOnlyList<DeliveryJob> GivenUp { get; init; }
}
