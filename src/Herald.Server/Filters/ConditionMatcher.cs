using System.Text.Json.Nodes;
using Herald.Server.Configs;

namespace Herald.Server.Filters;

/// <summary>
/// The <c>filterConditions</c> of a config (wire-format section 6): a group of conditions joined by <c>AND</c>
/// (the default) or <c>OR</c>, evaluated in order and short-circuited. A group without conditions passes.
/// A condition is either a <c>jsonata_expression</c>, truthy by JSONata's <c>$boolean</c>, or a field test:
/// <c>field</c> names the value (see <see cref="FieldValue.At"/>; <c>repeatable_item_op</c> lets the path cross
/// arrays and collects every value found), <c>operation</c> tests it (see <see cref="ConditionOperations"/>) under
/// <c>field_type</c> (see <see cref="FieldTypes"/>). <c>is_array_field</c> declares that the field holds an array;
/// every array is tested item by item whether flagged or not, as the key <c>filter</c> does, so the flag changes
/// nothing. Pure, apart from the JSONata evaluation it delegates.
/// </summary>
public static class ConditionMatcher
{
    /// <summary>Why the event fails the group, or null when it passes. Throws <see cref="JsonataConditionException"/>.</summary>
    public static string? Reject(WebhookConditionGroup group, JsonObject input, IJsonataCondition jsonata)
    {
        var conditions = group.Conditions ?? [];
        if (conditions.Count == 0)
        {
            return null;
        }
        if (group.LogicalOperator == "OR")
        {
            return conditions.Any(c => Matches(c, input, jsonata))
                ? null
                : $"filterConditions: none of the {conditions.Count} conditions matched";
        }
        for (var i = 0; i < conditions.Count; i++)
        {
            if (!Matches(conditions[i], input, jsonata))
            {
                return $"filterConditions: condition {i + 1} ({Describe(conditions[i])}) did not match";
            }
        }
        return null;
    }

    public static bool Matches(WebhookCondition condition, JsonObject input, IJsonataCondition jsonata)
    {
        if (condition.JsonataExpression is { } expression)
        {
            return jsonata.IsTruthy(expression, input);
        }
        if (string.IsNullOrEmpty(condition.Field))
        {
            return false;
        }
        var field = FieldValue.At(input, condition.Field, perItem: condition.RepeatableItemOp == true);
        return ConditionOperations.Test(condition.Operation, condition.FieldType, field, condition.Values ?? []);
    }

    private static string Describe(WebhookCondition condition) =>
        condition.JsonataExpression is not null ? "jsonata_expression" : $"{condition.Field} {condition.Operation}";
}
