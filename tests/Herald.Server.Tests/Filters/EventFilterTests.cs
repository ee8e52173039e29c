using System.Text.Json.Nodes;
using Herald.Server.Configs;
using Herald.Server.Filters;

namespace Herald.Server.Tests.Filters;

public sealed class EventFilterTests
{
    private static readonly JsonObject Input = JsonNode.Parse("""{"entity":{"_schema":"order","status":"open"}}""")!.AsObject();

    private static WebhookConfig Config(string? schema, string? status) => new()
    {
        Filter = schema is null ? null : new Filter { KeyToFilter = "entity._schema", SupportedValues = [schema] },
        FilterConditions = status is null ? null : new WebhookConditionGroup
        {
            Conditions = [new WebhookCondition { Field = "entity.status", Operation = "equals", Values = [status] }],
        },
    };

    [Theory]
    [InlineData(null, null, true)]
    [InlineData("order", null, true)]
    [InlineData(null, "open", true)]
    [InlineData("order", "open", true)]
    [InlineData("contact", "open", false)]
    [InlineData("order", "closed", false)]
    [InlineData("contact", "closed", false)]
    public void The_key_filter_and_the_conditions_must_both_pass(string? schema, string? status, bool passes)
    {
        var outcome = new EventFilter(new Herald.Server.Transforms.JsonataCondition(new Herald.Server.Expressions.JsonataRuntime(new Herald.Server.Expressions.TransformOptions()))).Decide(Config(schema, status), Input);

        Assert.Equal(passes, outcome.SkipReason is null);
        Assert.Null(outcome.Error);
    }

    [Fact]
    public void A_jsonata_condition_that_cannot_be_evaluated_fails_the_event_instead_of_skipping_it()
    {
        var config = new WebhookConfig
        {
            FilterConditions = new WebhookConditionGroup { Conditions = [new WebhookCondition { JsonataExpression = "$error('no verdict')" }] },
        };

        var outcome = new EventFilter(new Herald.Server.Transforms.JsonataCondition(new Herald.Server.Expressions.JsonataRuntime(new Herald.Server.Expressions.TransformOptions()))).Decide(config, Input);

        Assert.Contains("no verdict", outcome.Error);
        Assert.Null(outcome.SkipReason);
    }
}
