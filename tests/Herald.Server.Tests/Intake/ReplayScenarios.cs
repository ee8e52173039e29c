using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Intake;

/// <summary>Replays through the real pipeline, checked by what the receivers get, on the engine the subclass picks.</summary>
public abstract class ReplayScenarios : IAsyncLifetime
{
    private HeraldApp? _app;
    private Receiver _receiver = null!;
    private Receiver _elsewhere = null!;
    private HttpClient _client = null!;

    /// <summary>The storage settings of the engine.</summary>
    protected abstract Task<Dictionary<string, string?>> StorageAsync();


    private HeraldApp App => _app ?? throw new InvalidOperationException("StartAsync first");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _receiver = await Receiver.StartAsync();
        _elsewhere = await Receiver.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _app?.Dispose();
        await _receiver.DisposeAsync();
        await _elsewhere.DisposeAsync();
    }

    /// <summary>Starts Herald in the test body, so that a missing PostgreSQL skips the test instead of failing it.</summary>
    private async Task StartAsync()
    {
        var settings = await StorageAsync();
        settings["Delivery:AllowPrivateNetworks"] = "true";
        _app = new HeraldApp(settings);
        _client = _app.Client();
    }

    private async Task<(string ConfigId, string Secret, string EventId, ReceivedRequest Delivered)> DeliveredEventAsync(string extra = "", string payload = """{"entity":{"kind":"b","amount":12.5}}""")
    {
        var (configId, secret) = await _client.CreateConfigAsync(_receiver.Url, extra);
        var before = _receiver.Received.Count;
        var outcome = await _client.TriggerAsync(configId, payload, sync: true);
        Assert.Equal("succeeded", outcome["status"]!.GetValue<string>());
        return (configId, secret, outcome["event_id"]!.GetValue<string>(), (await _receiver.WaitForAsync(before + 1))[before]);
    }

    private Task<HttpResponseMessage> ReplayAsync(string configId, string eventId, string? body = null, HttpClient? client = null) =>
        (client ?? _client).PostAsync($"/v1/webhooks/configs/{configId}/events/{eventId}/replay", body is null ? null : Json.Body(body), Ct);

    private Task<HttpResponseMessage> BatchAsync(string configId, string body, HttpClient? client = null) =>
        (client ?? _client).PostAsync($"/v1/webhooks/configs/{configId}/events/replay-batch", Json.Body(body), Ct);

    private async Task<JsonArray> AttemptsAsync(string configId, string eventId) =>
        (await (await _client.GetAsync($"/v1/webhooks/configs/{configId}/events/{eventId}/attempts", Ct)).ReadAsync())["data"]!.AsArray();

    private Task<JsonArray> AttemptCountAsync(string configId, string eventId, int count) =>
        Eventually.ReturnsAsync(() => AttemptsAsync(configId, eventId), a => a.Count >= count, $"{count} attempts of {eventId}");

    private static string MessageId(string eventId) => "msg_" + Guid.Parse(eventId).ToString("N");

    private static void AssertV1Verifies(ReceivedRequest request, string signingSecret)
    {
        var key = Convert.FromBase64String(signingSecret["whsec_".Length..]);
        var content = Encoding.UTF8.GetBytes($"{request.Header("webhook-id")}.{request.Header("webhook-timestamp")}.").Concat(request.Body).ToArray();
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, content));
        Assert.Contains(expected, request.Header("webhook-signature").Split(' '));
    }

    [Fact]
    public async Task A_replay_resends_the_delivered_payload_with_the_same_webhook_id_a_fresh_signature_and_the_configs_url_and_auth_as_they_are_now()
    {
        await StartAsync();
        var (configId, secret, eventId, delivered) = await DeliveredEventAsync(""" "auth":{"authType":"BASIC","basicAuthConfig":{"username":"erp","password":"first"}} """);
        var update = await _client.PutJsonAsync($"/v1/webhooks/configs/{configId}", $$$$"""
            {"name":"Receiver","eventName":"order_created","url":"{{{{_elsewhere.Url}}}}","auth":{"authType":"BASIC","basicAuthConfig":{"username":"erp","password":"second"}}}
            """);
        update.EnsureSuccessStatusCode();
        App.Clock.Advance(TimeSpan.FromSeconds(90));

        var response = await ReplayAsync(configId, eventId);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var replayed = (await _elsewhere.WaitForAsync(1))[0];
        Assert.Equal(delivered.Body, replayed.Body);
        Assert.Equal(MessageId(eventId), replayed.Header("webhook-id"));
        Assert.Equal(delivered.Header("webhook-id"), replayed.Header("webhook-id"));
        Assert.Equal(long.Parse(delivered.Header("webhook-timestamp")) + 90, long.Parse(replayed.Header("webhook-timestamp")));
        Assert.NotEqual(delivered.Header("webhook-signature"), replayed.Header("webhook-signature"));
        AssertV1Verifies(replayed, secret);
        Assert.Equal("Basic " + Convert.ToBase64String("erp:second"u8.ToArray()), replayed.Header("authorization"));
        Assert.Single(_receiver.Received);

        var attempts = await AttemptCountAsync(configId, eventId, 2);
        Assert.Equal(["deliver", "replay"], attempts.Select(a => a!["kind"]!.GetValue<string>()));
        var recorded = await _client.EventWithStatusAsync(configId, eventId, "succeeded");
        Assert.Equal(0, recorded["retry_attempt"]!.GetValue<int>());
        Assert.Equal("2026-03-01T12:01:30.000Z", recorded["end_date"]!.GetValue<string>());
    }

    [Fact]
    public async Task Reapplying_rebuilds_the_body_from_the_stored_input_while_a_verbatim_replay_sends_the_stored_payload()
    {
        await StartAsync();
        var (configId, _, eventId, delivered) = await DeliveredEventAsync();
        // As if the payload had been built by an earlier transform: only the input says what the config builds now.
        await App.ExecuteSqlAsync($"UPDATE webhook_events SET payload = '{{\"built\":\"earlier\"}}' WHERE event_id = '{eventId}'");

        (await ReplayAsync(configId, eventId, """{"reapply_transform":false}""")).EnsureSuccessStatusCode();
        var verbatim = (await _receiver.WaitForAsync(2))[1];
        await AttemptCountAsync(configId, eventId, 2);
        (await ReplayAsync(configId, eventId, """{"reapply_transform":true}""")).EnsureSuccessStatusCode();
        var rebuilt = (await _receiver.WaitForAsync(3))[2];

        Assert.Equal("""{"built":"earlier"}""", verbatim.Text);
        Assert.Equal(delivered.Text, rebuilt.Text);
        Assert.Equal(12.5, JsonNode.Parse(rebuilt.Text)!["entity"]!["amount"]!.GetValue<double>());
        await AttemptCountAsync(configId, eventId, 3);
        var recorded = await _client.EventAsync(configId, eventId);
        Assert.Equal(delivered.Text, recorded["payload"]!.GetValue<string>());
    }

    [Fact]
    public async Task Reapplying_runs_the_configs_current_jsonata_transform_on_the_original_input_and_a_verbatim_replay_keeps_the_old_body()
    {
        await StartAsync();
        var (configId, _, eventId, delivered) = await DeliveredEventAsync("""
            "jsonataExpression":"{ 'amount': entity.amount, 'version': 1 }"
            """);
        var update = await _client.PutJsonAsync($"/v1/webhooks/configs/{configId}", $$$"""
            {"name":"Receiver","eventName":"order_created","url":"{{{_receiver.Url}}}",
             "jsonataExpression":"{ 'cents': $round(entity.amount * 100), 'kind': $uppercase(entity.kind), 'version': 2 }"}
            """);
        update.EnsureSuccessStatusCode();

        (await ReplayAsync(configId, eventId, """{"reapply_transform":false}""")).EnsureSuccessStatusCode();
        var verbatim = (await _receiver.WaitForAsync(2))[1];
        await AttemptCountAsync(configId, eventId, 2);
        (await ReplayAsync(configId, eventId, """{"reapply_transform":true}""")).EnsureSuccessStatusCode();
        var rebuilt = (await _receiver.WaitForAsync(3))[2];

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"amount":12.5,"version":1}"""), JsonNode.Parse(delivered.Text)), delivered.Text);
        Assert.Equal(delivered.Text, verbatim.Text);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"cents":1250,"kind":"B","version":2}"""), JsonNode.Parse(rebuilt.Text)), rebuilt.Text);
        await AttemptCountAsync(configId, eventId, 3);
        var recorded = await _client.EventAsync(configId, eventId);
        Assert.Equal(rebuilt.Text, recorded["payload"]!.GetValue<string>());
        Assert.Equal("b", JsonNode.Parse(recorded["original_payload"]!.GetValue<string>())!["entity"]!["kind"]!.GetValue<string>());
        Assert.True(recorded["can_reapply_transform"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Reapplying_runs_the_configs_current_filter_again_and_a_verbatim_replay_does_not()
    {
        await StartAsync();
        var (configId, _, eventId, delivered) = await DeliveredEventAsync();
        var update = await _client.PutJsonAsync($"/v1/webhooks/configs/{configId}", $$$"""
            {"name":"Receiver","eventName":"order_created","url":"{{{_receiver.Url}}}","filter":{"keyToFilter":"entity.kind","supportedValues":["a"]}}
            """);
        update.EnsureSuccessStatusCode();

        (await ReplayAsync(configId, eventId)).EnsureSuccessStatusCode();
        Assert.Equal(delivered.Text, (await _receiver.WaitForAsync(2))[1].Text);
        await AttemptCountAsync(configId, eventId, 2);

        var batch = await BatchAsync(configId, $$"""{"eventIds":["{{eventId}}"],"reapply_transform":true}""");
        Assert.Equal(HttpStatusCode.Accepted, batch.StatusCode);
        Assert.Equal([eventId], (await batch.ReadAsync())["replayed_event_ids"]!.AsArray().Select(id => id!.GetValue<string>()));
        var skipped = await _client.EventWithStatusAsync(configId, eventId, "skipped");
        Assert.Contains("filter", skipped["http_response"]!["message"]!.GetValue<string>());
        await Task.Delay(200, Ct);
        Assert.Equal(2, _receiver.Received.Count);
    }

    [Fact]
    public async Task A_bodiless_replay_is_verbatim_whatever_content_type_the_client_names()
    {
        await StartAsync();
        var (configId, _, eventId, delivered) = await DeliveredEventAsync();

        var bare = await _client.PostAsync($"/v1/webhooks/configs/{configId}/events/{eventId}/replay", null, Ct);
        var formTyped = await _client.PostAsync($"/v1/webhooks/configs/{configId}/events/{eventId}/replay",
            new StringContent("", Encoding.UTF8, "application/x-www-form-urlencoded"), Ct);
        var notJson = await _client.PostAsync($"/v1/webhooks/configs/{configId}/events/{eventId}/replay",
            new StringContent("reapply_transform=true", Encoding.UTF8, "application/x-www-form-urlencoded"), Ct);

        Assert.Equal(HttpStatusCode.NoContent, bare.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, formTyped.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.All((await _receiver.WaitForAsync(3)).Skip(1), r => Assert.Equal(delivered.Text, r.Text));
    }

    [Fact]
    public async Task A_failed_replay_is_recorded_on_the_event_and_never_retried()
    {
        await StartAsync();
        var (configId, _, eventId, _) = await DeliveredEventAsync();
        _receiver.Enqueue(new Answer.Status(503, """{"error":"down"}"""));

        (await ReplayAsync(configId, eventId)).EnsureSuccessStatusCode();

        var failed = await _client.EventWithStatusAsync(configId, eventId, "failed");
        Assert.Equal(503, failed["http_response"]!["status_code"]!.GetValue<int>());
        Assert.Equal(0, failed["retry_attempt"]!.GetValue<int>());
        for (var i = 0; i < 30; i++)
        {
            App.Clock.Advance(TimeSpan.FromMinutes(15));
            await Task.Delay(20, Ct);
        }
        Assert.Equal(2, _receiver.Received.Count);
        var attempts = await AttemptsAsync(configId, eventId);
        Assert.Equal([("deliver", 200), ("replay", 503)], attempts.Select(a => (a!["kind"]!.GetValue<string>(), a["status_code"]!.GetValue<int>())));
        Assert.Equal("failed", (await _client.EventAsync(configId, eventId))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_event_without_the_input_or_payload_a_replay_needs_is_refused_with_422()
    {
        await StartAsync();
        var (configId, _) = await _client.CreateConfigAsync(_receiver.Url);
        var inputGone = (await _client.TriggerAsync(configId, sync: true))["event_id"]!.GetValue<string>();
        var bothGone = (await _client.TriggerAsync(configId, sync: true))["event_id"]!.GetValue<string>();
        await App.ExecuteSqlAsync($"UPDATE webhook_events SET input = '' WHERE event_id IN ('{inputGone}', '{bothGone}')");
        await App.ExecuteSqlAsync($"UPDATE webhook_events SET payload = NULL WHERE event_id = '{bothGone}'");

        var reapply = await ReplayAsync(configId, inputGone, """{"reapply_transform":true}""");
        var verbatim = await ReplayAsync(configId, inputGone);
        var nothing = await ReplayAsync(configId, bothGone);
        var batch = await BatchAsync(configId, $$"""{"eventIds":["{{inputGone}}","{{bothGone}}"],"reapply_transform":true}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reapply.StatusCode);
        Assert.Contains("cannot be re-applied", await reapply.MessageAsync());
        Assert.Equal(HttpStatusCode.NoContent, verbatim.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, nothing.StatusCode);
        Assert.Contains("nothing can be resent", await nothing.MessageAsync());
        Assert.Equal(HttpStatusCode.Accepted, batch.StatusCode);
        Assert.Empty((await batch.ReadAsync())["replayed_event_ids"]!.AsArray());
        Assert.Equal(3, (await _receiver.WaitForAsync(3)).Count);
    }

    [Fact]
    public async Task Unknown_events_other_configs_events_and_other_organizations_events_are_404()
    {
        await StartAsync();
        var (configId, _, eventId, _) = await DeliveredEventAsync();
        var (otherConfig, _) = await _client.CreateConfigAsync(_receiver.Url);
        var stranger = App.Client(HeraldApp.TokenB);
        var (strangersConfig, _) = await stranger.CreateConfigAsync(_receiver.Url);

        HttpResponseMessage[] single =
        [
            await ReplayAsync(configId, "00000000-0000-7000-8000-000000000000"),
            await ReplayAsync(otherConfig, eventId),
            await ReplayAsync("no-such-config", eventId),
            await ReplayAsync(configId, eventId, client: stranger),
            await ReplayAsync(strangersConfig, eventId, client: stranger),
        ];
        var strangerBatch = await BatchAsync(configId, $$"""{"eventIds":["{{eventId}}"]}""", stranger);
        var strangersOwnBatch = await BatchAsync(strangersConfig, $$"""{"eventIds":["{{eventId}}"]}""", stranger);
        var unknownConfigBatch = await BatchAsync("no-such-config", $$"""{"eventIds":["{{eventId}}"]}""");
        var otherConfigBatch = await BatchAsync(otherConfig, $$"""{"eventIds":["{{eventId}}"]}""");

        Assert.All(single, r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.Equal(HttpStatusCode.NotFound, strangerBatch.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownConfigBatch.StatusCode);
        Assert.Empty((await strangersOwnBatch.ReadAsync())["replayed_event_ids"]!.AsArray());
        Assert.Empty((await otherConfigBatch.ReadAsync())["replayed_event_ids"]!.AsArray());
        await Task.Delay(200, Ct);
        Assert.Single(_receiver.Received);
    }

    [Fact]
    public async Task A_disabled_config_refuses_replays_with_422()
    {
        await StartAsync();
        var (configId, _, eventId, _) = await DeliveredEventAsync();
        var update = await _client.PutJsonAsync($"/v1/webhooks/configs/{configId}", $$"""
            {"name":"Receiver","eventName":"order_created","url":"{{_receiver.Url}}","enabled":false}
            """);
        update.EnsureSuccessStatusCode();

        var single = await ReplayAsync(configId, eventId);
        var batch = await BatchAsync(configId, $$"""{"eventIds":["{{eventId}}"]}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, single.StatusCode);
        Assert.Contains("is disabled", await single.MessageAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, batch.StatusCode);
    }

    [Theory]
    [InlineData("""{}""", "eventIds is required")]
    [InlineData("""{"eventIds":[]}""", "from 1 to 100")]
    [InlineData("""{"eventIds":[1]}""", "eventIds[0] must be a non-empty string")]
    [InlineData("""{"eventIds":["a"],"reapply_transform":"yes"}""", "reapply_transform must be a boolean")]
    public async Task A_malformed_batch_is_a_400(string body, string message)
    {
        await StartAsync();
        var (configId, _) = await _client.CreateConfigAsync(_receiver.Url);

        var response = await BatchAsync(configId, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.MessageAsync());
    }

    [Fact]
    public async Task A_batch_of_101_ids_is_a_400_and_one_of_100_is_accepted()
    {
        await StartAsync();
        var (configId, _, eventId, _) = await DeliveredEventAsync();
        var hundred = new JsonArray([eventId, .. Enumerable.Range(0, 99).Select(i => (JsonNode)$"unknown-{i}")]);

        var tooMany = await BatchAsync(configId, new JsonObject { ["eventIds"] = new JsonArray([.. hundred.Select(n => n!.DeepClone()), "one-more"]) }.ToJsonString());
        var accepted = await BatchAsync(configId, new JsonObject { ["eventIds"] = hundred }.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal([eventId], (await accepted.ReadAsync())["replayed_event_ids"]!.AsArray().Select(id => id!.GetValue<string>()));
    }

    [Fact]
    public async Task A_batch_is_sent_one_event_at_a_time_in_the_given_order()
    {
        await StartAsync();
        var (configId, _) = await _client.CreateConfigAsync(_receiver.Url);
        var ids = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            ids.Add((await _client.TriggerAsync(configId, $$$"""{"entity":{"n":{{{i}}}}}""", sync: true))["event_id"]!.GetValue<string>());
            App.Clock.Advance(TimeSpan.FromMilliseconds(1));
        }
        // Neither creation order nor its reverse; an unknown id in the middle is left out.
        string[] order = [ids[3], ids[0], ids[7], ids[5], "00000000-0000-7000-8000-000000000000", ids[1], ids[6], ids[2], ids[4]];
        // Each answer takes 150 ms: had the worker run them side by side (it may run 32 at once), they would overlap.
        _receiver.Default = new Answer.Slow(TimeSpan.FromMilliseconds(150));

        var response = await BatchAsync(configId, new JsonObject { ["eventIds"] = new JsonArray([.. order.Select(id => (JsonNode)id)]) }.ToJsonString());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var expected = order.Where(ids.Contains).ToList();
        Assert.Equal(expected, (await response.ReadAsync())["replayed_event_ids"]!.AsArray().Select(id => id!.GetValue<string>()));
        var replays = (await _receiver.WaitForAsync(16)).Skip(8).ToList();
        Assert.Equal(expected.Select(MessageId), replays.Select(r => r.Header("webhook-id")));
        for (var i = 1; i < replays.Count; i++)
        {
            var gap = replays[i].ArrivedAt - replays[i - 1].ArrivedAt;
            Assert.True(gap >= TimeSpan.FromMilliseconds(140), $"replay {i} arrived {gap.TotalMilliseconds} ms after the one before it, before that one was answered");
        }
    }
}

public sealed class SqliteReplayTests : ReplayScenarios
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => Task.FromResult(new Dictionary<string, string?>());
}

public sealed class PostgresReplayTests(PostgresServer server) : ReplayScenarios
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => server.StorageAsync();
}
