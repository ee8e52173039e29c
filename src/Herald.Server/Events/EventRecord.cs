namespace Herald.Server.Events;

/// <summary>The statuses of an event, as the contract spells them.</summary>
public static class EventStatus
{
    public const string InProgress = "in_progress";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Skipped = "skipped";
}

/// <summary>
/// One accepted event as stored. <see cref="Input"/> is the trigger payload with Herald's metadata filled in;
/// <see cref="Payload"/> is the body as sent (null until first built); <see cref="HttpResponse"/> is the last
/// attempt's recorded response as contract JSON.
/// </summary>
public sealed record EventRecord(
    string EventId,
    string OrgId,
    string ConfigId,
    string EventName,
    DateTimeOffset CreatedAt,
    string Status,
    int RetryAttempt,
    string? HttpMethod,
    string? Url,
    string? Metadata,
    string Input,
    string? Payload,
    string? OriginalPayload,
    string? HttpResponse,
    DateTimeOffset? StartDate,
    DateTimeOffset? EndDate);
