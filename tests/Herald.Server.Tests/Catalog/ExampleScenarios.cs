using System.Net;
using System.Text.Json.Nodes;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Catalog;

/// <summary>getWebhookExample: the catalog's example for the config's event, with this config's metadata, on the engine the subclass picks.</summary>
public abstract class ExampleScenarios : IDisposable
{
    private HeraldApp? _app;

    protected abstract Task<Dictionary<string, string?>> StorageAsync();

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected async Task<HeraldApp> AppAsync(Dictionary<string, string?>? extra = null)
    {
        var settings = await StorageAsync();
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }
        return _app = new HeraldApp(settings);
    }

    protected static async Task<string> ConfigAsync(HttpClient client, string eventName, string name = "ERP")
    {
        var response = await client.PostJsonAsync("/v1/webhooks/configs", $$"""{"name":"{{name}}","eventName":"{{eventName}}","url":"https://erp.example/hooks"}""");
        response.EnsureSuccessStatusCode();
        return (await response.ReadAsync())["id"]!.GetValue<string>();
    }

    private static async Task<string> PinnedConfigAsync(HttpClient client, string eventVersion)
    {
        var response = await client.PostJsonAsync("/v1/webhooks/configs",
            $$"""{"name":"Meters","eventName":"event_MeterReadingAdded","url":"https://erp.example/hooks","eventVersion":"{{eventVersion}}"}""");
        response.EnsureSuccessStatusCode();
        return (await response.ReadAsync())["id"]!.GetValue<string>();
    }

    protected static Task<HttpResponseMessage> ExampleAsync(HttpClient client, string configId, string? body = """{"automation_id":"automation_123"}""") =>
        client.PostAsync($"/v1/webhooks/configs/{configId}/example", body is null ? null : Json.Body(body), Ct);

    [Fact]
    public async Task The_example_is_the_catalog_payload_with_this_configs_metadata_and_the_automation_id()
    {
        var app = await AppAsync();
        var client = app.Client();
        var configId = await ConfigAsync(client, "order_created", "Orders to ERP");

        var response = await ExampleAsync(client, configId);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var example = (await response.ReadAsync()).AsObject();
        var metadata = example["metadata"]!;
        Assert.Equal(configId, metadata["webhook_id"]!.GetValue<string>());
        Assert.Equal("Orders to ERP", metadata["webhook_name"]!.GetValue<string>());
        Assert.Equal(HeraldApp.OrgA, metadata["organization_id"]!.GetValue<string>());
        Assert.Equal("automation_123", metadata["automation_id"]!.GetValue<string>());
        Assert.Equal("2026-03-01T12:00:00.000Z", metadata["creation_timestamp"]!.GetValue<string>());
        Assert.True(Guid.TryParse(metadata["correlation_id"]!.GetValue<string>(), out _));
        Assert.Equal("Order created", metadata["action"]!.GetValue<string>());
        Assert.Equal("order", example["entity"]!["_schema"]!.GetValue<string>());
        Assert.NotEmpty(example["relations"]!.AsArray());
        Assert.Equal("metadata", example.First().Key);

        // Beyond the contract: what the config would send. Without a transform, that is the example itself.
        var transformed = example["_herald_transformed"]!;
        example.Remove("_herald_transformed");
        Assert.True(JsonNode.DeepEquals(example, transformed));
    }

    [Fact]
    public async Task An_event_catalog_example_shows_that_herald_keeps_its_internal_keys_to_itself()
    {
        var client = (await AppAsync()).Client();
        var configId = await ConfigAsync(client, "event_MeterReadingAdded");

        var example = await (await ExampleAsync(client, configId, null)).ReadAsync();

        Assert.Equal("MeterReadingAdded", example["_event_name"]!.GetValue<string>());
        Assert.NotNull(example["_downgrades"]);
        Assert.Null(example["metadata"]!["automation_id"]);
        Assert.Null(example["_herald_transformed"]!["_downgrades"]);
        Assert.Equal(48213.4, example["_herald_transformed"]!["reading"]!["value"]!.GetValue<double>());
    }

    [Fact]
    public async Task A_config_pinned_to_an_older_version_sees_the_example_downgraded_and_an_unreachable_pin_says_why()
    {
        var client = (await AppAsync()).Client();
        var at10 = await PinnedConfigAsync(client, "1.0");
        var at05 = await PinnedConfigAsync(client, "0.5");

        var example = await (await ExampleAsync(client, at10, null)).ReadAsync();
        var unreachable = await (await ExampleAsync(client, at05, null)).ReadAsync();

        Assert.Equal("1.1", example["_event_version"]!.GetValue<string>());
        Assert.Equal("feed-in", example["reading"]!["direction"]!.GetValue<string>());
        var sent = example["_herald_transformed"]!;
        Assert.Equal("1.0", sent["_event_version"]!.GetValue<string>());
        Assert.Null(sent["reading"]!["direction"]);
        Assert.Equal(48213.4, sent["reading"]!["value"]!.GetValue<double>());
        Assert.Null(unreachable["_herald_transformed"]);
        Assert.Contains("No _downgrades step leads from version 1.0 towards 0.5", unreachable["_herald_transform_error"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_event_without_a_catalog_example_gets_an_empty_entity_and_an_operators_example_is_used()
    {
        var client = (await AppAsync(new Dictionary<string, string?>
        {
            ["Catalog:Events:invoice_paid:Label"] = "Invoice Paid",
            ["Catalog:Events:invoice_paid:Example"] = """{"entity":{"_schema":"invoice","amount":12.5}}""",
        })).Client();
        var bare = await ConfigAsync(client, "event_FileUpdated");
        var unknown = await ConfigAsync(client, "not_in_the_catalog");
        var operators = await ConfigAsync(client, "invoice_paid");

        var fromBare = await (await ExampleAsync(client, bare, "{}")).ReadAsync();
        var fromUnknown = await (await ExampleAsync(client, unknown, "")).ReadAsync();
        var fromOperator = await (await ExampleAsync(client, operators)).ReadAsync();
        var formTyped = await client.PostAsync($"/v1/webhooks/configs/{operators}/example", new StringContent("", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"), Ct);

        Assert.True(JsonNode.DeepEquals(new JsonObject(), fromBare["entity"]));
        Assert.Empty(fromBare["relations"]!.AsArray());
        Assert.Equal(bare, fromBare["metadata"]!["webhook_id"]!.GetValue<string>());
        Assert.Equal(unknown, fromUnknown["metadata"]!["webhook_id"]!.GetValue<string>());
        Assert.Equal(12.5, fromOperator["entity"]!["amount"]!.GetValue<double>());
        Assert.Equal("automation_123", fromOperator["metadata"]!["automation_id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, formTyped.StatusCode);
    }

    [Fact]
    public async Task Unknown_configs_and_other_organizations_configs_are_404_and_a_bad_automation_id_is_400()
    {
        var app = await AppAsync();
        var client = app.Client();
        var configId = await ConfigAsync(client, "order_created");

        var unknown = await ExampleAsync(client, "no-such-config");
        var stranger = await ExampleAsync(app.Client(HeraldApp.TokenB), configId);
        var badId = await ExampleAsync(client, configId, """{"automation_id":42}""");
        var notObject = await ExampleAsync(client, configId, "[]");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badId.StatusCode);
        Assert.Equal("automation_id must be a string", await badId.MessageAsync());
        Assert.Equal(HttpStatusCode.BadRequest, notObject.StatusCode);
    }

    public void Dispose()
    {
        _app?.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteExampleTests : ExampleScenarios
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => Task.FromResult(new Dictionary<string, string?>());

    [Fact]
    public async Task Every_shipped_example_file_loads_and_reads_as_its_event()
    {
        var client = (await AppAsync()).Client();
        var events = (await (await client.GetAsync("/v1/webhooks/configured-events", Ct)).ReadAsync()).AsArray().Select(e => e!["eventName"]!.GetValue<string>());
        var files = Directory.GetFiles(Path.Combine(Repository.Root, "src", "Herald.Server", "Catalog", "Examples"), "*.json").Select(Path.GetFileNameWithoutExtension).ToList();

        Assert.True(files.Count >= 6, "the default catalog ships example files");
        foreach (var eventName in files)
        {
            Assert.Contains(eventName, events);
            var example = await (await ExampleAsync(client, await ConfigAsync(client, eventName!))).ReadAsync();
            var identifies = eventName!.StartsWith("event_", StringComparison.Ordinal) ? example["_event_name"] : example["entity"]?["_schema"];
            Assert.True(identifies is not null, $"{eventName}: {example.ToJsonString()}");
        }
    }
}

public sealed class PostgresExampleTests(PostgresServer server) : ExampleScenarios
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => server.StorageAsync();
}
