using System.Text.Json;
using System.Text.Json.Nodes;
using Jsonata.Values;

namespace Jsonata.Json;

/// <summary>Converts between System.Text.Json types and the evaluator's value model.</summary>
internal static class JsonConvert
{
    public static object? FromNode(JsonNode? node)
    {
        Errors.Limits.EnsureStack();
        switch (node)
        {
            case null:
                return JNull.Instance;
            case JsonObject obj:
                {
                    var result = new JObject(obj.Count);
                    foreach (var (key, value) in obj)
                    {
                        result.Set(key, FromNode(value));
                    }

                    return result;
                }

            case JsonArray arr:
                {
                    var result = new JArray(arr.Count);
                    foreach (var item in arr)
                    {
                        result.Add(FromNode(item));
                    }

                    return result;
                }

            default:
                return FromValue(node.AsValue());
        }
    }

    /// <summary>
    /// Like <see cref="FromNode"/>, but objects are read only when first used (<see cref="JObject.Over"/>). Arrays
    /// are converted at once, each object item again as an unread view.
    /// </summary>
    public static object? FromNodeLazily(JsonNode? node)
    {
        Errors.Limits.EnsureStack();
        switch (node)
        {
            case null:
                return JNull.Instance;
            case JsonObject obj:
                return JObject.Over(obj);
            case JsonArray arr:
                {
                    var result = new JArray(arr.Count);
                    for (var i = 0; i < arr.Count; i++)
                    {
                        result.Add(FromNodeLazily(arr[i]));
                    }

                    return result;
                }

            default:
                return FromValue(node.AsValue());
        }
    }

    /// <summary>
    /// Reads every object in <paramref name="value"/> that is still an unread view of a <see cref="JsonObject"/>, so
    /// the value no longer depends on the input document. Returns the value.
    /// </summary>
    public static object? Settle(object? value)
    {
        if (value is not (JObject or JArray))
        {
            return value;
        }

        // a value may hold one object many times over: each is visited once, or settling could take exponential time
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<object>();
        pending.Push(value);
        while (pending.TryPop(out var current))
        {
            if (!visited.Add(current))
            {
                continue;
            }

            if (current is JObject obj)
            {
                foreach (var item in obj.Values)
                {
                    if (item is JObject or JArray)
                    {
                        pending.Push(item);
                    }
                }
            }
            else if (current is JArray { IsRange: false } arr)
            {
                foreach (var item in arr)
                {
                    if (item is JObject or JArray)
                    {
                        pending.Push(item);
                    }
                }
            }
        }

        return value;
    }

    public static object? FromValue(JsonValue value)
    {
        if (value.TryGetValue<JsonElement>(out var element))
        {
            return FromElement(element);
        }

        if (value.TryGetValue<string>(out var text))
        {
            return text;
        }

        if (value.TryGetValue<double>(out var number))
        {
            return Boxes.Number(number);
        }

        if (value.TryGetValue<bool>(out var flag))
        {
            return Boxes.Bool(flag);
        }

        // values built from other CLR types (int, decimal, char, ...) go through their JSON text
        return JsonReader.Parse(value.ToJsonString());
    }

    public static object? FromElement(JsonElement element)
    {
        Errors.Limits.EnsureStack();
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                {
                    var result = new JObject();
                    foreach (var prop in element.EnumerateObject())
                    {
                        result.Set(prop.Name, FromElement(prop.Value));
                    }

                    return result;
                }

            case JsonValueKind.Array:
                {
                    var result = new JArray(element.GetArrayLength());
                    foreach (var item in element.EnumerateArray())
                    {
                        result.Add(FromElement(item));
                    }

                    return result;
                }

            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                return Boxes.Number(element.GetDouble());
            case JsonValueKind.True:
                return Boxes.True;
            case JsonValueKind.False:
                return Boxes.False;
            case JsonValueKind.Undefined:
                return null;
            default:
                return JNull.Instance;
        }
    }

    /// <summary>
    /// The value as a JSON node. With a <paramref name="limit"/> (bytes of JSON text at the least, 0 for none) the
    /// conversion fails with <c>U1003</c> once it passes the limit: a value that holds one object many times over
    /// becomes a tree with that object copied each time.
    /// </summary>
    public static JsonNode? ToNode(object? value, long limit = 0)
    {
        long used = 0;
        return ToNode(value, limit, ref used);
    }

    private static JsonNode? ToNode(object? value, long limit, ref long used)
    {
        Errors.Limits.EnsureStack();
        if (limit > 0)
        {
            used += value is string text ? text.Length + 2L : 1;
            if (used > limit)
            {
                throw Errors.Limits.ResultTooLarge("the JSON of the result", used, limit);
            }
        }

        switch (value)
        {
            case null:
            case JNull:
                return null;
            case string s:
                return JsonValue.Create(s);
            case double d:
                return double.IsFinite(d) ? JsonValue.Create(d) : null;
            case bool b:
                return JsonValue.Create(b);
            case JArray arr:
                {
                    var source = arr.OuterWrapper && arr.Count == 1 && arr[0] is JArray inner ? inner : arr;
                    var result = new JsonArray();
                    foreach (var item in source)
                    {
                        result.Add(ToNode(item, limit, ref used));
                    }

                    return result;
                }

            case JObject obj:
                {
                    var result = new JsonObject();
                    foreach (var (key, item) in obj)
                    {
                        if (item != null)
                        {
                            used += key.Length + 3L;
                            result[key] = ToNode(item, limit, ref used);
                        }
                    }

                    return result;
                }

            case JFunction:
                return JsonValue.Create(string.Empty);
            default:
                return null;
        }
    }
}
