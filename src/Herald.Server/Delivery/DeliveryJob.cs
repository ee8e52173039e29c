using Herald.Server.Events;
using Herald.Server.Http;

namespace Herald.Server.Delivery;

/// <summary>
/// The queue row: one pending piece of delivery work. A worker owns it while <see cref="LeaseOwner"/> names it and
/// <see cref="LeaseUntil"/> is in the future; an expired lease may be claimed by anyone.
/// </summary>
public sealed record DeliveryJob
{
    /// <summary>0 until the job is written.</summary>
    public long JobId { get; init; }

    public required string EventId { get; init; }

    public required OrganizationId OrgId { get; init; }

    public required ConfigId ConfigId { get; init; }

    public required JobKind Kind { get; init; }

    /// <summary>Attempts made so far (automatic retries count; the first attempt is number 0).</summary>
    public int Attempt { get; init; }

    public bool ReapplyTransform { get; init; }

    public required DateTimeOffset DueAt { get; init; }

    public string? LeaseOwner { get; init; }

    public DateTimeOffset? LeaseUntil { get; init; }

    /// <summary>How many times a claim found this job's lease run out.</summary>
    public int Reclaims { get; init; }
}
