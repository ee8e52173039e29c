using System.Text.Json.Nodes;

namespace Herald.Server.Console;

/// <summary>A config's example payload from <c>getWebhookExample</c>, without Herald's <c>_herald_*</c> report keys.</summary>
public static class Example
{
    public static async Task<(JsonObject? Payload, string? Error)> ReadAsync(HeraldApi api, string configId)
    {
        var result = await api.PostAsync($"v1/webhooks/configs/{HeraldApi.Segment(configId)}/example", new JsonObject());
        if (!result.Ok || result.Body is not JsonObject example)
        {
            return (null, result.Error);
        }
        foreach (var key in example.Select(p => p.Key).Where(k => k.StartsWith("_herald_", StringComparison.Ordinal)).ToList())
        {
            example.Remove(key);
        }
        return (example, null);
    }
}
