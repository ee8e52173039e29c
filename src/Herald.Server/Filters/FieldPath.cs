using System.Globalization;
using System.Text.Json.Nodes;

namespace Herald.Server.Filters;

/// <summary>Dot paths into JSON: <c>entity.items.1.id</c> and <c>entity.items[1].id</c> resolve identically.</summary>
public static class FieldPath
{
    /// <summary>The one value at the path, or null when the path is absent, JSON null, or leads through an array by name.</summary>
    public static JsonNode? Resolve(JsonNode? node, string path)
    {
        foreach (var segment in Segments(path))
        {
            node = node switch
            {
                JsonObject obj => obj[segment],
                JsonArray array when Index(segment) is { } index && index < array.Count => array[index],
                _ => null,
            };
            if (node is null)
            {
                return null;
            }
        }
        return node;
    }

    /// <summary>
    /// Every value at the path when it may cross arrays (<c>line_items.price</c>): a named segment that meets an
    /// array applies to each of its items, and an array at the end contributes its items. Absent and null values
    /// are left out. Numeric segments still pick one item.
    /// </summary>
    public static IReadOnlyList<JsonNode> Collect(JsonNode? node, string path)
    {
        var found = new List<JsonNode>();
        Collect(node, Segments(path).ToArray(), 0, found);
        return found;
    }

    public static IEnumerable<string> Segments(string path) =>
        path.Replace("[", ".", StringComparison.Ordinal).Replace("]", "", StringComparison.Ordinal)
            .Split('.', StringSplitOptions.RemoveEmptyEntries);

    private static void Collect(JsonNode? node, string[] segments, int at, List<JsonNode> found)
    {
        if (node is null)
        {
            return;
        }
        if (at == segments.Length)
        {
            if (node is JsonArray items)
            {
                found.AddRange(items.OfType<JsonNode>());
            }
            else
            {
                found.Add(node);
            }
            return;
        }
        switch (node)
        {
            case JsonObject obj:
                Collect(obj[segments[at]], segments, at + 1, found);
                break;
            case JsonArray array when Index(segments[at]) is { } index:
                Collect(index < array.Count ? array[index] : null, segments, at + 1, found);
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Collect(item, segments, at, found);
                }
                break;
        }
    }

    private static int? Index(string segment) =>
        int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : null;
}
