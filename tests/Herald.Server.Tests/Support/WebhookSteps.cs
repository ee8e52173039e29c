using System.Text.Json.Nodes;

namespace Herald.Server.Tests.Support;

/// <summary>Arrange steps shared by the delivery scenarios.</summary>
public static class WebhookSteps
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Creates a config pointing at <paramref name="url"/>; returns its id and signing secret.</summary>
    public static async Task<(string Id, string SigningSecret)> CreateConfigAsync(this HttpClient client, Uri url, string extra = "")
    {
        var response = await client.PostJsonAsync("/v1/webhooks/configs",
            $$"""{"name":"Receiver","eventName":"order_created","url":"{{url}}"{{(extra.Length > 0 ? "," + extra : "")}}}""");
        response.EnsureSuccessStatusCode();
        var created = await response.ReadAsync();
        return (created["id"]!.GetValue<string>(), created["signingSecret"]!.GetValue<string>());
    }

    public static async Task<JsonNode> TriggerAsync(this HttpClient client, string configId, string payload = """{"metadata":{},"entity":{"_id":"e-1","amount":12.5}}""", bool sync = false)
    {
        var response = await client.PostJsonAsync($"/v1/webhooks/configs/{configId}/trigger{(sync ? "?sync=true" : "")}", payload);
        Assert.True(response.IsSuccessStatusCode, $"trigger answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
        return await response.ReadAsync();
    }

    public static async Task<JsonNode> EventAsync(this HttpClient client, string configId, string eventId) =>
        await (await client.GetAsync($"/v1/webhooks/configs/{configId}/events/{eventId}", Ct)).ReadAsync();

    /// <summary>Waits until the event reaches <paramref name="status"/>.</summary>
    public static Task<JsonNode> EventWithStatusAsync(this HttpClient client, string configId, string eventId, string status) =>
        Eventually.ReturnsAsync(() => client.EventAsync(configId, eventId), e => e["status"]?.GetValue<string>() == status, $"event {eventId} to be {status}");

    /// <summary>The <c>webhook-id</c> header Herald sends for an event: the receiver's idempotency key.</summary>
    public static string MessageIdOf(string eventId) => "msg_" + Guid.Parse(eventId).ToString("N");

    /// <summary>
    /// Waits (on the real clock) until every one of <paramref name="eventIds"/> has <paramref name="status"/>, reading
    /// each through the API with a few requests at once; fails at once on an event that ended otherwise.
    /// Returns how long it took.
    /// </summary>
    public static async Task<TimeSpan> WaitForStatusAsync(
        this HttpClient client, string configId, IReadOnlyCollection<string> eventIds, string status, TimeSpan within)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var pending = new HashSet<string>(eventIds, StringComparer.Ordinal);
        var last = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        while (true)
        {
            var reached = new System.Collections.Concurrent.ConcurrentBag<string>();
            await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = Ct }, async (eventId, ct) =>
            {
                using var response = await client.GetAsync($"/v1/webhooks/configs/{configId}/events/{eventId}", ct);
                var now = response.IsSuccessStatusCode
                    ? (await response.ReadAsync())["status"]?.GetValue<string>() ?? "(none)"
                    : $"HTTP {(int)response.StatusCode}";
                last[eventId] = now;
                if (now == status)
                {
                    reached.Add(eventId);
                }
            });
            pending.ExceptWith(reached);
            if (pending.Count == 0)
            {
                return started.Elapsed;
            }
            var ended = pending.Where(id => last[id] is "succeeded" or "failed" or "skipped" or "HTTP 404").ToList();
            if (ended.Count > 0 || started.Elapsed > within)
            {
                var shown = string.Join(", ", (ended.Count > 0 ? ended : pending.ToList()).Take(10).Select(id => $"{id}={last[id]}"));
                Assert.Fail(ended.Count > 0
                    ? $"{ended.Count} events ended other than {status}: {shown}"
                    : $"{pending.Count} of {eventIds.Count} events were not {status} within {within.TotalSeconds:0} s: {shown}");
            }
            await Task.Delay(250, Ct);
        }
    }
}
