using System.Text.Json.Nodes;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Catalog;

/// <summary>
/// Event Catalog events meet each config at its pinned <c>eventVersion</c>: backfilled by the first delivery, and
/// reached by the envelope's own <c>_downgrades</c> steps when the config is pinned to an older version.
/// </summary>
public class CatalogVersionScenarios : ReceiverScenario
{
    // Version 2.1 of an order event. 2.0 called the customer "buyer" and had no delivery window; 1.0 had only the
    // customer's name. The 1.0 step reads "buyer", so it only works on the output of the 2.0 step: listed out of
    // order here, they must still run newest first.
    private const string OrderV21 = """
        {
          "_org_id": "org-a",
          "_event_id": "0195f3a2-7d2e-7c9f-8a1b-2c3d4e5f6a71",
          "_event_name": "OrderSubmission",
          "_event_version": "2.1",
          "_automation_chain": ["a-1"],
          "_downgrades": [
            { "to": "1.0", "jsonata": "$ ~> |$|{'customer_name': buyer.first_name & ' ' & buyer.last_name}, ['buyer']|" },
            { "to": "2.0", "jsonata": "$ ~> |$|{'buyer': customer}, ['customer', 'delivery_window']|" }
          ],
          "order": { "number": "O-1001", "total": 99.5 },
          "customer": { "first_name": "Ada", "last_name": "Lovelace" },
          "delivery_window": { "from": "2026-12-01" }
        }
        """;



