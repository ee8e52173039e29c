using System.Text.Json.Nodes;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Contract;

/// <summary>
/// Configs an organization may save whose odd values only show when an event is delivered: header values with
/// non-ASCII text or a line break, header names the request's framing owns, API keys named like framing headers or
/// holding URL syntax, credentials with colons and emoji, URLs with user info and escapes, transforms that answer a
/// string, a number, nothing, an array or a very long text, references to variables that do not exist, and payloads at
/// the edge of what a trigger takes. Each config is either refused when saved (a 400 with a message) or its event ends
/// (succeeded, failed or skipped) without an unexpected error and with at most one request, which never carries a
/// header the config smuggled in.
/// </summary>
public class HostileConfigScenarios : ReceiverScenario
{
    private const string Payload = """{"metadata":{},"entity":{"_id":"e-1","amount":12.5}}""";

    private static readonly (string What, string Extra, string Payload)[] Cases =
    [
        ("a header value with non-ASCII text", """ "payloadConfiguration":{"custom_headers":{"X-Name":"Zo\u00eb \ud83d\ude00"}} """, Payload),
        ("a header value with a line break", """ "payloadConfiguration":{"custom_headers":{"X-A":"a\r\nX-Smuggled: 1"}} """, Payload),
        ("a header value of 8 KB", $$$""" "payloadConfiguration":{"custom_headers":{"X-Long":"{{{new string('v', 8192)}}}"}} """, Payload),
        ("a header name of every token character", """ "payloadConfiguration":{"custom_headers":{"X-!#$%&'*+.^_`|~":"v"}} """, Payload),
        ("a header name with a space", """ "payloadConfiguration":{"custom_headers":{"X Bad":"v"}} """, Payload),
        ("a header named Content-Length", """ "payloadConfiguration":{"custom_headers":{"Content-Length":"5"}} """, Payload),
        ("an API key named Content-Length", """ "auth":{"authType":"API_KEY","apiKeyConfig":{"keyName":"Content-Length","keyValue":"5"}} """, Payload),
        ("an API key named Transfer-Encoding", """ "auth":{"authType":"API_KEY","apiKeyConfig":{"keyName":"Transfer-Encoding","keyValue":"chunked"}} """, Payload),
        ("an API key named Host", """ "auth":{"authType":"API_KEY","apiKeyConfig":{"keyName":"Host","keyValue":"elsewhere.example"}} """, Payload),
        ("an API key with a line break", """ "auth":{"authType":"API_KEY","apiKeyConfig":{"keyName":"X-Key","keyValue":"k\r\nX-Smuggled: 1"}} """, Payload),
        ("an API key with URL syntax", """ "auth":{"authType":"API_KEY","apiKeyConfig":{"keyName":"a b&c=d","keyValue":"x&y=z#f?g"}} """, Payload),
        ("an API key of an empty name", """ "auth":{"authType":"API_KEY","apiKeyConfig":{"keyName":"","keyValue":"v"}} """, Payload),
        ("basic credentials with colons and emoji", """ "auth":{"authType":"BASIC","basicAuthConfig":{"username":"a:b","password":"p:\ud83d\ude00"}} """, Payload),
        ("basic credentials with a line break", """ "auth":{"authType":"BASIC","basicAuthConfig":{"username":"a\r\nX-Smuggled: 1","password":"p"}} """, Payload),
        ("a header from a variable that does not exist", """ "payloadConfiguration":{"custom_headers":{"X-Env":"{{ env.not_there }}"}} """, Payload),
        ("an API key from a variable that does not exist", """ "auth":{"authType":"API_KEY","apiKeyConfig":{"keyName":"X-Key","keyValue":"{{ env.not_there }}","keyValueIsEnvVar":true}} """, Payload),
        ("a transform answering a string", """ "jsonataExpression":"\"just text\"" """, Payload),
        ("a transform answering a number", """ "jsonataExpression":"42" """, Payload),
        ("a transform answering nothing", """ "jsonataExpression":"nothing_here" """, Payload),
        ("a transform answering an array", """ "jsonataExpression":"[1, 2, entity]" """, Payload),
        ("a transform answering a long text", """ "jsonataExpression":"$join([1..100000].$string(), \",\")" """, Payload),
        ("a transform that fails", """ "jsonataExpression":"$error(\"no\")" """, Payload),
        ("a transform dividing by zero", """ "jsonataExpression":"1/0" """, Payload),
        ("a filter on a missing key", """ "filter":{"keyToFilter":"entity.no.such","supportedValues":["x"]} """, Payload),
        ("a payload nested 60 deep", "", $$$"""{"metadata":{},"entity":{"_id":"e-1","deep":{{{new string('[', 60)}}}{{{new string(']', 60)}}}}}"""),
        ("a payload of a number past any double", "", """{"metadata":{},"entity":{"_id":"e-1","n":1e400}}"""),
        ("a payload with emoji and empty keys", "", """{"metadata":{},"entity":{"_id":"e-1","\ud83d\ude00":1,"":2}}"""),
    ];

