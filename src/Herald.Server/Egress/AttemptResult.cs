using Herald.Server.Events;

namespace Herald.Server.Egress;

/// <summary>What one HTTP try produced, before any decision about it.</summary>
public sealed record AttemptResult(
    int? StatusCode,
    DeliveryCode? Code,
    string? Message,
    System.Text.Json.Nodes.JsonNode? Body,
    TimeSpan? RetryAfter,
    bool Retryable)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;

    /// <summary>The request the try sent, credentials redacted; null when none was sent.</summary>
    public AttemptRequest? Request { get; init; }

    public static AttemptResult FromStatus(int statusCode, DeliveryCode? code, string? message, System.Text.Json.Nodes.JsonNode? body, TimeSpan? retryAfter) =>
        new(statusCode, code, message, body, retryAfter, IsRetryableStatus(statusCode));

    /// <summary>5xx, 429 and 408 are worth another try; any other non-2xx, 3xx included, is final.</summary>
    public static bool IsRetryableStatus(int statusCode) => statusCode is >= 500 or 429 or 408;

    public static AttemptResult Failure(DeliveryCode code, string message, bool retryable, int? statusCode = null) =>
        new(statusCode, code, message, null, null, retryable);
}
