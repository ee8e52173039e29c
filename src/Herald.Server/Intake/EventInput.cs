using System.Text.Json.Nodes;
using Herald.Server.Events;
using Herald.Server.Http;

namespace Herald.Server.Intake;

/// <summary>
/// What a new event stores as its input: the whole filled payload and its metadata, or, for an event of a fan-out,
/// only its own values in the fan-out's <see cref="SharedInput"/> (its metadata is then read from the shared input).
/// </summary>
public sealed record EventInput(string Input, string? Metadata, SharedInput? Shared = null)
{
    /// <summary>A trigger's filled payload, written out once.</summary>
    public static EventInput Of(JsonObject payload) =>
        new(payload.ToJsonString(HeraldJson.Payload), payload["metadata"] is JsonObject metadata ? metadata.ToJsonString(HeraldJson.Payload) : null);
}
