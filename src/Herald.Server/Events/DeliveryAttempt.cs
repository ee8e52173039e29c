namespace Herald.Server.Events;

/// <summary>One HTTP try, kept for the event history.</summary>
public sealed record DeliveryAttempt(
    string EventId,
    string OrgId,
    int Number,
    JobKind Kind,
    DateTimeOffset StartedAt,
    int DurationMs,
    int? StatusCode,
    string? Code,
    string? Message,
    string? ResponseExcerpt,
    bool AfterReclaim);
