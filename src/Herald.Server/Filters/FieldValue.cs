using System.Text.Json;
using System.Text.Json.Nodes;

namespace Herald.Server.Filters;

/// <summary>
/// What a condition tests at its field: the items compared one by one, the item count the <c>length_*</c>
/// operations see, and whether the field counts as empty.
/// </summary>
public sealed record FieldValue(IReadOnlyList<JsonNode?> Items, int Count, bool IsEmpty)
{
    public static readonly FieldValue Missing = new([], 0, true);

    /// <summary>
    /// The value at <paramref name="path"/>. With <paramref name="perItem"/> (<c>repeatable_item_op</c>) the path may
    /// cross arrays and every value found is one item; otherwise it names one value, and an array there gives its
    /// elements as the items.
    /// </summary>
    public static FieldValue At(JsonNode input, string path, bool perItem)
    {
        if (perItem)
        {
            var found = FieldPath.Collect(input, path);
            return new FieldValue(found, found.Count, found.All(IsBlank));
        }
        return FieldPath.Resolve(input, path) switch
        {
            null => Missing,
            JsonArray array => new FieldValue(array.ToList(), array.Count, array.Count == 0),
            var single => new FieldValue([single], 1, IsBlank(single)),
        };
    }

    /// <summary>Blank: JSON null, the empty string, an empty array or an empty object. Numbers and booleans never are.</summary>
    public static bool IsBlank(JsonNode? node) => node switch
    {
        null => true,
        JsonArray array => array.Count == 0,
        JsonObject obj => obj.Count == 0,
        _ => node.GetValueKind() == JsonValueKind.String && node.GetValue<string>().Length == 0,
    };
}
