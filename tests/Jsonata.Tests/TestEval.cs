using Jsonata.Json;

namespace Jsonata.Tests;

/// <summary>Evaluates an expression against JSON text and renders the result as JSON text, or "undefined".</summary>
internal static class TestEval
{
    public static string Run(string expression, string? json = null, JsonataBindings? bindings = null)
    {
        var expr = JsonataExpression.Compile(expression);
        var input = json == null ? JsonataValue.Undefined : JsonataValue.Parse(json);
        var result = expr.Evaluate(input, bindings);
        return result.IsUndefined ? "undefined" : JsonWriter.SerializeRaw(result.Raw);
    }

    public static JsonataException Error(string expression, string? json = null)
    {
        return Assert.Throws<JsonataException>(() => Run(expression, json));
    }
}
