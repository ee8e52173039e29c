using System.Text.Json.Nodes;

namespace Herald.Server.Filters;

/// <summary>
/// Evaluates the <c>jsonata_expression</c> form of a filter condition. The JSONata engine lives in its own project
/// behind this interface, so the condition matcher stays pure and only needs the truthiness of the result.
/// </summary>
public interface IJsonataCondition
{
    /// <summary>
    /// Whether <paramref name="expression"/>, evaluated against <paramref name="input"/>, is truthy by JSONata's
    /// <c>$boolean</c> rules. Throws <see cref="JsonataConditionException"/> when it cannot be evaluated.
    /// </summary>
    bool IsTruthy(string expression, JsonObject input);
}

/// <summary>A JSONata condition could not be evaluated; the message says why and ends up on the event.</summary>
public sealed class JsonataConditionException(string message, Exception? inner = null) : Exception(message, inner);
