using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Catalog;

public sealed class ConfiguredEventsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_default_catalog_has_the_classic_and_event_catalog_events()
    {
        using var app = new HeraldApp();

        var events = (await (await app.Client().GetAsync("/v1/webhooks/configured-events", Ct)).ReadAsync()).AsArray();

        var names = events.Select(e => e!["eventName"]!.GetValue<string>()).ToList();
        Assert.Contains("automation_trigger", names);
        Assert.Contains("event_FileCreated", names);
        Assert.Contains("event_MeterReadingAdded", names);
        Assert.Contains("event_CustomerRequestSubmitted", names);
        Assert.Contains("event_OrderSubmission", names);
        var automation = events.Single(e => e!["eventName"]!.GetValue<string>() == "automation_trigger");
        Assert.Equal("Automation Trigger Webhook", automation!["eventLabel"]!.GetValue<string>());
    }

    [Fact]
    public async Task Herald_s_own_notice_of_a_disabled_config_can_be_subscribed_to_and_has_an_example()
    {
        using var app = new HeraldApp();
        var client = app.Client();

        var events = (await (await client.GetAsync("/v1/webhooks/configured-events", Ct)).ReadAsync()).AsArray();
        var notice = events.Single(e => e!["eventName"]!.GetValue<string>() == "herald.config.disabled");
        Assert.Equal("Webhook Config Disabled (Herald)", notice!["eventLabel"]!.GetValue<string>());

        var created = await (await client.PostJsonAsync("/v1/webhooks/configs", """{"name":"Ops","eventName":"herald.config.disabled","url":"https://ops.example/hook"}""")).ReadAsync();
        var example = await (await client.PostJsonAsync($"/v1/webhooks/configs/{created["id"]!.GetValue<string>()}/example", "{}")).ReadAsync();
        Assert.Equal("ERP order export", example["entity"]?["name"]?.GetValue<string>());
        Assert.NotNull(example["reason"]);
    }

    [Fact]
    public async Task Operators_add_their_own_events_beside_the_defaults()
    {
        using var app = new HeraldApp(new Dictionary<string, string?>
        {
            ["Catalog:Events:invoice_paid:Label"] = "Invoice Paid",
            ["Catalog:Events:invoice_paid:Example"] = """{"metadata":{},"entity":{"amount":12.5}}""",
            ["Catalog:Events:unlabelled_event:Example"] = "{}",
        });

        var events = (await (await app.Client().GetAsync("/v1/webhooks/configured-events", Ct)).ReadAsync()).AsArray();

        Assert.Contains(events, e => e!["eventName"]!.GetValue<string>() == "invoice_paid" && e["eventLabel"]!.GetValue<string>() == "Invoice Paid");
        Assert.Contains(events, e => e!["eventName"]!.GetValue<string>() == "unlabelled_event" && e["eventLabel"]!.GetValue<string>() == "unlabelled_event");
        Assert.Contains(events, e => e!["eventName"]!.GetValue<string>() == "automation_trigger");
    }
}
