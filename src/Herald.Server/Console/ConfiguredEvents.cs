using System.Text.Json.Nodes;

namespace Herald.Server.Console;

/// <summary>The event names <c>getConfiguredEvents</c> lists, offered while typing a config's event.</summary>
public static class ConfiguredEvents
{
    public static async Task<IReadOnlyList<string>> ReadAsync(HeraldApi api)
    {
        var result = await api.GetAsync("v1/webhooks/configured-events");
        return result.Ok && result.Body is JsonArray events
            ? events.Select(e => ConsolePage.Str(e?["eventName"])).Where(n => n.Length > 0).ToList()
            : [];
    }
}
