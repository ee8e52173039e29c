using System.Text.Json;
using System.Text.Json.Nodes;
using Jsonata.Values;

namespace Jsonata.Json;

/// <summary>Converts between System.Text.Json types and the evaluator's value model.</summary>
internal static class JsonConvert
{
    public static object? FromNode(JsonNode? node)
    {
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
                {
                    var value = node.AsValue();
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
        }
    }

    public static object? FromElement(JsonElement element)
    {
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

    public static JsonNode? ToNode(object? value)
    {
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
                        result.Add(ToNode(item));
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
                            result[key] = ToNode(item);
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
