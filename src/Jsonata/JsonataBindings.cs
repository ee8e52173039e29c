using System.Text.Json.Nodes;
using Jsonata.Values;

namespace Jsonata;

/// <summary>
/// Variables and functions made visible to an evaluation (as <c>$name</c>). A bindings object can be
/// reused for many evaluations; do not change it while an evaluation that uses it is running.
/// </summary>
public sealed class JsonataBindings
{
    internal Dictionary<string, object?> Values { get; } = new(StringComparer.Ordinal);

    /// <summary>Binds <c>$name</c> to a JSON value.</summary>
    public JsonataBindings Bind(string name, JsonNode? value) => Bind(name, JsonataValue.FromJsonNode(value));

    /// <summary>Binds <c>$name</c> to a value.</summary>
    public JsonataBindings Bind(string name, JsonataValue value)
    {
        ArgumentNullException.ThrowIfNull(name);
        Values[name] = value.Raw;
        return this;
    }

    /// <summary>
    /// Binds <c>$name</c> to a .NET function. <paramref name="signature"/> uses JSONata's signature syntax
    /// (e.g. <c>&lt;s-n?:s&gt;</c>). <paramref name="arity"/> is how many arguments higher-order functions
    /// such as <c>$map</c> pass; it defaults to the number of signature parameters, or 1.
    /// </summary>
    public JsonataBindings BindFunction(string name, JsonataFunction function, string? signature = null, int? arity = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(function);
        var parsed = signature == null ? null : Signatures.Signature.Parse(signature);
        var native = new NativeFunction(name, parsed, arity ?? parsed?.ParamCount ?? 1, (in CallContext _, object?[] args) =>
        {
            var wrapped = new JsonataValue[args.Length];
            for (var i = 0; i < args.Length; i++)
            {
                wrapped[i] = new JsonataValue(args[i]);
            }

            return function(wrapped).Raw;
        });
        Values[name] = native;
        return this;
    }
}
