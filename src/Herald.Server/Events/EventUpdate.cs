using Herald.Server.Http;

namespace Herald.Server.Events;

/// <summary>
/// An event's new state after an attempt (or after the delivery decided no attempt is needed, or gave up).
/// <see cref="Payload"/> is in its stored form (<see cref="StoredPayload"/>), null to keep the stored one; a null
/// <see cref="RetryAttempt"/> or <see cref="HttpResponse"/> keeps the stored one too, and <see cref="StartDate"/>
/// is set only on an event that has none yet.
/// </summary>
public sealed record EventUpdate
{
    public required WebhookEventId EventId { get; init; }

    public required EventStatus Status { get; init; }

    public int? RetryAttempt { get; init; }

    public string? Payload { get; init; }

    public string? OriginalPayload { get; init; }

    public string? HttpResponse { get; init; }

    public DateTimeOffset? StartDate { get; init; }

    public DateTimeOffset? EndDate { get; init; }
}
