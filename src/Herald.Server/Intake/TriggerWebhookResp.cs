using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Herald.Server.Intake;

/// <summary>The contract's <c>TriggerWebhookResp</c>. <c>status_code</c> is a string there, and absent for Herald's own failures.</summary>
public sealed class TriggerWebhookResp
{
    [JsonPropertyName("event_id")] public required string EventId { get; init; }
    [JsonPropertyName("status")] public string? Status { get; init; }
    [JsonPropertyName("status_code")] public string? StatusCode { get; init; }
    [JsonPropertyName("message")] public string? Message { get; init; }
    [JsonPropertyName("body")] public JsonNode? Body { get; init; }
    [JsonPropertyName("code")] public string? Code { get; init; }
    [JsonPropertyName("start_date")] public string? StartDate { get; init; }
    [JsonPropertyName("end_date")] public string? EndDate { get; init; }
}
