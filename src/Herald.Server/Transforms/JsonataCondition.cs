using System.Text.Json.Nodes;
using Herald.Server.Expressions;
using Herald.Server.Filters;
using Jsonata;

namespace Herald.Server.Transforms;

/// <summary>The <c>jsonata_expression</c> form of a filter condition, on the JSONata engine.</summary>
public sealed class JsonataCondition(JsonataRuntime runtime) : IJsonataCondition
{
    public bool IsTruthy(string expression, JsonObject input)
    {
        try
        {
            var compiled = runtime.Compiled(expression);
            return JsonataRuntime.IsTruthy(runtime.Evaluate(compiled, input));
        }
        catch (JsonataException e)
        {
            throw new JsonataConditionException($"JSONata condition failed: {JsonataRuntime.Describe(e)}", e);
        }
    }
}
