using System.Text.Json.Nodes;
using Herald.Server.Configs;
using Herald.Server.Filters;

namespace Herald.Server.Tests.Filters;

/// <summary>
/// Every operation under every field type, on single values, arrays and missing fields. Each row:
/// <c>operation | field_type | field value as JSON ("-" = missing) | values, comma-separated | expected</c>.
/// </summary>
public sealed class ConditionOperationsTests
{
    private static readonly string[] Table =
    [
        // string: ordinal, case-sensitive
        "equals | string | \"open\" | open | true",
        "equals | string | \"open\" | Open | false",
        "not_equals | string | \"open\" | open | false",
        "not_equals | string | \"open\" | closed | true",
        "any_of | string | \"open\" | closed,open | true",
        "any_of | string | \"open\" | closed,OPEN | false",
        "none_of | string | \"open\" | closed,open | false",
        "none_of | string | \"open\" | closed,won | true",
        "contains | string | \"open\" | pe | true",
        "contains | string | \"open\" | PE | false",
        "contains | string | \"open\" | xy,pe | true",
        "not_contains | string | \"open\" | pe | false",
        "not_contains | string | \"open\" | xy | true",
        "starts_with | string | \"open\" | op | true",
        "starts_with | string | \"open\" | pe | false",
        "ends_with | string | \"open\" | en | true",
        "ends_with | string | \"open\" | op | false",
        "greater_than | string | \"open\" | abc | true",
        "greater_than | string | \"open\" | open | false",
        "less_than | string | \"open\" | zzz | true",
        "less_than | string | \"open\" | abc | false",
        "greater_than_or_equals | string | \"open\" | open | true",
        "greater_than_or_equals | string | \"open\" | zzz | false",
        "less_than_or_equals | string | \"open\" | open | true",
        "less_than_or_equals | string | \"open\" | abc | false",
        "is_empty | string | \"open\" |  | false",
        "is_empty | string | \"\" |  | true",
        "is_not_empty | string | \"open\" |  | true",
        "is_not_empty | string | \"\" |  | false",
        "length_equals | string | \"open\" | 1 | true",
        "length_not_equals | string | \"open\" | 1 | false",
        "length_greater_than | string | \"open\" | 0 | true",
        "length_less_than | string | \"open\" | 1 | false",
        "length_greater_than_or_equals | string | \"open\" | 1 | true",
        "length_less_than_or_equals | string | \"open\" | 0 | false",
        "equals | string | 12.5 | 12.5 | true",
        "equals | string | true | true | true",
        "equals | string | {\"a\":1} | {\"a\":1} | true",

        // number: JSON numbers or numeric strings, compared numerically
        "equals | number | 12.5 | 12.50 | true",
        "equals | number | 12.5 | 12 | false",
        "equals | number | \"12.5\" | 12.5 | true",
        "equals | number | \"abc\" | 12 | false",
        "equals | number | 1000 | 1e3 | true",
        "not_equals | number | 12.5 | 12.5 | false",
        "not_equals | number | 12.5 | 13 | true",
        "not_equals | number | \"abc\" | 12 | true",
        "any_of | number | 12.5 | 1,12.5 | true",
        "any_of | number | 12.5 | 1,2 | false",
        "none_of | number | 12.5 | 1,12.5 | false",
        "none_of | number | 12.5 | 1,2 | true",
        "contains | number | 12.5 | 2.5 | true",
        "contains | number | 12.5 | 9 | false",
        "not_contains | number | 12.5 | 9 | true",
        "not_contains | number | 12.5 | 2 | false",
        "starts_with | number | 12.5 | 12 | true",
        "starts_with | number | 12.5 | 2 | false",
        "ends_with | number | 12.5 | .5 | true",
        "ends_with | number | 12.5 | 12 | false",
        "greater_than | number | 12.5 | 9 | true",
        "greater_than | number | 12.5 | 100 | false",
        "greater_than | number | \"abc\" | 1 | false",
        "less_than | number | 12.5 | 100 | true",
        "less_than | number | 12.5 | 9 | false",
        "less_than | number | 12.5 | abc | false",
        "greater_than_or_equals | number | 12.5 | 12.5 | true",
        "greater_than_or_equals | number | 12.5 | 1e2 | false",
        "less_than_or_equals | number | 12.5 | 12.5 | true",
        "less_than_or_equals | number | 12.5 | -3 | false",
        "is_empty | number | 0 |  | false",
        "is_not_empty | number | 0 |  | true",
        "length_equals | number | 12.5 | 1 | true",
        "length_not_equals | number | 12.5 | 0 | true",
        "length_greater_than | number | 12.5 | 1 | false",
        "length_less_than | number | 12.5 | 2 | true",
        "length_greater_than_or_equals | number | 12.5 | 2 | false",
        "length_less_than_or_equals | number | 12.5 | 1 | true",

        // boolean: true/false in any case, never ordered
        "equals | boolean | true | true | true",
        "equals | boolean | true | TRUE | true",
        "equals | boolean | true | false | false",
        "equals | boolean | true | yes | false",
        "equals | boolean | \"False\" | false | true",
        "equals | boolean | 1 | true | false",
        "not_equals | boolean | true | false | true",
        "not_equals | boolean | true | true | false",
        "any_of | boolean | false | true,false | true",
        "any_of | boolean | false | true | false",
        "none_of | boolean | false | true | true",
        "none_of | boolean | false | false | false",
        "contains | boolean | true | ru | true",
        "contains | boolean | true | RU | false",
        "not_contains | boolean | true | ru | false",
        "not_contains | boolean | true | x | true",
        "starts_with | boolean | false | fa | true",
        "starts_with | boolean | false | true | false",
        "ends_with | boolean | false | se | true",
        "ends_with | boolean | false | ue | false",
        "greater_than | boolean | true | false | false",
        "less_than | boolean | false | true | false",
        "greater_than_or_equals | boolean | true | true | false",
        "less_than_or_equals | boolean | true | true | false",
        "is_empty | boolean | false |  | false",
        "is_not_empty | boolean | false |  | true",
        "length_equals | boolean | false | 1 | true",
        "length_not_equals | boolean | false | 1 | false",
        "length_greater_than | boolean | false | 0 | true",
        "length_less_than | boolean | false | 0 | false",
        "length_greater_than_or_equals | boolean | false | 0 | true",
        "length_less_than_or_equals | boolean | false | 1 | true",

        // date: ISO 8601, by calendar day in UTC
        "equals | date | \"2026-03-01T23:30:00Z\" | 2026-03-01 | true",
        "equals | date | \"2026-03-01T23:30:00Z\" | 2026-03-02 | false",
        "equals | date | \"2026-03-01T23:30:00-02:00\" | 2026-03-02 | true",
        "equals | date | \"2026-03-01\" | 2026-03-01T08:00:00Z | true",
        "equals | date | \"03/01/2026\" | 2026-03-01 | false",
        "equals | date | \"not a date\" | 2026-03-01 | false",
        "equals | date | 20260301 | 2026-03-01 | false",
        "not_equals | date | \"2026-03-01\" | 2026-03-01 | false",
        "not_equals | date | \"2026-03-01\" | 2026-03-02 | true",
        "not_equals | date | \"not a date\" | 2026-03-01 | true",
        "any_of | date | \"2026-03-01\" | 2026-01-01,2026-03-01 | true",
        "any_of | date | \"2026-03-01\" | 2026-01-01 | false",
        "none_of | date | \"2026-03-01\" | 2026-01-01,2026-03-01 | false",
        "none_of | date | \"2026-03-01\" | 2026-01-01 | true",
        "contains | date | \"2026-03-01\" | -03- | true",
        "contains | date | \"2026-03-01\" | 2025 | false",
        "not_contains | date | \"2026-03-01\" | 2025 | true",
        "not_contains | date | \"2026-03-01\" | 2026 | false",
        "starts_with | date | \"2026-03-01\" | 2026 | true",
        "starts_with | date | \"2026-03-01\" | 03 | false",
        "ends_with | date | \"2026-03-01\" | 01 | true",
        "ends_with | date | \"2026-03-01\" | 2026 | false",
        "greater_than | date | \"2026-03-01T10:00:00Z\" | 2026-02-28 | true",
        "greater_than | date | \"2026-03-01T10:00:00Z\" | 2026-03-01 | false",
        "greater_than | date | \"not a date\" | 2026-03-01 | false",
        "less_than | date | \"2026-03-01T10:00:00Z\" | 2026-03-02 | true",
        "less_than | date | \"2026-03-01T10:00:00Z\" | 2026-03-01T23:00:00Z | false",
        "greater_than_or_equals | date | \"2026-03-01T10:00:00Z\" | 2026-03-01T23:59:59Z | true",
        "greater_than_or_equals | date | \"2026-03-01T10:00:00Z\" | 2026-03-02 | false",
        "less_than_or_equals | date | \"2026-03-01T10:00:00Z\" | 2026-03-01T00:00:00Z | true",
        "less_than_or_equals | date | \"2026-03-01T10:00:00Z\" | 2026-02-28 | false",
        "is_empty | date | \"2026-03-01\" |  | false",
        "is_not_empty | date | \"2026-03-01\" |  | true",
        "length_equals | date | \"2026-03-01\" | 1 | true",
        "length_not_equals | date | \"2026-03-01\" | 2 | true",
        "length_greater_than | date | \"2026-03-01\" | 0 | true",
        "length_less_than | date | \"2026-03-01\" | 1 | false",
        "length_greater_than_or_equals | date | \"2026-03-01\" | 1 | true",
        "length_less_than_or_equals | date | \"2026-03-01\" | 0 | false",

        // datetime: ISO 8601 instants; no offset means UTC, a bare date is its midnight
        "equals | datetime | \"2026-03-01T12:00:00Z\" | 2026-03-01T13:00:00+01:00 | true",
        "equals | datetime | \"2026-03-01T12:00:00Z\" | 2026-03-01 | false",
        "equals | datetime | \"2026-03-01T12:00:00\" | 2026-03-01T12:00:00Z | true",
        "equals | datetime | \"2026-03-01T12:00:00.000Z\" | 2026-03-01T12:00:00Z | true",
        "equals | datetime | \"2026-03-01\" | 2026-03-01T00:00:00Z | true",
        "equals | datetime | \"noon\" | 2026-03-01T12:00:00Z | false",
        "not_equals | datetime | \"2026-03-01T12:00:00Z\" | 2026-03-01T12:00:00Z | false",
        "not_equals | datetime | \"2026-03-01T12:00:00Z\" | 2026-03-01T12:00:01Z | true",
        "any_of | datetime | \"2026-03-01T12:00:00Z\" | 2026-01-01T00:00:00Z,2026-03-01T12:00:00Z | true",
        "any_of | datetime | \"2026-03-01T12:00:00Z\" | 2026-03-01 | false",
        "none_of | datetime | \"2026-03-01T12:00:00Z\" | 2026-03-01T12:00:00Z | false",
        "none_of | datetime | \"2026-03-01T12:00:00Z\" | 2026-03-01 | true",
        "contains | datetime | \"2026-03-01T12:00:00Z\" | T12 | true",
        "contains | datetime | \"2026-03-01T12:00:00Z\" | t12 | false",
        "not_contains | datetime | \"2026-03-01T12:00:00Z\" | T13 | true",
        "not_contains | datetime | \"2026-03-01T12:00:00Z\" | T12 | false",
        "starts_with | datetime | \"2026-03-01T12:00:00Z\" | 2026-03 | true",
        "starts_with | datetime | \"2026-03-01T12:00:00Z\" | 12 | false",
        "ends_with | datetime | \"2026-03-01T12:00:00Z\" | Z | true",
        "ends_with | datetime | \"2026-03-01T12:00:00Z\" | +00:00 | false",
        "greater_than | datetime | \"2026-03-01T12:00:00Z\" | 2026-03-01T11:59:59Z | true",
        "greater_than | datetime | \"2026-03-01T12:00:00Z\" | 2026-03-01T12:00:00Z | false",
        "greater_than | datetime | \"2026-03-01T12:00:00Z\" | 2026-03-01 | true",
        "less_than | datetime | \"2026-03-01T12:00:00Z\" | 2026-03-01T12:00:01Z | true",
        "less_than | datetime | \"2026-03-01T12:00:00Z\" | 2026-03-01T14:00:00+02:00 | false",
        "greater_than_or_equals | datetime | \"2026-03-01T12:00:00Z\" | 2026-03-01T12:00:00Z | true",
        "greater_than_or_equals | datetime | \"2026-03-01T12:00:00Z\" | 2026-03-02 | false",
        "less_than_or_equals | datetime | \"2026-03-01T12:00:00Z\" | 2026-03-01T12:00:00Z | true",
        "less_than_or_equals | datetime | \"2026-03-01T12:00:00Z\" | 2026-03-01 | false",
        "is_empty | datetime | \"2026-03-01T12:00:00Z\" |  | false",
        "is_not_empty | datetime | \"2026-03-01T12:00:00Z\" |  | true",
        "length_equals | datetime | \"2026-03-01T12:00:00Z\" | 0 | false",
        "length_not_equals | datetime | \"2026-03-01T12:00:00Z\" | 0 | true",
        "length_greater_than | datetime | \"2026-03-01T12:00:00Z\" | 0 | true",
        "length_less_than | datetime | \"2026-03-01T12:00:00Z\" | 2 | true",
        "length_greater_than_or_equals | datetime | \"2026-03-01T12:00:00Z\" | 1 | true",
        "length_less_than_or_equals | datetime | \"2026-03-01T12:00:00Z\" | 0 | false",

        // arrays: item operations pass when any item passes, their negations when every item passes theirs
        "equals | string | [\"vip\",\"b2b\"] | b2b | true",
        "equals | string | [\"vip\",\"b2b\"] | b2c | false",
        "not_equals | string | [\"vip\",\"b2b\"] | b2b | false",
        "not_equals | string | [\"vip\",\"b2b\"] | b2c | true",
        "any_of | string | [\"vip\",\"b2b\"] | x,vip | true",
        "none_of | string | [\"vip\",\"b2b\"] | x,vip | false",
        "none_of | string | [\"vip\",\"b2b\"] | x,y | true",
        "contains | string | [\"vip\",\"b2b\"] | 2b | true",
        "not_contains | string | [\"vip\",\"b2b\"] | i | false",
        "not_contains | string | [\"vip\",\"b2b\"] | z | true",
        "starts_with | string | [\"vip\",\"b2b\"] | b2 | true",
        "ends_with | string | [\"vip\",\"b2b\"] | x | false",
        "greater_than | string | [\"a\",\"c\"] | b | true",
        "less_than | string | [\"c\",\"d\"] | b | false",
        "is_empty | string | [\"vip\",\"b2b\"] |  | false",
        "is_not_empty | string | [\"vip\",\"b2b\"] |  | true",
        "is_empty | string | [\"\"] |  | false",
        "length_equals | string | [\"vip\",\"b2b\"] | 2 | true",
        "length_greater_than | string | [\"vip\",\"b2b\"] | 2 | false",
        "length_greater_than_or_equals | string | [\"vip\",\"b2b\"] | 2 | true",
        "length_less_than | string | [\"vip\",\"b2b\"] | 3 | true",
        "greater_than | number | [1,5,10] | 9 | true",
        "greater_than | number | [1,5,10] | 10 | false",
        "less_than | number | [1,5,10] | 1 | false",
        "not_equals | number | [1,5,10] | 5.0 | false",
        "equals | boolean | [false,true] | true | true",
        "equals | date | [\"2026-01-01\",\"2026-03-01\"] | 2026-03-01 | true",
        "less_than | datetime | [\"2026-03-01T12:00:00Z\"] | 2026-03-01T12:00:00Z | false",
        "equals | string | [null,\"a\"] | a | true",
        "not_equals | string | [null] | a | true",
        "equals | string | [] | a | false",
        "not_equals | string | [] | a | true",
        "none_of | string | [] | a | true",
        "not_contains | string | [] | a | true",
        "greater_than | number | [] | 0 | false",
        "is_empty | string | [] |  | true",
        "is_not_empty | string | [] |  | false",
        "length_equals | string | [] | 0 | true",
        "is_empty | string | {} |  | true",
        "length_equals | string | {} | 1 | true",

        // missing (and null) fields: only is_empty, the negations and length_* satisfied by 0 items pass
        "equals | string | - | a | false",
        "not_equals | string | - | a | true",
        "any_of | string | - | a | false",
        "none_of | string | - | a | true",
        "contains | string | - | a | false",
        "not_contains | string | - | a | true",
        "starts_with | string | - | a | false",
        "ends_with | string | - | a | false",
        "greater_than | number | - | 0 | false",
        "less_than | number | - | 0 | false",
        "greater_than_or_equals | number | - | 0 | false",
        "less_than_or_equals | number | - | 0 | false",
        "is_empty | string | - |  | true",
        "is_not_empty | string | - |  | false",
        "length_equals | string | - | 0 | true",
        "length_equals | string | - | 1 | false",
        "length_not_equals | string | - | 0 | false",
        "length_not_equals | string | - | 1 | true",
        "length_greater_than | string | - | 0 | false",
        "length_less_than | string | - | 1 | true",
        "length_greater_than_or_equals | string | - | 0 | true",
        "length_greater_than_or_equals | string | - | 1 | false",
        "length_less_than_or_equals | string | - | 0 | true",
        "equals | boolean | null | false | false",
        "not_equals | date | null | 2026-03-01 | true",
        "is_empty | datetime | null |  | true",
        "length_equals | number | null | 0 | true",

        // values the operation needs but does not have, and unknown operations, never pass
        "equals | string | \"a\" |  | false",
        "not_equals | string | \"a\" |  | false",
        "none_of | string | - |  | false",
        "length_equals | string | - | x | false",
        "length_less_than | string | - | -1 | false",
        "matches | string | \"a\" | a | false",
    ];

