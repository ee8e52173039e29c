using System.Net;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Contract;

/// <summary>
/// Receivers (and a token endpoint) that answer what no well-behaved server would: JSON with half of a UTF-16
/// character escaped, nesting ten thousand deep, a number past any double, thousands of properties, a body at and past
/// the recording cap, a JSON content type on text, odd <c>Retry-After</c> values, odd status codes. Each event ends as
/// its status code says (retries off), with its attempt recorded and readable, and is sent once: no answer may turn
/// into an internal error that sends the event again.
/// </summary>
public class HostileReceiverScenarios : ReceiverScenario
{
    public static TheoryData<string, int, string, string, string?, string> Answers => new()
    {
        { "half of a character in a JSON string", 200, """{"a":"\ud800"}""", "application/json", null, "succeeded" },
        { "half of a character in a JSON property name", 200, """{"\udc00":1}""", "application/json", null, "succeeded" },
        { "half of a character, refused", 400, """{"error":"x\ud800y"}""", "application/json", null, "failed" },
        { "ten thousand nested arrays", 200, new string('[', 10_000) + new string(']', 10_000), "application/json", null, "succeeded" },
        { "a number past any double", 200, """{"n":1e400,"m":-1e400}""", "application/json", null, "succeeded" },
        { "5,000 properties", 200, "{" + string.Join(",", Enumerable.Range(0, 5_000).Select(i => $"\"p{i}\":{i}")) + "}", "application/json", null, "succeeded" },
        { "text under a JSON content type", 200, "not json at all", "application/json", null, "succeeded" },
        { "an empty body under a JSON content type", 200, "", "application/json", null, "succeeded" },
        { "a body of exactly the recording cap", 200, "{\"a\":\"" + new string('x', 64 * 1024 - 8) + "\"}", "application/json", null, "succeeded" },
        { "a body one byte past the recording cap", 200, "{\"a\":\"" + new string('x', 64 * 1024 - 7) + "\"}", "application/json", null, "succeeded" },
        { "Retry-After: -1", 503, "{}", "application/json", "-1", "failed" },
        { "Retry-After far off", 429, "{}", "application/json", "99999999999999999999", "failed" },
        { "Retry-After that is no date", 503, "{}", "application/json", "tomorrow, maybe", "failed" },
        { "status 299", 299, "{}", "application/json", null, "succeeded" },
        { "status 399", 399, "{}", "application/json", null, "failed" },
        { "status 418", 418, "{}", "application/json", null, "failed" },
        { "status 599", 599, "{}", "application/json", null, "failed" },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task The_event_ends_as_the_status_says_with_its_attempt_recorded_and_is_sent_once(
        string what, int code, string body, string contentType, string? retryAfter, string status)
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, "\"retryPolicy\":{\"enabled\":false}");
        var headers = retryAfter is null ? null : new Dictionary<string, string> { ["Retry-After"] = retryAfter };
        Receiver.Enqueue(new Answer.Status(code, body, contentType, headers));

        var eventId = (await Client.TriggerAsync(configId))["event_id"]!.GetValue<string>();

        var ended = await Client.EventWithStatusAsync(configId, eventId, status);
        Assert.True(code == ended["http_response"]!["status_code"]!.GetValue<int>(), what);
        var attempts = await Client.GetAsync($"/v1/webhooks/configs/{configId}/events/{eventId}/attempts", Ct);
        Assert.Equal(HttpStatusCode.OK, attempts.StatusCode);
        Assert.DoesNotContain("INTERNAL_ERROR", await attempts.Content.ReadAsStringAsync(Ct));
        Assert.Single(Receiver.Received);
    }

    /// <summary>
    /// A token endpoint whose answer holds half of a UTF-16 character in its <c>access_token</c>: no usable token, so the
    /// attempt fails as a token failure, and the receiver is never called.
    /// </summary>
    [Fact]
    public async Task A_token_that_is_half_a_character_fails_the_attempt_as_a_token_failure()
    {
        var tokenEndpoint = new Uri(Receiver.Url, "/token");
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, "\"retryPolicy\":{\"enabled\":false},"
            + $$$"""
              "auth":{"authType":"OAUTH_CLIENT_CREDENTIALS","oauthConfig":{"clientId":"c","clientSecret":"s","endpoint":"{{{tokenEndpoint}}}","httpMethod":"POST"}}
              """);
        Receiver.Enqueue(new Answer.Status(200, """{"access_token":"\ud800","token_type":"Bearer","expires_in":60}"""));

        var eventId = (await Client.TriggerAsync(configId))["event_id"]!.GetValue<string>();

        var ended = await Client.EventWithStatusAsync(configId, eventId, "failed");
        Assert.NotEqual("INTERNAL_ERROR", ended["http_response"]!["code"]?.GetValue<string>());
        Assert.All(Receiver.Received, r => Assert.Equal("/token", r.Path));
    }
}

/// <summary>The same answers with Herald on PostgreSQL.</summary>
public sealed class PostgresHostileReceiverScenarios(PostgresServer server) : HostileReceiverScenarios
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => server.StorageAsync();
}
