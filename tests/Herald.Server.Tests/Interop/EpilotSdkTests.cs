using System.Text.Json.Nodes;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Interop;

/// <summary>
/// The published epilot webhooks client (<c>@epilot/sdk/webhooks</c>, see <see cref="EpilotSdk.Version"/>),
/// unchanged except for its base URL, against a running Herald. Each test runs one scenario of
/// <c>Interop/js/epilot-webhooks.mjs</c> and asserts on the steps it reports.
/// </summary>
public class EpilotSdkTests
{
    private const string Script = "epilot-webhooks.mjs";

    [Fact]
    public async Task The_epilot_client_manages_configs_against_Herald()
    {
        using var app = new HeraldApp();
        var summary = await RunScenarioAsync(app, "configs");

        var create = Step(summary, "create", 201);
        var configId = create.Text("id");
        Assert.False(string.IsNullOrEmpty(configId), Describe(create, "no id in the created config"));
        Assert.Equal("Interop config", create.Text("name"));
        Assert.Equal("customer_request_created", create.Text("eventName"));
        Assert.False(string.IsNullOrEmpty(create.Text("signingSecret")), Describe(create, "no signingSecret on create"));
        var otherId = Step(summary, "createOther", 201).Text("id");

        var get = Step(summary, "get", 200);
        Assert.Equal(configId, get.Text("id"));
        Assert.Equal("Interop config", get.Text("name"));
        AssertNoSigningSecret(get, get.Data);

        var list = Step(summary, "list", 200);
        Assert.EndsWith("/v1/webhooks/configs?eventName=customer_request_created", list.Url);
        var listed = Assert.IsType<JsonArray>(list.Data);
        Assert.Contains(configId, listed.Select(c => c?["id"]?.GetValue<string>()));
        Assert.DoesNotContain(otherId, listed.Select(c => c?["id"]?.GetValue<string>()));
        Assert.All(listed, c => Assert.Equal("customer_request_created", c?["eventName"]?.GetValue<string>()));
        Assert.All(listed, c => AssertNoSigningSecret(list, c));

        var update = Step(summary, "update", 200);
        Assert.Equal(configId, update.Text("id"));
        Assert.Equal("Interop config renamed", update.Text("name"));
        AssertNoSigningSecret(update, update.Data);
        Assert.Equal("Interop config renamed", Step(summary, "getAfterUpdate", 200).Text("name"));

        var delete = Step(summary, "delete", 204);
        Assert.Equal("DELETE", delete.Method);
        Step(summary, "getAfterDelete", 404);

        var events = Assert.IsType<JsonArray>(Step(summary, "configuredEvents", 200).Data);
        Assert.NotEmpty(events);
        Assert.All(events, e =>
        {
            Assert.False(string.IsNullOrEmpty(e?["eventName"]?.GetValue<string>()));
            Assert.False(string.IsNullOrEmpty(e?["eventLabel"]?.GetValue<string>()));
        });
        Assert.Contains("customer_request_created", events.Select(e => e?["eventName"]?.GetValue<string>()));

        var publicKey = Step(summary, "publicKey", 200);
        Assert.EndsWith($"/v1/webhooks/.well-known/public-key?orgId={HeraldApp.OrgA}", publicKey.Url);
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", publicKey.Text("public_key"));
        Assert.Contains("-----END PUBLIC KEY-----", publicKey.Text("public_key"));
        Assert.Equal("ed25519", publicKey.Text("algorithm"));

        // Every call went to Herald: the base URL is the only thing changed on the client.
        Assert.All(summary.Steps, s => Assert.StartsWith(app.BaseAddress.ToString().TrimEnd('/') + "/v1/webhooks/", s.Url));
    }

    [Fact]
    public async Task The_epilot_client_triggers_webhooks_and_reads_events()
    {
        await using var receiver = await Receiver.StartAsync();
        using var app = new HeraldApp(new Dictionary<string, string?> { ["Delivery:AllowPrivateNetworks"] = "true" });
        var summary = await RunScenarioAsync(app, "delivery", new Dictionary<string, string> { ["HERALD_RECEIVER_URL"] = receiver.Url.ToString() });

        Step(summary, "create", 201);
        var sync = Step(summary, "triggerSync", 200);
        Assert.Contains("sync=true", sync.Url);
        Assert.Equal("succeeded", sync.Text("status"));
        Assert.Equal("200", sync.Text("status_code"));
        var async = Step(summary, "triggerAsync", 200);
        Assert.False(string.IsNullOrEmpty(async.Text("event_id")), Describe(async, "no event_id"));
        var read = Step(summary, "getEvent", 200);
        Assert.Equal(sync.Text("event_id"), read.Text("event_id"));
        Assert.Equal("succeeded", read.Text("status"));
        Assert.Contains("entity-1", read.Text("payload"));
        Step(summary, "getUnknownEvent", 404);
        var received = await receiver.WaitForAsync(2);
        Assert.All(received, r => Assert.Contains("\"Interop\"", r.Text));
    }

