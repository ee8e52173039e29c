using System.Text.Json;
using System.Text.Json.Nodes;

namespace Jsonata.Bench;

/// <summary>
/// Compares two engines' results as JSON: same structure, same property order, same strings and booleans, and
/// numbers equal as doubles (so <c>1e21</c> and <c>1E+21</c>, or <c>2</c> and <c>2.0</c>, are the same number).
/// </summary>
internal static class JsonComparison
{
    /// <summary>Null when both texts denote the same value (a null text means "no result"), else where they first differ.</summary>
    public static string? Difference(string? ours, string? theirs)
    {
        if (ours == null || theirs == null)
        {
            return ours == theirs ? null : $"one result is undefined (ours {ours ?? "undefined"}, jsonata-js {theirs ?? "undefined"})";
        }

        return Difference(JsonNode.Parse(ours), JsonNode.Parse(theirs), "$");
    }

    private static string? Difference(JsonNode? a, JsonNode? b, string path)
    {
        switch (a, b)
        {
            case (null, null):
                return null;
            case (JsonObject x, JsonObject y):
                {
                    if (x.Count != y.Count)
                    {
                        return $"{path}: {x.Count} properties against {y.Count}";
                    }

                    for (var i = 0; i < x.Count; i++)
                    {
                        var (keyX, valueX) = x.GetAt(i);
                        var (keyY, valueY) = y.GetAt(i);
                        if (keyX != keyY)
                        {
                            return $"{path}: property {i} is \"{keyX}\" against \"{keyY}\"";
                        }

                        if (Difference(valueX, valueY, $"{path}.{keyX}") is { } inner)
                        {
                            return inner;
                        }
                    }

                    return null;
                }

            case (JsonArray x, JsonArray y):
                {
                    if (x.Count != y.Count)
                    {
                        return $"{path}: {x.Count} items against {y.Count}";
                    }

                    for (var i = 0; i < x.Count; i++)
                    {
                        if (Difference(x[i], y[i], $"{path}[{i}]") is { } inner)
                        {
                            return inner;
                        }
                    }

                    return null;
                }

            case (JsonValue x, JsonValue y) when x.GetValueKind() == y.GetValueKind():
                {
                    var same = x.GetValueKind() switch
                    {
                        JsonValueKind.Number => x.GetValue<double>() == y.GetValue<double>(),
                        JsonValueKind.String => x.GetValue<string>() == y.GetValue<string>(),
                        _ => true, // true, false: the kind is the value
                    };
                    return same ? null : $"{path}: {x.ToJsonString()} against {y.ToJsonString()}";
                }

            default:
                return $"{path}: {a?.ToJsonString() ?? "null"} against {b?.ToJsonString() ?? "null"}";
        }
    }
}
