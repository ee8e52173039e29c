using System.Text.Json.Nodes;
using Herald.Server.Configs;

namespace Herald.Server.Filters;

/// <summary>What the filters decided: pass (both null), skip the event, or fail it (a condition could not be evaluated).</summary>
public readonly record struct FilterOutcome(string? SkipReason, string? Error)
{
    public static readonly FilterOutcome Pass = new(null, null);
}

/// <summary>
/// Step 2 of a delivery: whether the config wants this event at all (wire-format section 6). The key
/// <c>filter</c> and the <c>filterConditions</c> must both pass; a rejected event is recorded as <c>skipped</c> and
/// no request is sent. A JSONata condition that cannot be evaluated fails the event instead (not retryable: the
/// same input and expression fail again).
/// </summary>
public sealed class EventFilter(IJsonataCondition jsonata)
{
    /// <summary>Whether the config has anything to filter on; without it <see cref="Decide"/> passes every event.</summary>
    public static bool Applies(WebhookConfig config) => KeyFilterOf(config) is not null || config.FilterConditions is not null;

    public FilterOutcome Decide(WebhookConfig config, JsonObject input)
    {
        if (KeyFilterOf(config) is { } filter && !KeyFilter.Matches(input, filter.Key, filter.Supported))
        {
            return new FilterOutcome($"filter: the value at '{filter.Key}' is not one of the supported values", null);
        }
        if (config.FilterConditions is { } group)
        {
            try
            {
                return new FilterOutcome(ConditionMatcher.Reject(group, input, jsonata), null);
            }
            catch (JsonataConditionException e)
            {
                return new FilterOutcome(null, e.Message);
            }
        }
        return FilterOutcome.Pass;
    }

    /// <summary>The key filter's key and supported values, when the config has a usable one.</summary>
    private static (string Key, List<string> Supported)? KeyFilterOf(WebhookConfig config) =>
        config.Filter is { KeyToFilter: { Length: > 0 } key, SupportedValues: { } supported } ? (key, supported) : null;
}
