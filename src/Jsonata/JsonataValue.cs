using System.Text.Json;
using System.Text.Json.Nodes;
using Jsonata.Json;
using Jsonata.Values;

namespace Jsonata;

/// <summary>
/// A value produced or consumed by an expression. Unlike <see cref="JsonNode"/>, it can be
/// <em>undefined</em> (no value at all), which JSONata distinguishes from JSON <c>null</c>.
/// </summary>
public readonly struct JsonataValue : IEquatable<JsonataValue>
{
    internal JsonataValue(object? raw, long maxResultBytes = 0)
    {
        Raw = raw;
        MaxResultBytes = maxResultBytes;
    }

    /// <summary>The absence of a value.</summary>
    public static JsonataValue Undefined => default;

    /// <summary>JSON <c>null</c>.</summary>
    public static JsonataValue Null => new(JNull.Instance);

    internal object? Raw { get; }

    /// <summary>The result-size limit of the evaluation that produced the value, which its conversions keep to.</summary>
    internal long MaxResultBytes { get; }

    /// <summary>True when there is no value (JSONata's undefined).</summary>
    public bool IsUndefined => Raw == null;

    /// <summary>True for JSON <c>null</c>.</summary>
    public bool IsNull => Raw is JNull;

    /// <summary>True when the value is a function (it has no JSON form).</summary>
    public bool IsFunction => Raw is JFunction;

    /// <summary>Converts from a JSON node; a null node is JSON <c>null</c>.</summary>
    public static JsonataValue FromJsonNode(JsonNode? node) => new(JsonConvert.FromNode(node));

    /// <summary>Converts from a JSON element.</summary>
    public static JsonataValue FromJsonElement(JsonElement element) => new(JsonConvert.FromElement(element));

    /// <summary>Parses JSON text. Accepts escaped lone surrogates, which System.Text.Json rejects.</summary>
    public static JsonataValue Parse(string json) => new(JsonReader.Parse(json));

    /// <summary>A string value; a null reference gives JSON <c>null</c>.</summary>
    public static JsonataValue From(string? value) => value == null ? Null : new JsonataValue(value);

    /// <summary>A number value.</summary>
    public static JsonataValue From(double value) => new(Boxes.Number(value));

    /// <summary>A boolean value.</summary>
    public static JsonataValue From(bool value) => new(Boxes.Bool(value));

    /// <summary>The value as a JSON node; undefined and JSON null both give a null reference.</summary>
    public JsonNode? ToJsonNode() => JsonConvert.ToNode(Raw, MaxResultBytes);

    /// <summary>The value as compact JSON text, or null when undefined.</summary>
    public string? ToJsonString() => Raw == null ? null : Json.JsonWriter.Serialize(Raw, false, MaxResultBytes);

    /// <summary>The string, when the value is a string.</summary>
    public string? AsString() => Raw as string;

    /// <summary>The number, when the value is a number.</summary>
    public double? AsNumber() => Raw as double?;

    /// <summary>The boolean, when the value is a boolean.</summary>
    public bool? AsBoolean() => Raw as bool?;

    /// <summary>Deep equality with JSONata's <c>=</c> semantics; undefined equals only undefined.</summary>
    public bool Equals(JsonataValue other) => Raw == null ? other.Raw == null : Evaluation.Util.DeepEquals(Raw, other.Raw);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is JsonataValue other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Raw switch
    {
        null => 0,
        string s => s.GetHashCode(StringComparison.Ordinal),
        double d => d.GetHashCode(),
        bool b => b.GetHashCode(),
        _ => 1,
    };

    /// <summary>Deep equality, as <see cref="Equals(JsonataValue)"/>.</summary>
    public static bool operator ==(JsonataValue left, JsonataValue right) => left.Equals(right);

    /// <summary>Deep inequality, as <see cref="Equals(JsonataValue)"/>.</summary>
    public static bool operator !=(JsonataValue left, JsonataValue right) => !left.Equals(right);

    /// <summary>The compact JSON text, or <c>undefined</c>.</summary>
    public override string ToString() => ToJsonString() ?? "undefined";
}
