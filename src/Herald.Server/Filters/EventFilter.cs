using System.Text.Json.Nodes;
using Herald.Server.Configs;

namespace Herald.Server.Filters;

/// <summary>
/// Step 2 of a delivery: whether the config wants this event at all (wire-format section 6). A rejected event is
/// recorded as <c>skipped</c> and no request is sent.
/// </summary>
public sealed class EventFilter
{
    /// <summary>Why the event is skipped, or null when it passes.</summary>
    public string? Reject(WebhookConfig config, JsonObject input)
    {
        if (config.Filter is { KeyToFilter: { Length: > 0 } key, SupportedValues: { } supported } && !KeyFilter.Matches(input, key, supported))
        {
            return $"filter: the value at '{key}' is not one of the supported values";
        }
        return null;
    }
}
