using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Events;

/// <summary>
/// Each attempt keeps the request it sent (the attempts endpoint's <c>request</c>, a Herald extension): the signature
/// headers exactly as the receiver got them, every credential redacted, on the engine the subclass picks.
/// </summary>
public abstract class AttemptRequestScenarios : ReceiverScenario
{
    private async Task<JsonArray> AttemptsAsync(string configId, string eventId) =>
        (await (await Client.GetAsync($"/v1/webhooks/configs/{configId}/events/{eventId}/attempts", Ct)).ReadAsync())["data"]!.AsArray();

    [Fact]
    public async Task An_events_attempts_are_read_a_page_at_a_time_oldest_first()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url);
        var eventId = (await Client.TriggerAsync(configId, sync: true))["event_id"]!.GetValue<string>();
        // Four replays, each sent before the next is queued: five tries in all.
        for (var replays = 1; replays <= 4; replays++)
        {
            Assert.Equal(HttpStatusCode.NoContent, (await Client.PostAsync($"/v1/webhooks/configs/{configId}/events/{eventId}/replay", null, Ct)).StatusCode);
            await Receiver.WaitForAsync(replays + 1);
            await Eventually.ReturnsAsync(async () => (await AttemptsAsync(configId, eventId)).Count, count => count == replays + 1, $"replay {replays}'s attempt to be recorded");
        }

        var pages = new List<JsonNode>();
        string? cursor = null;
        do
        {
            var page = await (await Client.GetAsync($"/v1/webhooks/configs/{configId}/events/{eventId}/attempts?limit=2{(cursor is null ? "" : "&cursor=" + cursor)}", Ct)).ReadAsync();
            pages.Add(page);
            cursor = page["next_cursor"]?.GetValue<string>();
            Assert.Equal(cursor is not null, page["has_more"]!.GetValue<bool>());
        }
        while (cursor is not null);

        Assert.Equal([2, 2, 1], pages.Select(p => p["data"]!.AsArray().Count));
        var tries = pages.SelectMany(p => p["data"]!.AsArray()).ToList();
        Assert.Equal(["deliver", "replay", "replay", "replay", "replay"], tries.Select(t => t!["kind"]!.GetValue<string>()));
        Assert.Equal(tries.Select(t => t!["started_at"]!.GetValue<string>()).Order(StringComparer.Ordinal), tries.Select(t => t!["started_at"]!.GetValue<string>()));
        // Without a limit one page holds them all; a limit or cursor that is not one is a 400 naming it.
        var whole = await (await Client.GetAsync($"/v1/webhooks/configs/{configId}/events/{eventId}/attempts", Ct)).ReadAsync();
        Assert.Equal(5, whole["data"]!.AsArray().Count);
        Assert.False(whole["has_more"]!.GetValue<bool>());
        Assert.Null(whole["next_cursor"]);
        foreach (var (query, named) in new[] { ("limit=0", "limit must be an integer from 1 to 100"), ("limit=101", "limit must be an integer from 1 to 100"), ("cursor=abc", "cursor must be") })
        {
            var refused = await Client.GetAsync($"/v1/webhooks/configs/{configId}/events/{eventId}/attempts?{query}", Ct);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains(named, (await refused.ReadAsync())["message"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task An_attempt_shows_the_signature_headers_the_receiver_got_and_no_credential()
    {
        await Client.SetVariableAsync("partner.token", "t0ken-S3cr3t", secret: true);
        await Client.SetVariableAsync("hook.path", "path-S3cr3t", secret: true);
        await Client.SetVariableAsync("tenant", "acme");
        var (configId, _) = await Client.CreateConfigAsync(new Uri(Receiver.Url, "hooks/{{ env.hook.path }}"), """
            "payloadConfiguration":{"custom_headers":{"X-Tenant":"{{ env.tenant }}","X-Partner-Token":"Bearer {{ env.partner.token }}","X-Static":"plain"}},
            "auth":{"authType":"API_KEY","apiKeyConfig":{"keyName":"X-Api-Key","keyValue":"literal-api-key-S3cr3t"}}
            """);

        var outcome = await Client.TriggerAsync(configId, sync: true);

        var eventId = outcome["event_id"]!.GetValue<string>();
        var received = Assert.Single(Receiver.Received);
        Assert.Equal("literal-api-key-S3cr3t", received.Header("x-api-key"));
        Assert.Equal("Bearer t0ken-S3cr3t", received.Header("x-partner-token"));
        var attempts = await AttemptsAsync(configId, eventId);
        var request = Assert.Single(attempts)!["request"]!;
        Assert.Equal("POST", request["method"]!.GetValue<string>());
        Assert.Equal(new Uri(Receiver.Url, "hooks/***").ToString(), request["url"]!.GetValue<string>());
        var headers = request["headers"]!.AsObject();
        Assert.Equal(["webhook-id", "webhook-timestamp", "webhook-signature"], headers.Select(h => h.Key).Take(3));
        foreach (var name in (string[])["webhook-id", "webhook-timestamp", "webhook-signature", "user-agent", "content-type", "content-length"])
        {
            Assert.Equal(received.Header(name), headers[name]!.GetValue<string>());
        }
        Assert.Equal(WebhookSteps.MessageIdOf(eventId), headers["webhook-id"]!.GetValue<string>());
        Assert.Equal("[redacted]", headers["x-api-key"]!.GetValue<string>());
        Assert.Equal("[redacted]", headers["x-partner-token"]!.GetValue<string>());
        Assert.Equal("acme", headers["x-tenant"]!.GetValue<string>());
        Assert.Equal("plain", headers["x-static"]!.GetValue<string>());
        Assert.Null(request["omitted_headers"]);
        Assert.DoesNotContain("s3cr3t", attempts.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Basic_auth_keeps_its_scheme_and_loses_its_credentials_on_every_attempt()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, """
            "auth":{"authType":"BASIC","basicAuthConfig":{"username":"erp","password":"pa55-S3cr3t"}},
            "retryPolicy":{"enabled":true,"maxAttempts":3}
            """);
        Receiver.Enqueue(new Answer.Status(503, """{"error":"busy"}"""));

        var eventId = (await Client.TriggerAsync(configId))["event_id"]!.GetValue<string>();
        await Eventually.ReturnsAsync(() => AttemptsAsync(configId, eventId), a => a.Count == 1, "the first try's record");
        // The retry is due about 5 s later on the fake clock: a second at a time, so that a worker's poll sees it.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while ((await Client.EventAsync(configId, eventId))["status"]!.GetValue<string>() != "succeeded")
        {
            Assert.True(DateTime.UtcNow < deadline, "the retry did not succeed in time");
            App.Clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(50, Ct);
        }

        Assert.All(Receiver.Received, r => Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("erp:pa55-S3cr3t")), r.Header("authorization")));
        var attempts = await AttemptsAsync(configId, eventId);
        Assert.Equal(2, attempts.Count);
        for (var i = 0; i < 2; i++)
        {
            var headers = attempts[i]!["request"]!["headers"]!;
            Assert.Equal("Basic [redacted]", headers["authorization"]!.GetValue<string>());
            // Each try is signed afresh: its record holds its own signature, as its receiver got it.
            Assert.Equal(Receiver.Received.ElementAt(i).Header("webhook-signature"), headers["webhook-signature"]!.GetValue<string>());
        }
        Assert.DoesNotContain("S3cr3t", attempts.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes("erp:pa55-S3cr3t")), attempts.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_attempt_that_sent_nothing_has_no_request()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, """
            "payloadConfiguration":{"custom_headers":{"X-Tenant":"{{ env.missing }}"}}
            """);

        var outcome = await Client.TriggerAsync(configId, sync: true);

        Assert.Equal("ENV_VARIABLE_NOT_FOUND", outcome["code"]!.GetValue<string>());
        var attempt = Assert.Single(await AttemptsAsync(configId, outcome["event_id"]!.GetValue<string>()))!.AsObject();
        Assert.False(attempt.ContainsKey("request"));
    }
}