    [Fact]
    public async Task The_epilot_client_tests_an_oauth_config_against_a_token_endpoint()
    {
        await using var tokenEndpoint = await Receiver.StartAsync();
        tokenEndpoint.Default = new Answer.Status(200, """{"access_token":"interop-token","token_type":"Bearer","expires_in":3600}""");
        using var app = new HeraldApp(new Dictionary<string, string?> { ["Delivery:AllowPrivateNetworks"] = "true" });
        var tokenUrl = new Uri(tokenEndpoint.Url, "/oauth/token").ToString();
        var summary = await RunScenarioAsync(app, "oauth", new Dictionary<string, string> { ["HERALD_TOKEN_URL"] = tokenUrl });

        Step(summary, "create", 201);
        var tested = Step(summary, "testOAuth", 200);
        Assert.EndsWith("/test-oauth", tested.Url);
        Assert.Equal("POST", tested.Method);
        Assert.True(tested.Data?["success"]?.GetValue<bool>(), Describe(tested, "success is not true"));
        Assert.Equal(3600, tested.Data?["expires_in"]?.GetValue<double>());
        Assert.Equal("Bearer", tested.Text("token_type"));
        Assert.False(string.IsNullOrEmpty(tested.Text("message")), Describe(tested, "no message"));
        Assert.DoesNotContain("interop-token", tested.Raw.ToJsonString());
        Step(summary, "createPlain", 201);
        var refused = Step(summary, "testOAuthWithoutOAuth", 400);
        Assert.Contains("does not use OAUTH_CLIENT_CREDENTIALS", refused.Text("message"));

        var exchange = Assert.Single(tokenEndpoint.Received);
        Assert.Equal("/oauth/token", exchange.Path);
        Assert.Equal("grant_type=client_credentials&client_id=interop-client&client_secret=interop-secret&scope=webhooks", exchange.Text);
    }

    [Fact]
    public async Task The_epilot_client_lists_replays_and_previews_events()
    {
        await using var receiver = await Receiver.StartAsync();
        using var app = new HeraldApp(new Dictionary<string, string?> { ["Delivery:AllowPrivateNetworks"] = "true" });
        var summary = await RunScenarioAsync(app, "history", new Dictionary<string, string> { ["HERALD_RECEIVER_URL"] = receiver.Url.ToString() });

        var configId = Step(summary, "create", 201).Text("id");
        var ids = Enumerable.Range(0, 3).Select(i => Step(summary, $"trigger{i}", 200).Text("event_id") ?? "").ToList();

        // The script cannot move Herald's fake clock: the three events share a timestamp, so the event id orders them.
        var newestFirst = ids.OrderByDescending(id => id, StringComparer.Ordinal).ToList();
        var first = Step(summary, "listFirst", 200);
        Assert.Equal("POST", first.Method);
        Assert.EndsWith($"/v2/webhooks/configs/{configId}/events", first.Url);
        Assert.Equal(newestFirst.Take(2), EventIds(first));
        Assert.True(first.Data?["has_more"]?.GetValue<bool>(), Describe(first, "expected has_more"));
        var next = Step(summary, "listNext", 200);
        Assert.Equal(newestFirst.Skip(2), EventIds(next));
        Assert.True(next.Data?["next_cursor"] is null && next.Data?["has_more"]?.GetValue<bool>() == false, Describe(next, "expected the last page"));
        Assert.Equal([ids[1]], EventIds(Step(summary, "listFiltered", 200)));
        Step(summary, "listBadLimit", 400);
        var v1 = Step(summary, "listV1", 200);
        Assert.Contains("status=succeeded", v1.Url);
        Assert.Equal(newestFirst, EventIds(v1));
        Assert.Equal(ids[0], Step(summary, "getEvent", 200).Text("event_id"));

        var replay = Step(summary, "replay", 204);
        Assert.EndsWith($"/v1/webhooks/configs/{configId}/events/{ids[0]}/replay", replay.Url);
        Step(summary, "replayUnknown", 404);
        var batch = Step(summary, "replayBatch", 202);
        Assert.Equal([ids[2], ids[1]], batch.Data!["replayed_event_ids"]!.AsArray().Select(id => id!.GetValue<string>()));
        Step(summary, "replayBatchEmpty", 400);

        var example = Step(summary, "example", 200);
        Assert.Equal(configId, example.Data?["metadata"]?["webhook_id"]?.GetValue<string>());
        Assert.Equal("automation_123", example.Data?["metadata"]?["automation_id"]?.GetValue<string>());
        Assert.Equal("order", example.Data?["entity"]?["_schema"]?.GetValue<string>());
        Step(summary, "exampleUnknown", 404);

        // Three triggers, then the replays: the single replay of the first and the batch are separate jobs that may
        // reach the receiver in either order, but the batch keeps its own order.
        var received = (await receiver.WaitForAsync(6)).Select(r => r.Header("webhook-id")).ToList();
        string MessageId(string eventId) => "msg_" + Guid.Parse(eventId).ToString("N");
        Assert.Equal(ids.Select(MessageId), received.Take(3));
        var replays = received.Skip(3).ToList();
        Assert.Equal(new[] { ids[0], ids[1], ids[2] }.Select(MessageId).Order(StringComparer.Ordinal), replays.Order(StringComparer.Ordinal));
        Assert.True(replays.IndexOf(MessageId(ids[2])) < replays.IndexOf(MessageId(ids[1])), $"The batch was sent out of its order: {string.Join(", ", replays)}");
    }

