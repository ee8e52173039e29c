using System.Text.Json.Nodes;

namespace Herald.Server.Tests.Support;

/// <summary>Arrange steps shared by the delivery scenarios.</summary>
public static class Webhooks
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
}
