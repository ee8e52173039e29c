using System.Text.Json.Nodes;
using Herald.Server.Configs;
using Herald.Server.Filters;

namespace Herald.Server.Tests.Filters;

public sealed class ConditionMatcherTests
{
    private static readonly JsonObject Input = JsonNode.Parse("""
        {"entity":{"status":"open","amount":120,"tags":["vip"],
          "line_items":[{"price":10},{"price":250}],
          "email":[{"email":"a@example.com"},{"email":"b@example.org"}]}}
        """)!.AsObject();

    private static WebhookCondition Field(string field, string operation, params string[] values) =>
        new() { Field = field, Operation = operation, Values = [.. values] };

    private static WebhookCondition Jsonata(string expression) => new() { JsonataExpression = expression };

    private static WebhookConditionGroup Group(string? logicalOperator, params WebhookCondition[] conditions) =>
        new() { LogicalOperator = logicalOperator, Conditions = [.. conditions] };

    private static readonly WebhookCondition Open = Field("entity.status", "equals", "open");
    private static readonly WebhookCondition Closed = Field("entity.status", "equals", "closed");

    [Fact]
    public void A_group_without_conditions_passes()
    {
        Assert.Null(ConditionMatcher.Reject(Group(null), Input, new ScriptedJsonata()));
        Assert.Null(ConditionMatcher.Reject(Group("OR"), Input, new ScriptedJsonata()));
        Assert.Null(ConditionMatcher.Reject(new WebhookConditionGroup(), Input, new ScriptedJsonata()));
    }

    [Theory]
    [InlineData(null, true, true, true)]
    [InlineData(null, true, false, false)]
    [InlineData(null, false, true, false)]
    [InlineData(null, false, false, false)]
    [InlineData("AND", true, false, false)]
    [InlineData("AND", true, true, true)]
    [InlineData("OR", true, false, true)]
    [InlineData("OR", false, true, true)]
    [InlineData("OR", false, false, false)]
    public void Conditions_are_joined_with_and_by_default_or_with_or(string? logicalOperator, bool first, bool second, bool passes)
    {
        var group = Group(logicalOperator, first ? Open : Closed, second ? Open : Closed);

        Assert.Equal(passes, ConditionMatcher.Reject(group, Input, new ScriptedJsonata()) is null);
    }

    [Fact]
    public void The_reason_names_the_first_condition_that_failed_or_says_none_matched()
    {
        var and = ConditionMatcher.Reject(Group("AND", Open, Field("entity.amount", "greater_than", "500"), Closed), Input, new ScriptedJsonata());
        var or = ConditionMatcher.Reject(Group("OR", Closed, Closed), Input, new ScriptedJsonata());

        Assert.Equal("filterConditions: condition 2 (entity.amount greater_than) did not match", and);
        Assert.Equal("filterConditions: none of the 2 conditions matched", or);
    }

    [Theory]
    [InlineData(true, null)]
    [InlineData(false, "filterConditions: condition 2 (jsonata_expression) did not match")]
    public void A_jsonata_condition_passes_when_its_result_is_truthy(bool truthy, string? reason)
    {
        var jsonata = new ScriptedJsonata { ["entity.amount > 100"] = truthy };

        Assert.Equal(reason, ConditionMatcher.Reject(Group(null, Open, Jsonata("entity.amount > 100")), Input, jsonata));
        Assert.Equal(Input, jsonata.Inputs.Single());
    }

    [Fact]
    public void Evaluation_stops_at_the_first_condition_that_decides_the_group()
    {
        var jsonata = new ScriptedJsonata { ["x"] = true };

        ConditionMatcher.Reject(Group("AND", Closed, Jsonata("x")), Input, jsonata);
        ConditionMatcher.Reject(Group("OR", Open, Jsonata("x")), Input, jsonata);

        Assert.Empty(jsonata.Inputs);
    }

    [Fact]
    public void A_jsonata_condition_that_cannot_be_evaluated_throws()
    {
        var error = Assert.Throws<JsonataConditionException>(() =>
            ConditionMatcher.Reject(Group(null, Open, Jsonata("$boom(")), Input, new ScriptedJsonata()));

        Assert.Contains("$boom(", error.Message);
    }

    [Theory]
    [InlineData("entity.line_items.price", "number", "greater_than", "100", true, true)]
    [InlineData("entity.line_items.price", "number", "greater_than", "100", false, false)]
    [InlineData("entity.line_items.price", "number", "greater_than", "1000", true, false)]
    [InlineData("entity.line_items.price", "number", "less_than", "100", true, true)]
    [InlineData("entity.line_items.price", "number", "not_equals", "10", true, false)]
    [InlineData("entity.line_items.price", "number", "not_equals", "11", true, true)]
    [InlineData("entity.line_items.price", "number", "length_equals", "2", true, true)]
    [InlineData("entity.line_items.price", "number", "length_equals", "0", false, true)]
    [InlineData("entity.email.email", "string", "ends_with", ".org", true, true)]
    [InlineData("entity.email.email", "string", "not_contains", "@example", true, false)]
    [InlineData("entity.email.email", "string", "is_not_empty", "", true, true)]
    [InlineData("entity.email.phone", "string", "is_empty", "", true, true)]
    [InlineData("entity.email[0].email", "string", "ends_with", ".org", false, false)]
    public void Per_item_evaluation_tests_every_value_of_a_repeatable_field(string field, string fieldType, string operation, string value, bool perItem, bool passes)
    {
        var condition = new WebhookCondition
        {
            Field = field,
            Operation = operation,
            Values = value.Length == 0 ? null : [value],
            FieldType = fieldType,
            RepeatableItemOp = perItem,
        };

        Assert.Equal(passes, ConditionMatcher.Matches(condition, Input, new ScriptedJsonata()));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    [InlineData(null)]
    public void An_array_is_tested_item_by_item_whether_or_not_it_is_flagged_as_one(bool? isArrayField)
    {
        var vip = new WebhookCondition { Field = "entity.tags", Operation = "equals", Values = ["vip"], IsArrayField = isArrayField };
        var notVip = new WebhookCondition { Field = "entity.tags", Operation = "not_equals", Values = ["vip"], IsArrayField = isArrayField };

        Assert.True(ConditionMatcher.Matches(vip, Input, new ScriptedJsonata()));
        Assert.False(ConditionMatcher.Matches(notVip, Input, new ScriptedJsonata()));
    }

    [Fact]
    public void A_field_condition_without_a_field_does_not_pass()
    {
        Assert.False(ConditionMatcher.Matches(new WebhookCondition { Operation = "is_empty" }, Input, new ScriptedJsonata()));
    }

    /// <summary>Answers JSONata conditions from a script; an unknown expression is an evaluation error.</summary>
    private sealed class ScriptedJsonata : Dictionary<string, bool>, IJsonataCondition
    {
        public List<JsonObject> Inputs { get; } = [];

        public bool IsTruthy(string expression, JsonObject input)
        {
            Inputs.Add(input);
            return TryGetValue(expression, out var truthy) ? truthy : throw new JsonataConditionException($"cannot evaluate {expression}");
        }
    }
}
