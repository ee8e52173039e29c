using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Herald.Server.Filters;

/// <summary>
/// The <c>filter</c> of a config: the value at the dot path <c>keyToFilter</c> (array indices allowed, as
/// <c>items.0.id</c> or <c>items[0].id</c>), compared as a string, must be one of <c>supportedValues</c>; an array
/// value matches when any element does. Pure.
/// </summary>
public static class KeyFilter
{
    public static bool Matches(JsonNode input, string keyToFilter, IReadOnlyCollection<string> supportedValues) =>
        FieldPath.Resolve(input, keyToFilter) switch
        {
            null => false,
            JsonArray array => array.Any(item => item is not null && supportedValues.Contains(AsText(item))),
            var value => supportedValues.Contains(AsText(value)),
        };

    /// <summary>A JSON value as the string a filter compares: strings unquoted, everything else as JSON text.</summary>
    public static string AsText(JsonNode node) => node.GetValueKind() switch
    {
        JsonValueKind.String => node.GetValue<string>(),
        JsonValueKind.Number => double.Parse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture),
        _ => node.ToJsonString(),
    };
}
