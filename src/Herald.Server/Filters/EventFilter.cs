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
    public FilterOutcome Decide(WebhookConfig config, JsonObject input)
    {
        if (config.Filter is { KeyToFilter: { Length: > 0 } key, SupportedValues: { } supported } && !KeyFilter.Matches(input, key, supported))
        {
            return new FilterOutcome($"filter: the value at '{key}' is not one of the supported values", null);
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
}