    [Fact]
    public async Task The_epilot_client_reads_and_writes_back_a_rotated_config_and_reads_the_rotated_keys()
    {
        using var app = new HeraldApp();
        var client = app.Client();
        var (configId, _) = await client.CreateConfigAsync(new Uri("https://receiver.example.com/hooks"));
        var rotated = await (await client.PostAsync($"/v1/webhooks/configs/{configId}/rotate-secret", null, TestContext.Current.CancellationToken)).ReadAsync();
        await client.GetAsync($"/v1/webhooks/.well-known/public-key?orgId={HeraldApp.OrgA}", TestContext.Current.CancellationToken);
        (await client.PostAsync("/v1/webhooks/signing-keys/rotate", null, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();

        var summary = await RunScenarioAsync(app, "rotation", new Dictionary<string, string> { ["HERALD_CONFIG_ID"] = configId });

        var expires = rotated["previousSecretExpiresAt"]!.GetValue<string>();
        var get = Step(summary, "get", 200);
        Assert.Equal(expires, get.Data?["signingSecretRotation"]?["previousSecretExpiresAt"]?.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(get.Data?["signingSecretRotation"]?["rotatedAt"]?.GetValue<string>()), Describe(get, "no rotatedAt"));
        AssertNoSigningSecret(get, get.Data);
        var listed = Assert.IsType<JsonArray>(Step(summary, "list", 200).Data).Single(c => c?["id"]?.GetValue<string>() == configId);
        Assert.Equal(expires, listed?["signingSecretRotation"]?["previousSecretExpiresAt"]?.GetValue<string>());
        var update = Step(summary, "update", 200);
        Assert.Equal("Interop rotated config renamed", update.Text("name"));
        Assert.Equal(expires, update.Data?["signingSecretRotation"]?["previousSecretExpiresAt"]?.GetValue<string>());
        Assert.Equal("Interop rotated config renamed", Step(summary, "getAfterUpdate", 200).Text("name"));
        var publicKey = Step(summary, "publicKey", 200);
        var keys = Assert.IsType<JsonArray>(publicKey.Data?["keys"]);
        Assert.Equal(2, keys.Count);
        Assert.Equal(publicKey.Text("public_key"), keys[0]?["public_key"]?.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(keys[1]?["expires_at"]?.GetValue<string>()), Describe(publicKey, "the replaced key has no expires_at"));
    }

    [Fact]
    public async Task The_epilot_client_reads_and_updates_configs_carrying_Herald_s_health_fields()
    {
        using var app = new HeraldApp();
        var created = await (await app.Client().PostJsonAsync("/v1/webhooks/configs",
            """{"name":"Limited","eventName":"order_created","url":"https://receiver.example.com/hook","rateLimit":5}""")).ReadAsync();
        var configId = created["id"]!.GetValue<string>();
        // Staged as Herald leaves a config it disabled for failing.
        await app.ExecuteSqlAsync($"""
            UPDATE webhook_configs SET document = json_set(document, '$.enabled', json('false'), '$.status', 'inactive',
                '$.disabledReason', 'No delivery succeeded since 2026-02-24T12:00:00.000Z', '$.disabledAt', '2026-03-01T12:00:00.000Z')
            WHERE id = '{configId}'
            """);
        var summary = await RunScenarioAsync(app, "health", new Dictionary<string, string> { ["HERALD_CONFIG_ID"] = configId });

        var get = Step(summary, "get", 200);
        Assert.Equal("inactive", get.Text("status"));
        Assert.Equal("No delivery succeeded since 2026-02-24T12:00:00.000Z", get.Text("disabledReason"));
        Assert.Equal("2026-03-01T12:00:00.000Z", get.Text("disabledAt"));
        Assert.Equal(5, get.Data?["rateLimit"]?.GetValue<int>());
        var listed = Assert.IsType<JsonArray>(Step(summary, "list", 200).Data);
        Assert.Equal("2026-03-01T12:00:00.000Z", listed.Single(c => c?["id"]?.GetValue<string>() == configId)?["disabledAt"]?.GetValue<string>());

        var enabled = Step(summary, "enable", 200);
        Assert.Equal("active", enabled.Text("status"));
        Assert.Null(enabled.Text("disabledReason"));
        Assert.Null(enabled.Text("disabledAt"));
        Assert.Equal(5, enabled.Data?["rateLimit"]?.GetValue<int>());
        var after = Step(summary, "getAfterEnable", 200);
        Assert.True(after.Data?["enabled"]?.GetValue<bool>());
        Assert.Null(after.Text("disabledReason"));
    }

    private static string[] EventIds(ScenarioStep step) =>
        step.Data?["data"] is JsonArray data ? data.Select(e => e?["event_id"]?.GetValue<string>() ?? "").ToArray() : throw new InvalidOperationException(Describe(step, "no data array"));

    private static async Task<ScenarioSummary> RunScenarioAsync(HeraldApp app, string scenario, IReadOnlyDictionary<string, string>? environment = null)
    {
        var json = await EpilotSdk.RunAsync(
            Script, scenario, app.BaseAddress, HeraldApp.TokenA, HeraldApp.OrgA, TestContext.Current.CancellationToken, environment);
        TestContext.Current.TestOutputHelper?.WriteLine(json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        Assert.Equal(scenario, json["scenario"]?.GetValue<string>());
        var steps = json["steps"] as JsonObject ?? throw new InvalidOperationException("No steps in " + json.ToJsonString());
        return new ScenarioSummary(steps.Select(s => new ScenarioStep(s.Key, s.Value!.AsObject())).ToList());
    }

    /// <summary>The step named <paramref name="name"/>, after checking that Herald answered it with <paramref name="status"/>.</summary>
    private static ScenarioStep Step(ScenarioSummary summary, string name, int status)
    {
        var step = summary.Steps.SingleOrDefault(s => s.Name == name)
            ?? throw new InvalidOperationException($"The scenario reported no step '{name}'");
        Assert.True(step.Status == status, Describe(step, $"expected HTTP {status}"));
        return step;
    }

    private static void AssertNoSigningSecret(ScenarioStep step, JsonNode? config) =>
        Assert.True(config?["signingSecret"] is null, Describe(step, "signingSecret is shown only on create"));

    private static string Describe(ScenarioStep step, string problem) =>
        $"{step.Name} ({step.Operation}): {problem}; the client sent {step.Method} {step.Url} and got {step.Raw.ToJsonString()}";

    private sealed record ScenarioSummary(IReadOnlyList<ScenarioStep> Steps);

    /// <summary>One client call as the script reported it: what was sent and what came back.</summary>
    private sealed record ScenarioStep(string Name, JsonObject Raw)
    {
        public string? Operation => Raw["operation"]?.GetValue<string>();
        public string? Method => Raw["request"]?["method"]?.GetValue<string>();
        public string? Url => Raw["request"]?["url"]?.GetValue<string>();
        public int? Status => Raw["status"]?.GetValue<int>();
        public JsonNode? Data => Raw["data"];

        public string? Text(string property) => Data is JsonObject data ? data[property]?.GetValue<string>() : null;
    }
}