    [Fact]
    public async Task A_config_pinned_to_1_0_gets_a_2_1_event_through_2_0_newest_step_first()
    {
        var configId = await CatalogConfigAsync("1.0");

        var outcome = await Client.TriggerAsync(configId, OrderV21, sync: true);

        Assert.Equal("succeeded", outcome["status"]!.GetValue<string>());
        var body = (JsonObject)JsonNode.Parse((await Receiver.WaitForAsync(1))[0].Text)!;
        Assert.Equal("1.0", body["_event_version"]!.GetValue<string>());
        Assert.Equal("Ada Lovelace", body["customer_name"]!.GetValue<string>());
        Assert.Equal("O-1001", body["order"]!["number"]!.GetValue<string>());
        foreach (var gone in new[] { "buyer", "customer", "delivery_window", "_downgrades", "_automation_chain" })
        {
            Assert.False(body.ContainsKey(gone), $"{gone} should not reach a 1.0 receiver: {body.ToJsonString()}");
        }
        var config = await ConfigAsync(configId);
        Assert.Equal("1.0", config["eventVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_config_pinned_to_2_0_gets_one_step_and_one_pinned_to_2_1_gets_the_event_as_sent()
    {
        var at20 = await CatalogConfigAsync("2.0");
        var at21 = await CatalogConfigAsync("2.1");

        await Client.TriggerAsync(at20, OrderV21, sync: true);
        await Client.TriggerAsync(at21, OrderV21, sync: true);

        var received = await Receiver.WaitForAsync(2);
        var v20 = JsonNode.Parse(received[0].Text)!;
        Assert.Equal("2.0", v20["_event_version"]!.GetValue<string>());
        Assert.Equal("Ada", v20["buyer"]!["first_name"]!.GetValue<string>());
        Assert.Null(v20["customer"]);
        Assert.Null(v20["delivery_window"]);
        var v21 = JsonNode.Parse(received[1].Text)!;
        Assert.Equal("2.1", v21["_event_version"]!.GetValue<string>());
        Assert.Equal("Ada", v21["customer"]!["first_name"]!.GetValue<string>());
        Assert.Equal("2026-12-01", v21["delivery_window"]!["from"]!.GetValue<string>());
        Assert.Null(v21["_downgrades"]);
    }

    [Fact]
    public async Task The_first_delivery_pins_an_unpinned_config_and_later_newer_events_are_downgraded_to_it()
    {
        var configId = await CatalogConfigAsync(null);
        Assert.Null((await ConfigAsync(configId))["eventVersion"]);

        await Client.TriggerAsync(configId, OrderV21, sync: true);

        Assert.Equal("2.1", (await ConfigAsync(configId))["eventVersion"]!.GetValue<string>());
        var v30 = JsonNode.Parse(OrderV21)!.AsObject();
        v30["_event_version"] = "3.0";
        v30["_downgrades"] = JsonNode.Parse("""[{ "to": "2.1", "jsonata": "$ ~> |$|{'channel': 'legacy'}|" }]""");
        await Client.TriggerAsync(configId, v30.ToJsonString(), sync: true);

        var received = await Receiver.WaitForAsync(2);
        Assert.Equal("2.1", JsonNode.Parse(received[0].Text)!["_event_version"]!.GetValue<string>());
        var second = JsonNode.Parse(received[1].Text)!;
        Assert.Equal("2.1", second["_event_version"]!.GetValue<string>());
        Assert.Equal("legacy", second["channel"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("1.5", "No _downgrades step leads from version 2.0 towards 1.5")]
    [InlineData("3.0", "older than the config's eventVersion 3.0")]
    public async Task A_version_the_steps_cannot_reach_fails_the_event_without_a_request_or_a_retry(string pinned, string reason)
    {
        var configId = await CatalogConfigAsync(pinned);

        var outcome = await Client.TriggerAsync(configId, OrderV21, sync: true);

        Assert.Equal("failed", outcome["status"]!.GetValue<string>());
        Assert.Equal("EVENT_VERSION_UNREACHABLE", outcome["code"]!.GetValue<string>());
        Assert.Contains(reason, outcome["message"]!.GetValue<string>());
        // Failed is final: a retryable failure would leave the event in progress, waiting for its next attempt.
        var recorded = await Client.EventAsync(configId, outcome["event_id"]!.GetValue<string>());
        Assert.Equal("failed", recorded["status"]!.GetValue<string>());
        Assert.Equal("EVENT_VERSION_UNREACHABLE", recorded["http_response"]!["code"]!.GetValue<string>());
        Assert.Empty(Receiver.Received);
    }

    [Fact]
    public async Task A_step_that_throws_fails_the_event_with_the_engines_error()
    {
        var configId = await CatalogConfigAsync("2.0");
        var broken = JsonNode.Parse(OrderV21)!.AsObject();
        broken["_downgrades"] = JsonNode.Parse("""[{ "to": "2.0", "jsonata": "$number('not a number') + order.total" }]""");

        var outcome = await Client.TriggerAsync(configId, broken.ToJsonString(), sync: true);

        Assert.Equal("EVENT_DOWNGRADE_FAILED", outcome["code"]!.GetValue<string>());
        Assert.Contains("The _downgrades step to 2.0 failed: D3030", outcome["message"]!.GetValue<string>());
        Assert.Empty(Receiver.Received);
    }

    [Fact]
    public async Task Events_outside_the_catalog_are_never_versioned()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url);

        await Client.TriggerAsync(configId, """{"metadata":{},"_event_version":"2.1","_downgrades":[],"entity":{"_id":"e-1"}}""", sync: true);

        var body = JsonNode.Parse((await Receiver.WaitForAsync(1))[0].Text)!;
        Assert.NotNull(body["_downgrades"]);
        Assert.Null((await ConfigAsync(configId))["eventVersion"]);
    }

    private async Task<string> CatalogConfigAsync(string? eventVersion)
    {
        var pin = eventVersion is null ? "" : $$""","eventVersion":"{{eventVersion}}" """;
        var response = await Client.PostJsonAsync("/v1/webhooks/configs",
            $$"""{"name":"Orders","eventName":"event_OrderSubmission","url":"{{Receiver.Url}}"{{pin}}}""");
        response.EnsureSuccessStatusCode();
        return (await response.ReadAsync())["id"]!.GetValue<string>();
    }

    private async Task<JsonNode> ConfigAsync(string configId) =>
        await (await Client.GetAsync($"/v1/webhooks/configs/{configId}", Ct)).ReadAsync();
}

/// <summary>The same scenarios with Herald on PostgreSQL.</summary>
public sealed class PostgresCatalogVersionScenarios(PostgresServer server) : CatalogVersionScenarios
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => server.StorageAsync();
}
