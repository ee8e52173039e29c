using Herald.Server.Http;

namespace Herald.Server.Events;

/// <summary>One HTTP try, kept for the event history.</summary>
public sealed record DeliveryAttempt
{
    public required WebhookEventId EventId { get; init; }

    public required OrganizationId OrgId { get; init; }

    /// <summary>1 for the event's first try, counting every try of the event (automatic retries and replays).</summary>
    public required int Number { get; init; }

    public required JobKind Kind { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required int DurationMs { get; init; }

    public int? StatusCode { get; init; }

    public DeliveryCode? Code { get; init; }

    public string? Message { get; init; }

    public string? ResponseExcerpt { get; init; }

    /// <summary>The request the try sent, credentials redacted, as <see cref="AttemptRequest"/> JSON; null when nothing was sent.</summary>
    public string? Request { get; init; }

    /// <summary>Whether the job had been claimed again after a lease ran out before this try.</summary>
    public bool AfterReclaim { get; init; }
}
