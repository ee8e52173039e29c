using System.Globalization;
using System.Text.Json.Nodes;

namespace Herald.Server.Filters;

/// <summary>
/// The 20 operations of a field condition. Pure.
/// <list type="bullet">
/// <item>Item operations test the field's items one by one and pass when ANY item passes: <c>equals</c>
/// (values[0]), <c>any_of</c> (one of the values), <c>contains</c> / <c>starts_with</c> / <c>ends_with</c> (the item's
/// text against any of the values, ordinal and case-sensitive, whatever the field type), and
/// <c>greater_than</c> / <c>less_than</c> / <c>greater_than_or_equals</c> / <c>less_than_or_equals</c> (values[0],
/// see <see cref="FieldTypes"/>).</item>
/// <item>Their negations pass exactly when they fail, so they hold for EVERY item: <c>not_equals</c>,
/// <c>none_of</c>, <c>not_contains</c>. A missing field, or an empty array, has no items: it fails the item
/// operations and passes the negations.</item>
/// <item>Whole-field operations: <c>is_empty</c> / <c>is_not_empty</c> (see <see cref="FieldValue.IsBlank"/>), and
/// <c>length_*</c>, which compare the item count (array length, 0 when missing or null, 1 for any other single
/// value) with values[0], a non-negative integer.</item>
/// </list>
/// An unknown operation, or one without the values it needs, does not pass.
/// </summary>
public static class ConditionOperations
{
    public static bool Test(string? operation, string? fieldType, FieldValue field, IReadOnlyList<string> values) => operation switch
    {
        "not_equals" => values.Count > 0 && !Test("equals", fieldType, field, values),
        "none_of" => values.Count > 0 && !Test("any_of", fieldType, field, values),
        "not_contains" => values.Count > 0 && !Test("contains", fieldType, field, values),
        "is_empty" => field.IsEmpty,
        "is_not_empty" => !field.IsEmpty,
        "length_equals" => Length(field, values) is { } c && c == 0,
        "length_not_equals" => Length(field, values) is { } c && c != 0,
        "length_greater_than" => Length(field, values) is { } c && c > 0,
        "length_less_than" => Length(field, values) is { } c && c < 0,
        "length_greater_than_or_equals" => Length(field, values) is { } c && c >= 0,
        "length_less_than_or_equals" => Length(field, values) is { } c && c <= 0,
        _ => field.Items.Any(item => item is not null && TestItem(operation, fieldType, item, values)),
    };

    private static bool TestItem(string? operation, string? fieldType, JsonNode item, IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return false;
        }
        return operation switch
        {
            "equals" => FieldTypes.Equal(fieldType, item, values[0]),
            "any_of" => values.Any(value => FieldTypes.Equal(fieldType, item, value)),
            "contains" => values.Any(value => KeyFilter.AsText(item).Contains(value, StringComparison.Ordinal)),
            "starts_with" => values.Any(value => KeyFilter.AsText(item).StartsWith(value, StringComparison.Ordinal)),
            "ends_with" => values.Any(value => KeyFilter.AsText(item).EndsWith(value, StringComparison.Ordinal)),
            "greater_than" => FieldTypes.Order(fieldType, item, values[0]) is > 0,
            "less_than" => FieldTypes.Order(fieldType, item, values[0]) is < 0,
            "greater_than_or_equals" => FieldTypes.Order(fieldType, item, values[0]) is >= 0,
            "less_than_or_equals" => FieldTypes.Order(fieldType, item, values[0]) is <= 0,
            _ => false,
        };
    }

    /// <summary>The sign of the item count minus values[0], or null when values[0] is not a non-negative integer.</summary>
    private static int? Length(FieldValue field, IReadOnlyList<string> values) =>
        values.Count > 0 && int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var expected)
            ? field.Count.CompareTo(expected)
            : null;
}
