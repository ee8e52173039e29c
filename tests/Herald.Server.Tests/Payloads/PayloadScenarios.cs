using System.Text.Json.Nodes;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Payloads;

/// <summary>
/// <c>payloadConfiguration</c> through the real pipeline: what the receiver gets for each option, with hydration
/// against a stub Entity API on a real socket.
/// </summary>
public sealed class PayloadScenarios : IAsyncLifetime
{
    private const string Trigger = """
        {"entity":{"_schema":"contract","_id":"c-1","status":"draft"},
         "relations":[{"_id":"sent-relation"}],"activity":{"type":"EntityUpdated"},"changed_attributes":{"status":"draft"}}
        """;

    private const string Stored = """
        {"entity":{"_schema":"contract","_id":"c-1","status":"active","iban":"DE89",
                   "_changesets":{"iban":{"proposed_value":"DE02","previous_value":"DE89"}}},
         "relations":[{"_id":"stored-relation"}]}
        """;

    private Receiver _receiver = null!;
    private Receiver _entityApi = null!;

    public async ValueTask InitializeAsync()
    {
        _receiver = await Receiver.StartAsync();
        _entityApi = await Receiver.StartAsync();
        _entityApi.Default = new Answer.Status(200, Stored);
    }

    public async ValueTask DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _entityApi.DisposeAsync();
    }

    private HeraldApp App(bool withEntityApi) => new(new Dictionary<string, string?>
    {
        ["Delivery:AllowPrivateNetworks"] = "true",
        ["Entities:BaseUrl"] = withEntityApi ? _entityApi.Url.ToString() : null,
        ["Entities:OrgTokens:" + HeraldApp.OrgA] = "entity-token-a",
    });

    private async Task<(JsonNode Sent, JsonNode Recorded)> DeliverAsync(HttpClient client, string payloadConfiguration, string? extra = null)
    {
        var (configId, _) = await client.CreateConfigAsync(_receiver.Url, $"\"payloadConfiguration\":{payloadConfiguration}" + (extra is null ? "" : "," + extra));
        var outcome = await client.TriggerAsync(configId, Trigger, sync: true);
        Assert.Equal("succeeded", outcome["status"]!.GetValue<string>());
        var recorded = await client.EventAsync(configId, outcome["event_id"]!.GetValue<string>());
        return (JsonNode.Parse(_receiver.Received[^1].Text)!, recorded);
    }

    [Theory]
    [InlineData("{}", "entity,relations,activity,changed_attributes")]
    [InlineData("""{"include_relations":true,"include_activity":true,"include_changed_attributes":true}""", "entity,relations,activity,changed_attributes")]
    [InlineData("""{"include_relations":false}""", "entity,activity,changed_attributes")]
    [InlineData("""{"include_activity":false}""", "entity,relations,changed_attributes")]
    [InlineData("""{"include_changed_attributes":false}""", "entity,relations,activity")]
    [InlineData("""{"include_relations":false,"include_activity":false,"include_changed_attributes":false}""", "entity")]
    public async Task The_include_flags_keep_or_drop_their_part_of_the_payload(string payloadConfiguration, string parts)
    {
        using var app = App(withEntityApi: false);

        var (sent, recorded) = await DeliverAsync(app.Client(), payloadConfiguration);

        Assert.Equal(parts.Split(',').Append("metadata").Order(), sent.AsObject().Select(p => p.Key).Order());
        Assert.Null(recorded["http_response"]!["hydration"]);
    }

    [Fact]
    public async Task Without_an_entity_source_hydration_is_skipped_and_recorded_and_the_entity_goes_as_sent()
    {
        using var app = App(withEntityApi: false);

        var (sent, recorded) = await DeliverAsync(app.Client(), """{"hydrate_entity":true,"include_relations":true}""");

        Assert.Equal("draft", sent["entity"]!["status"]!.GetValue<string>());
        Assert.Equal("sent-relation", sent["relations"]![0]!["_id"]!.GetValue<string>());
        Assert.Equal("skipped", recorded["http_response"]!["hydration"]!.GetValue<string>());
    }

    [Fact]
    public async Task Hydration_replaces_the_entity_and_with_include_relations_its_relations_before_the_filters_run()
    {
        using var app = App(withEntityApi: true);

        var (sent, recorded) = await DeliverAsync(app.Client(), """{"hydrate_entity":true,"include_relations":true}""",
            """ "filterConditions":{"conditions":[{"field":"entity.status","operation":"equals","values":["active"]}]} """);

        var request = _entityApi.Received.Single();
        Assert.Equal("/v1/entity/contract/c-1?hydrate=true", request.Path);
        Assert.Equal("Bearer entity-token-a", request.Header("authorization"));
        Assert.Equal("active", sent["entity"]!["status"]!.GetValue<string>());
        Assert.Equal("DE89", sent["entity"]!["iban"]!.GetValue<string>());
        Assert.Equal("stored-relation", sent["relations"]![0]!["_id"]!.GetValue<string>());
        Assert.Equal("EntityUpdated", sent["activity"]!["type"]!.GetValue<string>());
        Assert.Equal("hydrated", recorded["http_response"]!["hydration"]!.GetValue<string>());
    }

    [Fact]
    public async Task Hydration_without_include_relations_keeps_the_relations_that_were_sent_and_false_drops_them()
    {
        using var app = App(withEntityApi: true);
        var client = app.Client();

        var (kept, _) = await DeliverAsync(client, """{"hydrate_entity":true}""");
        var (dropped, _) = await DeliverAsync(client, """{"hydrate_entity":true,"include_relations":false}""");

        Assert.Equal("active", kept["entity"]!["status"]!.GetValue<string>());
        Assert.Equal("sent-relation", kept["relations"]![0]!["_id"]!.GetValue<string>());
        Assert.Null(dropped["relations"]);
        Assert.Equal("active", dropped["entity"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Changesets_are_applied_to_the_hydrated_entity()
    {
        using var app = App(withEntityApi: true);

        var (sent, _) = await DeliverAsync(app.Client(), """{"hydrate_entity":true,"apply_changesets":true}""");

        Assert.Equal("DE02", sent["entity"]!["iban"]!.GetValue<string>());
        Assert.Equal("DE02", sent["entity"]!["_changesets"]!["iban"]!["proposed_value"]!.GetValue<string>());
    }

    [Fact]
    public async Task Changesets_are_applied_to_the_entity_as_sent_without_hydration()
    {
        using var app = App(withEntityApi: true);
        var client = app.Client();
        var (configId, _) = await client.CreateConfigAsync(_receiver.Url, """ "payloadConfiguration":{"apply_changesets":true} """);

        await client.TriggerAsync(configId, """{"entity":{"email":"old@example.com","_changesets":{"email":{"proposed_value":"new@example.com"}}}}""", sync: true);

        var sent = JsonNode.Parse((await _receiver.WaitForAsync(1))[0].Text)!;
        Assert.Equal("new@example.com", sent["entity"]!["email"]!.GetValue<string>());
        Assert.Empty(_entityApi.Received);
    }

    [Fact]
    public async Task An_entity_the_source_does_not_know_goes_as_sent()
    {
        _entityApi.Default = new Answer.Status(404, """{"message":"Entity not found"}""");
        using var app = App(withEntityApi: true);

        var (sent, recorded) = await DeliverAsync(app.Client(), """{"hydrate_entity":true}""");

        Assert.Equal("draft", sent["entity"]!["status"]!.GetValue<string>());
        Assert.Equal("not_found", recorded["http_response"]!["hydration"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_failing_entity_source_fails_the_attempt_and_the_retry_hydrates_again()
    {
        _entityApi.Enqueue(new Answer.Status(503, "{}"));
        using var app = App(withEntityApi: true);
        var client = app.Client();
        var (configId, _) = await client.CreateConfigAsync(_receiver.Url, """ "payloadConfiguration":{"hydrate_entity":true} """);

        var first = await client.TriggerAsync(configId, Trigger, sync: true);

        Assert.Equal("failed", first["status"]!.GetValue<string>());
        Assert.Equal("INTERNAL_ERROR", first["code"]!.GetValue<string>());
        Assert.Equal("Entity hydration failed: the Entity API answered 503", first["message"]!.GetValue<string>());
        var eventId = first["event_id"]!.GetValue<string>();
        Assert.Equal("in_progress", (await client.EventAsync(configId, eventId))["status"]!.GetValue<string>());
        Assert.Empty(_receiver.Received);

        app.Clock.Advance(TimeSpan.FromSeconds(6));

        var recorded = await client.EventWithStatusAsync(configId, eventId, "succeeded");
        Assert.Equal("active", JsonNode.Parse((await _receiver.WaitForAsync(1))[0].Text)!["entity"]!["status"]!.GetValue<string>());
        Assert.Equal("hydrated", recorded["http_response"]!["hydration"]!.GetValue<string>());
        Assert.Equal(2, _entityApi.Received.Count);
    }

    [Fact]
    public async Task A_retry_reuses_the_body_built_first_and_keeps_its_hydration_note()
    {
        _receiver.Enqueue(new Answer.Status(500, "{}"));
        using var app = App(withEntityApi: true);
        var client = app.Client();
        var (configId, _) = await client.CreateConfigAsync(_receiver.Url, """ "payloadConfiguration":{"hydrate_entity":true} """);
        var first = await client.TriggerAsync(configId, Trigger, sync: true);
        var eventId = first["event_id"]!.GetValue<string>();
        _entityApi.Default = new Answer.Status(200, """{"entity":{"_schema":"contract","_id":"c-1","status":"changed meanwhile"}}""");

        app.Clock.Advance(TimeSpan.FromSeconds(6));

        var recorded = await client.EventWithStatusAsync(configId, eventId, "succeeded");
        var received = await _receiver.WaitForAsync(2);
        Assert.Equal(received[0].Text, received[1].Text);
        Assert.Single(_entityApi.Received);
        Assert.Equal("hydrated", recorded["http_response"]!["hydration"]!.GetValue<string>());
    }
}