public sealed class SqliteAttemptRequestScenarios : AttemptRequestScenarios;

public sealed class PostgresAttemptRequestScenarios(PostgresServer server) : AttemptRequestScenarios
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => server.StorageAsync();
}

/// <summary>The record of a request is capped by <c>Delivery:MaxRequestHeaderBytes</c>, the signature headers first.</summary>
public sealed class AttemptRequestCapScenarios : ReceiverScenario
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Delivery:MaxRequestHeaderBytes"] = "400" };

    [Fact]
    public async Task Headers_past_the_cap_are_left_out_and_counted_and_the_signature_headers_are_kept()
    {
        var big = new string('b', 300);
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, $$$"""
            "payloadConfiguration":{"custom_headers":{"X-Big":"{{{big}}}"}}
            """);

        var outcome = await Client.TriggerAsync(configId, sync: true);

        var received = Assert.Single(Receiver.Received);
        Assert.Equal(big, received.Header("x-big"));
        var page = await (await Client.GetAsync($"/v1/webhooks/configs/{configId}/events/{outcome["event_id"]!.GetValue<string>()}/attempts", Ct)).ReadAsync();
        var request = Assert.Single(page["data"]!.AsArray())!["request"]!;
        var headers = request["headers"]!.AsObject();
        Assert.Equal(["webhook-id", "webhook-timestamp", "webhook-signature", "user-agent"], headers.Select(h => h.Key));
        Assert.Equal(received.Header("webhook-signature"), headers["webhook-signature"]!.GetValue<string>());
        // X-Big, then content-type and content-length after it.
        Assert.Equal(3, request["omitted_headers"]!.GetValue<int>());
    }
}