    public static TheoryData<string, string, string, string, bool> Rows()
    {
        var rows = new TheoryData<string, string, string, string, bool>();
        foreach (var row in Table)
        {
            var cells = row.Split('|', StringSplitOptions.TrimEntries);
            rows.Add(cells[0], cells[1], cells[2], cells[3], bool.Parse(cells[4]));
        }
        return rows;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void An_operation_tests_the_field_under_its_type(string operation, string fieldType, string field, string values, bool expected)
    {
        var input = field == "-" ? new JsonObject() : new JsonObject { ["f"] = JsonNode.Parse(field) };
        var condition = new WebhookCondition
        {
            Field = "f",
            Operation = operation,
            FieldType = fieldType,
            Values = values.Length == 0 ? [] : values.Split(',').ToList(),
        };

        Assert.Equal(expected, ConditionMatcher.Matches(condition, input, new NoJsonata()));
    }

    [Fact]
    public void The_table_covers_every_operation_under_every_field_type_and_every_operation_on_a_missing_field()
    {
        var rows = Table.Select(r => r.Split('|', StringSplitOptions.TrimEntries)).ToList();

        var present = rows.Where(r => r[2] != "-").Select(r => (r[0], r[1])).ToHashSet();
        var missing = rows.Where(r => r[2] == "-").Select(r => r[0]).ToHashSet();

        Assert.All(ContractEnums.Operations, operation =>
        {
            Assert.All(ContractEnums.FieldTypes, type => Assert.Contains((operation, type), present));
            Assert.Contains(operation, missing);
        });
    }

    private sealed class NoJsonata : IJsonataCondition
    {
        public bool IsTruthy(string expression, JsonObject input) => throw new InvalidOperationException("not a JSONata condition");
    }
}
