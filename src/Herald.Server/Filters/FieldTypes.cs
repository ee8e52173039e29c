using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Herald.Server.Filters;

/// <summary>
/// How a condition's <c>field_type</c> compares one item with one condition value. Pure.
/// <list type="bullet">
/// <item><c>string</c> (the default): the item's text (strings as they are, numbers in shortest round-trip form,
/// booleans as <c>true</c>/<c>false</c>, objects and arrays as JSON) compared ordinally, case-sensitive.</item>
/// <item><c>number</c>: JSON numbers, or strings that parse as invariant-culture numbers (<c>"12.5"</c>, <c>"1e3"</c>);
/// compared numerically.</item>
/// <item><c>boolean</c>: JSON booleans, or the strings <c>true</c>/<c>false</c> in any case; equal or not, never ordered.</item>
/// <item><c>date</c>: ISO 8601 strings (<c>2026-03-01</c>, or a date-time, taken in UTC); compared by calendar day.</item>
/// <item><c>datetime</c>: ISO 8601 strings (no offset means UTC; a bare date is its midnight UTC); compared as instants.</item>
/// </list>
/// An item or value that does not parse as the field type equals nothing and is neither greater nor less than anything.
/// </summary>
public static partial class FieldTypes
{
    public const string String = "string";
    public const string Number = "number";
    public const string Boolean = "boolean";
    public const string Date = "date";
    public const string DateTime = "datetime";

    public static bool Equal(string? fieldType, JsonNode item, string value) => fieldType switch
    {
        Boolean => ParseBoolean(item) is { } a && ParseBoolean(value) is { } b && a == b,
        _ => Order(fieldType, item, value) == 0,
    };

    /// <summary>The sign of item minus value, or null when the two are not comparable under the field type.</summary>
    public static int? Order(string? fieldType, JsonNode item, string value)
    {
        var order = fieldType switch
        {
            Number => ParseNumber(item) is { } a && ParseNumber(value) is { } b ? a.CompareTo(b) : (int?)null,
            Boolean => null,
            Date => ParseInstant(item) is { } a && ParseInstant(value) is { } b ? DateOnly.FromDateTime(a.UtcDateTime).CompareTo(DateOnly.FromDateTime(b.UtcDateTime)) : null,
            DateTime => ParseInstant(item) is { } a && ParseInstant(value) is { } b ? a.CompareTo(b) : null,
            _ => string.CompareOrdinal(KeyFilter.AsText(item), value),
        };
        return order is { } o ? Math.Sign(o) : null;
    }

    private static double? ParseNumber(JsonNode item) => item.GetValueKind() switch
    {
        JsonValueKind.Number => ParseNumber(item.ToJsonString()),
        JsonValueKind.String => ParseNumber(item.GetValue<string>()),
        _ => null,
    };

    private static double? ParseNumber(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) ? number : null;

    private static bool? ParseBoolean(JsonNode item) => item.GetValueKind() switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String => ParseBoolean(item.GetValue<string>()),
        _ => null,
    };

    private static bool? ParseBoolean(string text) =>
        string.Equals(text, "true", StringComparison.OrdinalIgnoreCase) ? true
        : string.Equals(text, "false", StringComparison.OrdinalIgnoreCase) ? false
        : null;

    private static DateTimeOffset? ParseInstant(JsonNode item) =>
        item.GetValueKind() == JsonValueKind.String ? ParseInstant(item.GetValue<string>()) : null;

    /// <summary>ISO 8601 only: the invariant culture alone would also read <c>03/01/2026</c>, month first.</summary>
    private static DateTimeOffset? ParseInstant(string text) =>
        IsoDate().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant)
            ? instant
            : null;

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(?:$|T)")]
    private static partial Regex IsoDate();
}
