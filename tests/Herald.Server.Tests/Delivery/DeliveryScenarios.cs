using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Herald.Server.Tests.Support;
using NSec.Cryptography;

namespace Herald.Server.Tests.Delivery;

/// <summary>Triggered events reach a receiver on a real socket, signed, and are recorded.</summary>
public class DeliveryScenarios : ReceiverScenario
{
    [Fact]
    public async Task No_trace_context_reaches_the_receiver_whatever_the_trigger_carried()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url);
        using var traced = new HttpRequestMessage(HttpMethod.Post, $"/v1/webhooks/configs/{configId}/trigger")
        {
            Content = new StringContent("""{"metadata":{},"entity":{"_id":"e-1"}}""", Encoding.UTF8, "application/json"),
        };
        traced.Headers.Add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        traced.Headers.Add("tracestate", "caller=1");
        traced.Headers.Add("baggage", "tenant=acme");

        (await Client.SendAsync(traced, Ct)).EnsureSuccessStatusCode();
        await Client.TriggerAsync(configId, sync: true);

        var requests = await Receiver.WaitForAsync(2);
        Assert.All(requests, request => Assert.DoesNotContain(request.Headers.Keys,
            name => name.Equals("traceparent", StringComparison.OrdinalIgnoreCase) || name.Equals("tracestate", StringComparison.OrdinalIgnoreCase)
                || name.Equals("baggage", StringComparison.OrdinalIgnoreCase) || name.Equals("request-id", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task Every_change_to_a_config_reaches_the_very_next_trigger()
    {
        await using var second = await Receiver.StartAsync();
        var (configId, _) = await Client.CreateConfigAsync(new Uri(Receiver.Url, "/hooks/first"));
        await Client.TriggerAsync(configId, sync: true);
        Assert.Equal("/hooks/first", (await Receiver.WaitForAsync(1))[0].Path);

        var moved = await Client.PutJsonAsync($"/v1/webhooks/configs/{configId}",
            $$"""{"name":"Receiver","eventName":"order_created","url":"{{new Uri(second.Url, "/hooks/second")}}"}""");
        moved.EnsureSuccessStatusCode();
        await Client.TriggerAsync(configId, sync: true);
        Assert.Equal("/hooks/second", (await second.WaitForAsync(1))[0].Path);
        Assert.Single(Receiver.Received);

        var disabled = await Client.PutJsonAsync($"/v1/webhooks/configs/{configId}",
            $$"""{"name":"Receiver","eventName":"order_created","url":"{{new Uri(second.Url, "/hooks/second")}}","enabled":false}""");
        disabled.EnsureSuccessStatusCode();
        var refused = await Client.PostJsonAsync($"/v1/webhooks/configs/{configId}/trigger", """{"metadata":{},"entity":{}}""");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/v1/webhooks/configs/{configId}", Ct)).StatusCode);
        var gone = await Client.PostJsonAsync($"/v1/webhooks/configs/{configId}/trigger", """{"metadata":{},"entity":{}}""");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task An_async_trigger_answers_with_the_event_id_and_the_receiver_gets_the_signed_payload()
    {
        var (configId, secret) = await Client.CreateConfigAsync(new Uri(Receiver.Url, "/hooks/orders"));

        var accepted = await Client.TriggerAsync(configId);

        var eventId = accepted["event_id"]!.GetValue<string>();
        Assert.True(Guid.TryParse(eventId, out var id) && id.Version == 7, "event ids are UUID v7");
        var request = (await Receiver.WaitForAsync(1))[0];
        Assert.Equal("POST", request.Method);
        Assert.Equal("/hooks/orders", request.Path);
        Assert.Equal("application/json", request.Header("content-type"));
        Assert.Equal(request.Body.Length.ToString(), request.Header("content-length"));
        Assert.False(request.Headers.ContainsKey("transfer-encoding"));
        Assert.StartsWith("Herald-Webhooks/", request.Header("user-agent"));
        Assert.Equal("msg_" + id.ToString("N"), request.Header("webhook-id"));
        Assert.Equal(App.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(), request.Header("webhook-timestamp"));
        Assert.Equal(12.5, JsonNode.Parse(request.Text)!["entity"]!["amount"]!.GetValue<double>());
        AssertV1Verifies(request, secret);
        await AssertV1aVerifiesAsync(request);

        var recorded = await Client.EventWithStatusAsync(configId, eventId, "succeeded");
        Assert.Equal(request.Text, recorded["payload"]!.GetValue<string>());
        Assert.Equal(200, recorded["http_response"]!["status_code"]!.GetValue<int>());
        Assert.Equal(0, recorded["retry_attempt"]!.GetValue<int>());
        Assert.Equal(configId, recorded["webhook_config_id"]!.GetValue<string>());
        Assert.Equal(HeraldApp.OrgA, recorded["org_id"]!.GetValue<string>());
        Assert.Equal("order_created", recorded["event_name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Herald_fills_the_payload_metadata_and_keeps_what_the_caller_gave()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url);

        await Client.TriggerAsync(configId, """{"metadata":{"correlation_id":"given-correlation","action":"Manual"},"entity":{"_id":"e-1"}}""");

        var metadata = JsonNode.Parse((await Receiver.WaitForAsync(1))[0].Text)!["metadata"]!;
        Assert.Equal(configId, metadata["webhook_id"]!.GetValue<string>());
        Assert.Equal("Receiver", metadata["webhook_name"]!.GetValue<string>());
        Assert.Equal(HeraldApp.OrgA, metadata["organization_id"]!.GetValue<string>());
        Assert.Equal("2026-03-01T12:00:00.000Z", metadata["creation_timestamp"]!.GetValue<string>());
        Assert.Equal("given-correlation", metadata["correlation_id"]!.GetValue<string>());
        Assert.Equal("Manual", metadata["action"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_payload_without_metadata_gets_a_fresh_correlation_id()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url);

        await Client.TriggerAsync(configId, """{"entity":{"_id":"e-1"}}""");

        var metadata = JsonNode.Parse((await Receiver.WaitForAsync(1))[0].Text)!["metadata"]!;
        Assert.True(Guid.TryParse(metadata["correlation_id"]!.GetValue<string>(), out _));
    }

    [Theory]
    [InlineData("""{"metadata":{"organization_id":"org-b"}}""", "metadata.organization_id must be the caller's organization")]
    [InlineData("""{"metadata":"nope"}""", "metadata must be an object")]
    [InlineData("""[1,2]""", "must be a JSON object")]
    [InlineData("""{"metadata":""", "Malformed JSON")]
    public async Task A_bad_trigger_payload_is_a_400_and_creates_no_event(string payload, string expected)
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url);

        var response = await Client.PostJsonAsync($"/v1/webhooks/configs/{configId}/trigger", payload);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.MessageAsync());
        await Task.Delay(200, Ct);
        Assert.Empty(Receiver.Received);
    }

    /// <summary>A query parameter the framework cannot read is a 400 naming it and what it takes, and no error in the node's log.</summary>
    [Fact]
    public async Task A_sync_flag_that_is_not_a_boolean_is_a_400_naming_the_parameter()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url);

        var response = await Client.PostJsonAsync($"/v1/webhooks/configs/{configId}/trigger?sync=maybe", """{"entity":{}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Query parameter 'sync' must be true or false (got \"maybe\")", await response.MessageAsync());
        Assert.Equal(0L, Backlogs.Count(await App.ScalarAsync("SELECT COUNT(*) FROM webhook_events")));
        Assert.DoesNotContain(App.Logs.Lines, line => line.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    /// <summary>A body of 100,000 nested objects (a little over 1 MiB) is read once more, token by token, only to name what is wrong with it.</summary>
    [Fact]
    public async Task A_trigger_nested_far_too_deep_is_a_400_naming_the_depth_limit()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url);
        var payload = """{"entity":""" + string.Concat(Enumerable.Repeat("""{"a":""", 100_000)) + "1" + new string('}', 100_001);

        var response = await Client.PostJsonAsync($"/v1/webhooks/configs/{configId}/trigger", payload);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Malformed JSON body: objects and arrays nest deeper than 64 levels (at byte 326)", await response.MessageAsync());
        Assert.Equal(0L, Backlogs.Count(await App.ScalarAsync("SELECT COUNT(*) FROM webhook_events")));
    }

    [Fact]
    public async Task Disabled_and_incomplete_configs_refuse_triggers_with_the_reason()
    {
        var (disabled, _) = await Client.CreateConfigAsync(Receiver.Url, "\"enabled\":false");
        var incomplete = (await (await Client.PostJsonAsync("/v1/webhooks/configs", """{"name":"n","eventName":"e"}""")).ReadAsync())["id"]!.GetValue<string>();

        var first = await Client.PostJsonAsync($"/v1/webhooks/configs/{disabled}/trigger", "{}");
        var second = await Client.PostJsonAsync($"/v1/webhooks/configs/{incomplete}/trigger", "{}");
        var unknown = await Client.PostJsonAsync("/v1/webhooks/configs/nope/trigger", "{}");

        Assert.Equal(HttpStatusCode.BadRequest, first.StatusCode);
        Assert.Contains("is disabled", await first.MessageAsync());
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Contains("is incomplete", await second.MessageAsync());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_sync_trigger_returns_the_outcome_of_the_first_attempt()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url);
        Receiver.Enqueue(new Answer.Status(201, """{"accepted":true}"""));

        var outcome = await Client.TriggerAsync(configId, sync: true);

        Assert.Equal("succeeded", outcome["status"]!.GetValue<string>());
        Assert.Equal("201", outcome["status_code"]!.GetValue<string>());
        Assert.True(outcome["body"]!["accepted"]!.GetValue<bool>());
        Assert.Equal("2026-03-01T12:00:00.000Z", outcome["start_date"]!.GetValue<string>());
        var recorded = await Client.EventAsync(configId, outcome["event_id"]!.GetValue<string>());
        Assert.Equal("succeeded", recorded["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Basic_and_api_key_auth_reach_the_receiver()
    {
        var (basic, _) = await Client.CreateConfigAsync(Receiver.Url, """ "auth":{"authType":"BASIC","basicAuthConfig":{"username":"erp","password":"pa:ss"}} """);
        var (apiKey, _) = await Client.CreateConfigAsync(Receiver.Url, """ "auth":{"authType":"API_KEY","apiKeyConfig":{"keyName":"X-Api-Key","keyValue":"k-123"}} """);

        await Client.TriggerAsync(basic, sync: true);
        await Client.TriggerAsync(apiKey, sync: true);

        var received = await Receiver.WaitForAsync(2);
        Assert.Equal("Basic " + Convert.ToBase64String("erp:pa:ss"u8.ToArray()), received[0].Header("authorization"));
        Assert.Equal("k-123", received[1].Header("x-api-key"));
    }

    [Fact]
    public async Task A_worker_whose_claim_fills_every_free_slot_goes_on_delivering()
    {
        // One slot: every claim that finds a job takes all the worker has.
        using var app = new HeraldApp(new Dictionary<string, string?> { ["Delivery:AllowPrivateNetworks"] = "true", ["Workers:Concurrency"] = "1" });
        var client = app.Client();
        var (configId, _) = await client.CreateConfigAsync(Receiver.Url);

        var accepted = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            accepted.Add((await client.TriggerAsync(configId))["event_id"]!.GetValue<string>());
        }

        var received = await Receiver.WaitForAsync(3);
        Assert.Equal(accepted.Select(id => "msg_" + Guid.Parse(id).ToString("N")).Order(), received.Select(r => r.Header("webhook-id")).Order());
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("DELETE")]
    public async Task Methods_without_a_body_send_none_and_sign_the_empty_body(string method)
    {
        var (configId, secret) = await Client.CreateConfigAsync(Receiver.Url, $"\"httpMethod\":\"{method}\"");

        var outcome = await Client.TriggerAsync(configId, sync: true);

        var request = (await Receiver.WaitForAsync(1))[0];
        Assert.Equal(method, request.Method);
        Assert.Empty(request.Body);
        AssertV1Verifies(request, secret);
        var recorded = await Client.EventAsync(configId, outcome["event_id"]!.GetValue<string>());
        Assert.Contains("\"entity\"", recorded["payload"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_event_the_filter_rejects_is_skipped_and_nothing_is_sent()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, """ "filter":{"keyToFilter":"entity.type","supportedValues":["order"]} """);

        var skipped = await Client.TriggerAsync(configId, """{"entity":{"type":"contact"}}""", sync: true);
        var sent = await Client.TriggerAsync(configId, """{"entity":{"type":"order"}}""", sync: true);

        var recorded = await Client.EventAsync(configId, skipped["event_id"]!.GetValue<string>());
        Assert.Equal("skipped", recorded["status"]!.GetValue<string>());
        Assert.Equal("succeeded", sent["status"]!.GetValue<string>());
        var received = await Receiver.WaitForAsync(1);
        await Task.Delay(200, Ct);
        Assert.Single(Receiver.Received);
        Assert.Contains("\"order\"", received[0].Text);
    }

    private static void AssertV1Verifies(ReceivedRequest request, string secret)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var content = Encoding.UTF8.GetBytes($"{request.Header("webhook-id")}.{request.Header("webhook-timestamp")}.").Concat(request.Body).ToArray();
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, content));
        Assert.Contains(expected, request.Header("webhook-signature").Split(' '));
    }

    private async Task AssertV1aVerifiesAsync(ReceivedRequest request)
    {
        var pem = (await (await Client.GetAsync($"/v1/webhooks/.well-known/public-key?orgId={HeraldApp.OrgA}", Ct)).ReadAsync())["public_key"]!.GetValue<string>();
        var publicKey = NSec.Cryptography.PublicKey.Import(SignatureAlgorithm.Ed25519, Encoding.ASCII.GetBytes(pem), KeyBlobFormat.PkixPublicKeyText);
        var content = Encoding.UTF8.GetBytes($"{request.Header("webhook-id")}.{request.Header("webhook-timestamp")}.").Concat(request.Body).ToArray();
        var entries = request.Header("webhook-signature").Split(' ').Where(e => e.StartsWith("v1a,", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(entries);
        Assert.Contains(entries, e => SignatureAlgorithm.Ed25519.Verify(publicKey, content, Convert.FromBase64String(e[4..])));
    }
}

/// <summary>The same scenarios with Herald on PostgreSQL.</summary>
public sealed class PostgresDeliveryScenarios(PostgresServer server) : DeliveryScenarios
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => server.StorageAsync();
}
