using Herald.Server.Configs;
using Herald.Server.Delivery;

namespace Herald.Server.Tests.Delivery;

/// <summary>When the pipeline may hand the stored input on as the body without parsing it.</summary>
public sealed class PassThroughTests
{
    private static WebhookConfig Plain() => new() { Id = "cfg", EventName = "order_created", Url = "https://receiver.example/hook" };

    [Fact]
    public void A_plain_config_and_event_pass_through()
    {
        Assert.True(DeliveryPipeline.PassesThrough("order_created", Plain()));
        Assert.True(DeliveryPipeline.PassesThrough("order_created", new WebhookConfig { JsonataExpression = "  ", Filter = new Filter { KeyToFilter = "" } }));
    }

    public static TheoryData<string, string> EveryStepThatChangesTheBody => new()
    {
        { "event_order_created", "an Event Catalog event (version pinning, internal keys)" },
        { "order_created", "payloadConfiguration" },
        { "order_created", "filter" },
        { "order_created", "filterConditions" },
        { "order_created", "jsonataExpression" },
    };

    [Theory]
    [MemberData(nameof(EveryStepThatChangesTheBody))]
    public void A_step_that_may_change_or_skip_the_body_stops_the_pass_through(string eventName, string step)
    {
        var config = Plain();
        switch (step)
        {
            case "payloadConfiguration":
                config.PayloadConfiguration = new PayloadConfiguration { IncludeActivity = false };
                break;
            case "filter":
                config.Filter = new Filter { KeyToFilter = "entity.status", SupportedValues = ["open"] };
                break;
            case "filterConditions":
                config.FilterConditions = new WebhookConditionGroup { Conditions = [], LogicalOperator = "AND" };
                break;
            case "jsonataExpression":
                config.JsonataExpression = "entity";
                break;
        }

        Assert.False(DeliveryPipeline.PassesThrough(eventName, config), step);
    }
}
