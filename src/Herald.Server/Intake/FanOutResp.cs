using System.Text.Json.Serialization;

namespace Herald.Server.Intake;

/// <summary>The answer of a fan-out: one new event per subscribed config, in the configs' creation order.</summary>
public sealed record FanOutResp([property: JsonPropertyName("event_ids")] IReadOnlyList<string> EventIds);