    private static readonly string[] Ended = ["succeeded", "failed", "skipped"];

    [Fact]
    public async Task Each_config_is_refused_when_saved_or_its_event_ends_without_an_unexpected_error_sent_at_most_once()
    {
        var failures = new List<string>();
        var delivered = 0;
        foreach (var (what, extra, payload) in Cases)
        {
            var before = Receiver.Received.Count;
            var body = $$"""{"name":"Hostile","eventName":"order_created","url":"{{Receiver.Url}}","retryPolicy":{"enabled":false}{{(extra.Trim().Length > 0 ? "," + extra.Trim() : "")}}}""";
            var created = await Client.PostJsonAsync("/v1/webhooks/configs", body);
            if (!created.IsSuccessStatusCode)
            {
                var message = (int)created.StatusCode == 400 ? await created.MessageAsync() : null;
                if (string.IsNullOrWhiteSpace(message))
                {
                    failures.Add($"{what}: saving answered {(int)created.StatusCode} without a message");
                }
                TestContext.Current.TestOutputHelper?.WriteLine($"{what}: refused when saved: {message}");
                continue;
            }
            var configId = (await created.ReadAsync())["id"]!.GetValue<string>();
            var trigger = await Client.PostJsonAsync($"/v1/webhooks/configs/{configId}/trigger", payload);
            if (!trigger.IsSuccessStatusCode)
            {
                if ((int)trigger.StatusCode >= 500 || string.IsNullOrWhiteSpace(await trigger.MessageAsync()))
                {
                    failures.Add($"{what}: the trigger answered {(int)trigger.StatusCode}");
                }
                continue;
            }
            var eventId = (await trigger.ReadAsync())["event_id"]!.GetValue<string>();
            JsonNode ended;
            try
            {
                ended = await Eventually.ReturnsAsync(() => Client.EventAsync(configId, eventId),
                    e => Ended.Contains(e["status"]?.GetValue<string>()), $"the event of {what} to end");
            }
            catch (TimeoutException e)
            {
                failures.Add($"{what}: {e.Message}");
                continue;
            }
            delivered++;
            TestContext.Current.TestOutputHelper?.WriteLine($"{what}: {ended["status"]} {ended["http_response"]?.ToJsonString()}");
            // INTERNAL_ERROR is Herald's code for its own failures (a transform that fails, say), each with its reason;
            // an unexpected exception is what must never happen (it is also retried).
            var why = ended["http_response"]?["message"]?.GetValue<string>() ?? "";
            var requests = Receiver.Received.Skip(before).ToList();
            if (why.Contains("unexpected", StringComparison.OrdinalIgnoreCase) || requests.Count > 1 || requests.Any(r => r.Headers.ContainsKey("x-smuggled")))
            {
                failures.Add($"{what}: {ended["status"]} {ended["http_response"]?.ToJsonString()}, {requests.Count} requests");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(delivered >= Cases.Length / 2, $"only {delivered} of {Cases.Length} configs were saved and triggered");
    }
}

/// <summary>The same configs with Herald on PostgreSQL.</summary>
public sealed class PostgresHostileConfigScenarios(PostgresServer server) : HostileConfigScenarios
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => server.StorageAsync();
}
