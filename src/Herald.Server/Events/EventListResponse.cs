using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Herald.Server.Http;

namespace Herald.Server.Events;

/// <summary>The contract's <c>SearchOptions</c> (documentation only: the body is read by hand, see <see cref="EventSearch"/>).</summary>
public sealed record SearchOptions(
    [property: JsonPropertyName("limit")] int? Limit,
    [property: JsonPropertyName("cursor")] SearchCursor? Cursor,
    [property: JsonPropertyName("timestamp")] SearchRange? Timestamp,
    [property: JsonPropertyName("event_id")] string? EventId,
    [property: JsonPropertyName("status")] string? Status);

public sealed record SearchCursor([property: JsonPropertyName("created_at")] string CreatedAt, [property: JsonPropertyName("event_id")] string EventId);

public sealed record SearchRange([property: JsonPropertyName("from")] string? From, [property: JsonPropertyName("to")] string? To);

/// <summary>The contract's <c>EventListResponse</c> (v2). <c>next_cursor</c> is written as null on the last page.</summary>
public sealed class EventListResponse
{
    [JsonPropertyName("data")] public required IReadOnlyList<WebhookEvent> Data { get; init; }

    [JsonPropertyName("next_cursor"), JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public JsonObject? NextCursor { get; init; }

    [JsonPropertyName("has_more")] public bool HasMore { get; init; }
}

/// <summary>The deprecated v1 list answer: <c>cursor</c> (base64) is present only when another page exists.</summary>
public sealed class EventListV1Response
{
    [JsonPropertyName("data")] public required IReadOnlyList<WebhookEvent> Data { get; init; }

    [JsonPropertyName("cursor")] public string? Cursor { get; init; }
}

/// <summary>
/// Beyond the contract: the HTTP tries of one event, oldest first, a page at a time (an event replayed again and again
/// has as many tries as replays): <c>has_more</c> tells whether more follow, and <c>next_cursor</c>, passed as
/// <c>cursor</c>, reads them.
/// </summary>
public sealed class EventAttemptsResponse
{
    [JsonPropertyName("data")] public required IReadOnlyList<EventAttempt> Data { get; init; }
    [JsonPropertyName("has_more")] public bool HasMore { get; init; }
    [JsonPropertyName("next_cursor")] public string? NextCursor { get; init; }
}

/// <summary>
/// One HTTP try. <c>number</c> counts within its job: automatic tries of the trigger are 1, 2, ...; each replay is a
/// job of its own, so its try is number 1 with <c>kind</c> <c>replay</c>. <c>after_reclaim</c> marks a try that
/// another worker ran after the first one's lease ran out. <c>request</c> is the request the try sent, its credentials
/// redacted (<see cref="AttemptRequest"/>), absent when none was sent.
/// </summary>
public sealed class EventAttempt
{
    [JsonPropertyName("number")] public int Number { get; init; }
    [JsonPropertyName("kind")] public required string Kind { get; init; }
    [JsonPropertyName("started_at")] public required string StartedAt { get; init; }
    [JsonPropertyName("duration_ms")] public int DurationMs { get; init; }
    [JsonPropertyName("status_code")] public int? StatusCode { get; init; }
    [JsonPropertyName("code")] public string? Code { get; init; }
    [JsonPropertyName("message")] public string? Message { get; init; }
    [JsonPropertyName("response_excerpt")] public string? ResponseExcerpt { get; init; }
    [JsonPropertyName("after_reclaim")] public bool AfterReclaim { get; init; }
    [JsonPropertyName("request")] public AttemptRequest? Request { get; init; }

    public static EventAttempt From(DeliveryAttempt attempt) => new()
    {
        Number = attempt.Number,
        Kind = attempt.Kind.ToContract(),
        StartedAt = HeraldJson.Timestamp(attempt.StartedAt),
        DurationMs = attempt.DurationMs,
        StatusCode = attempt.StatusCode,
        Code = attempt.Code?.ToWire(),
        Message = attempt.Message,
        ResponseExcerpt = attempt.ResponseExcerpt,
        AfterReclaim = attempt.AfterReclaim,
        Request = AttemptRequest.FromJson(attempt.Request),
    };
}
