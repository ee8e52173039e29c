using System.Net;
using System.Text.Json.Nodes;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Intake;

/// <summary><c>POST /v1/webhooks/events</c> delivers one event to every subscribed config of the caller's organization.</summary>
public sealed class FanOutScenarios : ReceiverScenario
{
    private async Task<string> ConfigAsync(HttpClient client, string eventName, string path, string extra = "")
    {
        var response = await client.PostJsonAsync("/v1/webhooks/configs",
            $$"""{"name":"{{path}}","eventName":"{{eventName}}","url":"{{new Uri(Receiver.Url, path)}}"{{extra}}}""");
        response.EnsureSuccessStatusCode();
        App.Clock.Advance(TimeSpan.FromSeconds(1));
        return (await response.ReadAsync())["id"]!.GetValue<string>();
    }

    [Fact]
    public async Task An_event_reaches_every_subscribed_config_and_one_that_filters_it_out_is_skipped()
    {
        var first = await ConfigAsync(Client, "order_created", "/first");
        var second = await ConfigAsync(Client, "order_created", "/second", ""","filter":{"keyToFilter":"entity.type","supportedValues":["order"]}""");
        var filtered = await ConfigAsync(Client, "order_created", "/filtered",
            ""","filterConditions":{"conditions":[{"field":"entity.amount","operation":"greater_than","values":["1000"],"field_type":"number"}]}""");
        await ConfigAsync(Client, "contact_created", "/other-event");
        await ConfigAsync(Client, "order_created", "/disabled", ""","enabled":false""");
        await ConfigAsync(App.Client(HeraldApp.TokenB), "order_created", "/other-org");

        var response = await Client.PostJsonAsync("/v1/webhooks/events",
            """{"eventName":"order_created","payload":{"metadata":{"action":"Created"},"entity":{"type":"order","amount":12.5}}}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var eventIds = (await response.ReadAsync())["event_ids"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
        Assert.Equal(3, eventIds.Count);
        var received = await Receiver.WaitForAsync(2);
        Assert.Equal(["/first", "/second"], received.Select(r => r.Path).Order());
        var events = new[] { first, second, filtered }.Zip(eventIds).ToList();
        foreach (var (configId, eventId) in events)
        {
            Assert.Equal(configId, (await Client.EventAsync(configId, eventId))["webhook_config_id"]!.GetValue<string>());
        }
        await Client.EventWithStatusAsync(first, eventIds[0], "succeeded");
        await Client.EventWithStatusAsync(second, eventIds[1], "succeeded");
        var skipped = await Client.EventWithStatusAsync(filtered, eventIds[2], "skipped");
        Assert.Contains("filterConditions", skipped["http_response"]!["message"]!.GetValue<string>());

        var metadata = received.Select(r => JsonNode.Parse(r.Text)!["metadata"]!).ToList();
        Assert.Equal(new[] { first, second }.Order(), metadata.Select(m => m["webhook_id"]!.GetValue<string>()).Order());
        Assert.Single(metadata.Select(m => m["correlation_id"]!.GetValue<string>()).Distinct());
        Assert.All(metadata, m => Assert.Equal("Created", m["action"]!.GetValue<string>()));
        Assert.All(metadata, m => Assert.Equal(HeraldApp.OrgA, m["organization_id"]!.GetValue<string>()));
        await Task.Delay(200, Ct);
        Assert.Equal(2, Receiver.Received.Count);
    }

    [Fact]
    public async Task An_event_nobody_subscribes_to_creates_nothing()
    {
        await ConfigAsync(Client, "order_created", "/first");

        var response = await Client.PostJsonAsync("/v1/webhooks/events", """{"eventName":"nobody_listens","payload":{}}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("""{"event_ids":[]}""", await response.Content.ReadAsStringAsync(Ct));
    }

    [Theory]
    [InlineData("", "Request body is required")]
    [InlineData("""{"eventName":""", "Malformed JSON")]
    [InlineData("""[]""", "must be a JSON object")]
    [InlineData("""{"payload":{}}""", "eventName is required")]
    [InlineData("""{"eventName":"order_created","payload":7}""", "payload must be an object")]
    [InlineData("""{"eventName":"order_created","payload":{"metadata":[]}}""", "payload.metadata must be an object")]
    [InlineData("""{"eventName":"order_created","payload":{"metadata":{"organization_id":"org-b"}}}""", "payload.metadata.organization_id must be the caller's organization")]
    public async Task A_bad_body_is_a_400_and_creates_no_event(string body, string expected)
    {
        await ConfigAsync(Client, "order_created", "/first");

        var response = await Client.PostJsonAsync("/v1/webhooks/events", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.MessageAsync());
        await Task.Delay(200, Ct);
        Assert.Empty(Receiver.Received);
    }

    [Fact]
    public async Task Fan_out_needs_an_authenticated_organization()
    {
        var response = await App.Client(token: null).PostJsonAsync("/v1/webhooks/events", """{"eventName":"order_created","payload":{}}""");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
