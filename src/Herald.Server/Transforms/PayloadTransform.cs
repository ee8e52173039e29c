using System.Text.Json.Nodes;
using Herald.Server.Configs;
using Herald.Server.Delivery;

namespace Herald.Server.Transforms;

/// <summary>The body after the transform step, or why the transform failed.</summary>
public readonly record struct TransformResult(JsonNode? Body, bool Transformed, Prepared.Fail? Failure);

/// <summary>
/// Step 4 of a delivery: the body the receiver gets. Event Catalog envelopes lose the keys that stay inside
/// Herald; other payloads go as given.
/// </summary>
public sealed class PayloadTransform
{
    /// <summary>Keys of Event Catalog envelopes that stay inside Herald.</summary>
    private static readonly string[] InternalCatalogKeys = ["_downgrades", "_automation_chain"];

    public TransformResult Apply(string eventName, ConfigRecord config, JsonObject input)
    {
        var body = (JsonObject)input.DeepClone();
        if (eventName.StartsWith("event_", StringComparison.Ordinal))
        {
            foreach (var key in InternalCatalogKeys)
            {
                body.Remove(key);
            }
        }
        return new TransformResult(body, false, null);
    }
}
