using System.Text.Json.Nodes;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Filters;

/// <summary><c>filterConditions</c> through the real pipeline: events that do not match end <c>skipped</c> and send nothing.</summary>
public class ConditionScenarios : ReceiverScenario
{
    private async Task<string> StatusOfAsync(string configId, string payload)
    {
        var outcome = await Client.TriggerAsync(configId, payload, sync: true);
        return (await Client.EventAsync(configId, outcome["event_id"]!.GetValue<string>()))["status"]!.GetValue<string>();
    }

    [Fact]
    public async Task Conditions_joined_with_and_let_through_only_events_that_meet_all_of_them()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, """
            "filterConditions":{"conditions":[
              {"field":"entity.status","operation":"any_of","values":["open","pending"]},
              {"field":"entity.amount","operation":"greater_than_or_equals","values":["100"],"field_type":"number"},
              {"field":"entity.closed_at","operation":"is_empty"}]}
            """);

        Assert.Equal("succeeded", await StatusOfAsync(configId, """{"entity":{"status":"open","amount":"150"}}"""));
        Assert.Equal("skipped", await StatusOfAsync(configId, """{"entity":{"status":"open","amount":99.5}}"""));
        Assert.Equal("skipped", await StatusOfAsync(configId, """{"entity":{"status":"won","amount":150}}"""));
        Assert.Equal("skipped", await StatusOfAsync(configId, """{"entity":{"status":"open","amount":150,"closed_at":"2026-01-01"}}"""));

        await Task.Delay(200, Ct);
        Assert.Single(Receiver.Received);
        Assert.Equal("150", JsonNode.Parse(Receiver.Received[0].Text)!["entity"]!["amount"]!.GetValue<string>());
    }

    [Fact]
    public async Task Conditions_joined_with_or_need_one_match_and_the_skip_reason_is_recorded()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, """
            "filterConditions":{"logical_operator":"OR","conditions":[
              {"field":"entity.tags","operation":"contains","values":["vip"],"is_array_field":true},
              {"field":"entity.created","operation":"less_than","values":["2026-01-01"],"field_type":"date"}]}
            """);

        Assert.Equal("succeeded", await StatusOfAsync(configId, """{"entity":{"tags":["b2b","vip"]}}"""));
        Assert.Equal("succeeded", await StatusOfAsync(configId, """{"entity":{"tags":[],"created":"2025-12-31T23:59:59Z"}}"""));
        var skipped = await Client.TriggerAsync(configId, """{"entity":{"tags":["b2b"],"created":"2026-01-01T00:00:00Z"}}""", sync: true);

        var recorded = await Client.EventAsync(configId, skipped["event_id"]!.GetValue<string>());
        Assert.Equal("skipped", recorded["status"]!.GetValue<string>());
        Assert.Equal("filterConditions: none of the 2 conditions matched", recorded["http_response"]!["message"]!.GetValue<string>());
        Assert.Equal(2, (await Receiver.WaitForAsync(2)).Count);
    }

    [Fact]
    public async Task The_key_filter_and_the_conditions_must_both_pass()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, """
            "filter":{"keyToFilter":"entity._schema","supportedValues":["order"]},
            "filterConditions":{"conditions":[{"field":"entity.paid","operation":"equals","values":["true"],"field_type":"boolean"}]}
            """);

        Assert.Equal("succeeded", await StatusOfAsync(configId, """{"entity":{"_schema":"order","paid":true}}"""));
        Assert.Equal("skipped", await StatusOfAsync(configId, """{"entity":{"_schema":"contact","paid":true}}"""));
        Assert.Equal("skipped", await StatusOfAsync(configId, """{"entity":{"_schema":"order","paid":"false"}}"""));

        await Task.Delay(200, Ct);
        Assert.Single(Receiver.Received);
    }

    [Fact]
    public async Task A_per_item_condition_tests_every_line_item()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, """
            "filterConditions":{"conditions":[
              {"field":"entity.line_items.price","operation":"greater_than","values":["1000"],"field_type":"number","repeatable_item_op":true}]}
            """);

        Assert.Equal("succeeded", await StatusOfAsync(configId, """{"entity":{"line_items":[{"price":10},{"price":1500}]}}"""));
        Assert.Equal("skipped", await StatusOfAsync(configId, """{"entity":{"line_items":[{"price":10},{"price":999}]}}"""));
        Assert.Equal("skipped", await StatusOfAsync(configId, """{"entity":{}}"""));
    }

    [Fact]
    public async Task A_jsonata_condition_decides_by_truthiness_and_an_error_fails_the_event()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, """
            "filterConditions":{"conditions":[{"jsonata_expression":"entity.amount > 100 ? 'big' : ''"}]}
            """);
        var (failing, _) = await Client.CreateConfigAsync(Receiver.Url, """
            "filterConditions":{"conditions":[{"jsonata_expression":"$error('cannot decide')"}]}
            """);

        Assert.Equal("succeeded", await StatusOfAsync(configId, """{"entity":{"amount":150}}"""));
        Assert.Equal("skipped", await StatusOfAsync(configId, """{"entity":{"amount":50}}"""));
        var outcome = await Client.TriggerAsync(failing, """{"entity":{"amount":150}}""", sync: true);

        Assert.Equal("failed", outcome["status"]!.GetValue<string>());
        Assert.Equal("INTERNAL_ERROR", outcome["code"]!.GetValue<string>());
        Assert.Contains("cannot decide", outcome["message"]!.GetValue<string>());
        Assert.Null(outcome["status_code"]);
        await Task.Delay(200, Ct);
        Assert.Single(Receiver.Received);
    }
}

/// <summary>The same scenarios with Herald on PostgreSQL.</summary>
public sealed class PostgresConditionScenarios(PostgresServer server) : ConditionScenarios
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => server.StorageAsync();
}
