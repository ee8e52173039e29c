using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Jsonata;

namespace Herald.Server.Transforms;

/// <summary>The <c>Transforms</c> section: the guards every JSONata evaluation of a config runs under.</summary>
public sealed class TransformOptions
{
    public const string Section = "Transforms";

    /// <summary>Nesting of evaluation steps before an evaluation fails (<c>U1001</c>); tail calls do not count.</summary>
    public int MaxDepth { get; set; } = 500;

    /// <summary>Wall-clock limit of one evaluation (<c>U1001</c>), so a hostile expression cannot stall a worker.</summary>
    public TimeSpan TimeLimit { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// Compiles the JSONata expressions of configs once per config version and evaluates them under the configured
/// depth and time guards. A config's entry is replaced when a newer version of it asks, so the cache holds at most
/// one version per config and expression slot.
/// </summary>
public sealed class JsonataRuntime(TransformOptions options)
{
    private static readonly JsonataExpression Truthiness = JsonataExpression.Compile("$boolean($v)");

    private readonly ConcurrentDictionary<(string ConfigId, string Slot), (long Version, string Source, JsonataExpression Expression)> _compiled = new();

    public JsonataOptions Guards => new() { MaxDepth = options.MaxDepth, TimeLimit = options.TimeLimit };

    /// <summary>The compiled form of <paramref name="source"/> for one slot of one config version (e.g. <c>transform</c>, <c>condition:2</c>).</summary>
    public JsonataExpression Compiled(string configId, long version, string slot, string source)
    {
        var key = (configId, slot);
        if (_compiled.TryGetValue(key, out var entry) && entry.Version == version && entry.Source == source)
        {
            return entry.Expression;
        }
        var expression = JsonataExpression.Compile(source);
        _compiled[key] = (version, source, expression);
        return expression;
    }

    public JsonataValue Evaluate(JsonataExpression expression, JsonNode? input) => expression.Evaluate(input, options: Guards);

    /// <summary>JSONata's <c>$boolean</c> of a result: undefined, false, 0, "", empty arrays and objects are false.</summary>
    public static bool IsTruthy(JsonataValue value) =>
        !value.IsUndefined && Truthiness.Evaluate(new JsonataBindings().Bind("v", value)).AsBoolean() == true;

    /// <summary>Describes a compile or evaluation error the way a config author can act on it.</summary>
    public static string Describe(JsonataException error) =>
        error.Position >= 0 ? $"{error.Code} at position {error.Position}: {error.Message}" : $"{error.Code}: {error.Message}";
}
