using System.Text.Json.Nodes;
using Herald.Server.Configs;
using Herald.Server.Egress;
using Herald.Server.Events;
using Herald.Server.Expressions;
using Jsonata;

namespace Herald.Server.Transforms;

/// <summary>The body after the transform step, or why the transform failed.</summary>
public readonly record struct TransformResult(JsonNode? Body, bool Transformed, Prepared.Fail? Failure);

/// <summary>
/// Step 4 of a delivery: the body the receiver gets. The config's <c>jsonataExpression</c>, when it has one, maps the
/// input to the body under the evaluation guards; a transform that throws fails the attempt with
/// <c>INTERNAL_ERROR</c> and the engine's message, not retried. Event Catalog envelopes lose the keys that stay
/// inside Herald.
/// </summary>
public sealed class PayloadTransform(JsonataRuntime runtime)
{
    /// <summary>Keys of Event Catalog envelopes that stay inside Herald.</summary>
    private static readonly string[] InternalCatalogKeys = ["_downgrades", "_automation_chain"];

    public TransformResult Apply(string eventName, ConfigRecord config, JsonObject input)
    {
        var source = (JsonObject)input.DeepClone();
        if (eventName.StartsWith("event_", StringComparison.Ordinal))
        {
            foreach (var key in InternalCatalogKeys)
            {
                source.Remove(key);
            }
        }
        var expression = config.Document.JsonataExpression;
        if (string.IsNullOrWhiteSpace(expression))
        {
            return new TransformResult(source, false, null);
        }
        try
        {
            var result = runtime.Evaluate(runtime.Compiled(expression), source);
            if (result.IsUndefined)
            {
                return new TransformResult(null, true, new Prepared.Fail(DeliveryCode.InternalError, "jsonataExpression produced no value (undefined)", Retryable: false));
            }
            if (result.IsFunction)
            {
                return new TransformResult(null, true, new Prepared.Fail(DeliveryCode.InternalError, "jsonataExpression produced a function, not JSON", Retryable: false));
            }
            var body = result.ToJsonNode() ?? JsonValue.Create((string?)null);
            if (JsonNesting.TooDeep(body))
            {
                return new TransformResult(null, true, new Prepared.Fail(DeliveryCode.InternalError, JsonNesting.Message("The JSON jsonataExpression produced"), Retryable: false));
            }
            return new TransformResult(body, true, null);
        }
        catch (JsonataException e)
        {
            return new TransformResult(null, true, new Prepared.Fail(DeliveryCode.InternalError, $"jsonataExpression failed: {JsonataRuntime.Describe(e)}", Retryable: false));
        }
    }
}
