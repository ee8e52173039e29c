using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Herald.Server.Events;

/// <summary>The contract's <c>WebhookEvent</c>.</summary>
public sealed class WebhookEvent
{
    [JsonPropertyName("event_id")] public required string EventId { get; init; }
    [JsonPropertyName("org_id")] public required string OrgId { get; init; }
    [JsonPropertyName("webhook_config_id")] public required string WebhookConfigId { get; init; }
    [JsonPropertyName("url")] public string? Url { get; init; }
    [JsonPropertyName("created_at")] public string? CreatedAt { get; init; }
    [JsonPropertyName("event_name")] public string? EventName { get; init; }
    [JsonPropertyName("http_response")] public JsonNode? HttpResponse { get; init; }
    [JsonPropertyName("metadata")] public JsonNode? Metadata { get; init; }
    [JsonPropertyName("status")] public string? Status { get; init; }
    [JsonPropertyName("http_method")] public string? HttpMethod { get; init; }
    [JsonPropertyName("payload")] public string? Payload { get; init; }
    [JsonPropertyName("original_payload")] public string? OriginalPayload { get; init; }
    [JsonPropertyName("retry_attempt")] public int RetryAttempt { get; init; }
    [JsonPropertyName("can_reapply_transform")] public bool? CanReapplyTransform { get; init; }
    [JsonPropertyName("can_reapply_transform_reason")] public string? CanReapplyTransformReason { get; init; }
    [JsonPropertyName("start_date")] public string? StartDate { get; init; }
    [JsonPropertyName("end_date")] public string? EndDate { get; init; }

    /// <summary>Herald extension: when the next automatic attempt is due, while a retry is scheduled; absent otherwise.</summary>
    [JsonPropertyName("next_attempt_at")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? NextAttemptAt { get; set; }
}
