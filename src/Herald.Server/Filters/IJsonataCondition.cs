using System.Text.Json.Nodes;

namespace Herald.Server.Filters;

/// <summary>
/// Evaluates the <c>jsonata_expression</c> form of a filter condition. The JSONata engine lives in its own project
/// and is wired in behind this interface; the condition matcher only needs the truthiness of the result.
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

/// <summary>
/// Stands in until the JSONata engine is wired in: a config that uses a JSONata condition fails its deliveries
/// (not retryable) instead of silently passing or skipping them.
/// </summary>
public sealed class UnavailableJsonataCondition : IJsonataCondition
{
    public const string Message = "JSONata conditions are not available";

    public bool IsTruthy(string expression, JsonObject input) => throw new JsonataConditionException(Message);
}
