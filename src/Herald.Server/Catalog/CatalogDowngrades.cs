using System.Text.Json.Nodes;
using Herald.Server.Configs;
using Herald.Server.Egress;
using Herald.Server.Events;
using Herald.Server.Expressions;
using Herald.Server.Transforms;
using Jsonata;

namespace Herald.Server.Catalog;

/// <summary>An envelope brought to the pinned version, or why it could not be.</summary>
/// <param name="Steps">The versions the envelope went through, newest first, the pinned one last; empty when it already matched.</param>
public readonly record struct DowngradeResult(JsonObject? Envelope, IReadOnlyList<string> Steps, Prepared.Fail? Failure);

/// <summary>
/// Brings an Event Catalog envelope down to the version a config is pinned to. The envelope carries its own way back:
/// <c>_downgrades</c> is a list of steps <c>{"to": "MAJOR.MINOR", "jsonata": "..."}</c>, each a JSONata expression
/// that maps the envelope of the next newer version to version <c>to</c>. Steps run newest first, each on the result
/// of the one before, always to the newest version still above the pinned one, until the pinned version is reached;
/// each result gets <c>_event_version</c> set to its step's <c>to</c>. When no chain of steps lands exactly on the
/// pinned version, or the pinned version is newer than the event, the delivery fails with
/// <see cref="DeliveryCode.EventVersionUnreachable"/>; a step that throws or yields no object fails it with
/// <see cref="DeliveryCode.EventDowngradeFailed"/>. Neither is retried: the same event would fail the same way.
/// </summary>
public sealed class CatalogDowngrades(JsonataRuntime runtime)
{
    public static bool IsCatalogEvent(string eventName) => eventName.StartsWith("event_", StringComparison.Ordinal);

    /// <summary>The <c>_event_version</c> the envelope is stamped with, when it has one.</summary>
    public static string? StampedVersion(JsonObject envelope) =>
        envelope["_event_version"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>
    /// The envelope as a config pinned to <paramref name="pinned"/> sees it: a catalog event with a version stamp is
    /// brought down to the pin; other events, unstamped envelopes and unpinned configs get it as it is.
    /// </summary>
    public DowngradeResult ForConfig(string eventName, JsonObject envelope, string? pinned) =>
        pinned is not null && IsCatalogEvent(eventName) && StampedVersion(envelope) is not null
            ? Downgrade(envelope, pinned)
            : new DowngradeResult(envelope, [], null);

    public DowngradeResult Downgrade(JsonObject envelope, string pinned)
    {
        var stamped = StampedVersion(envelope);
        if (!EventVersion.TryParse(pinned, out var target))
        {
            return Unreachable($"The config's eventVersion \"{pinned}\" is not MAJOR.MINOR");
        }
        if (!EventVersion.TryParse(stamped, out var current))
        {
            return Unreachable($"The event's _event_version {Quote(stamped)} is not MAJOR.MINOR, so it cannot be brought to {target}");
        }
        if (current == target)
        {
            return new DowngradeResult(envelope, [], null);
        }
        if (current < target)
        {
            return Unreachable($"The event is version {current}, older than the config's eventVersion {target}; events are only ever downgraded");
        }

        var steps = ReadSteps(envelope, out var stepError);
        if (stepError is not null)
        {
            return Unreachable(stepError);
        }
        var path = new List<string>();
        var result = envelope;
        while (current > target)
        {
            var step = steps.Where(s => s.To < current && s.To >= target).OrderByDescending(s => s.To).FirstOrDefault();
            if (step is null)
            {
                var available = steps.Count == 0 ? "none" : string.Join(", ", steps.Select(s => s.To.ToString()));
                return Unreachable($"No _downgrades step leads from version {current} towards {target} (steps to: {available})");
            }
            try
            {
                var value = runtime.Evaluate(runtime.Compiled(step.Expression), result);
                if (value.IsUndefined || value.ToJsonNode() is not JsonObject next)
                {
                    return Failed($"The _downgrades step to {step.To} did not produce a JSON object");
                }
                if (JsonNesting.TooDeep(next))
                {
                    return Failed(JsonNesting.Message($"The object the _downgrades step to {step.To} produced"));
                }
                next["_event_version"] = step.To.ToString();
                result = next;
            }
            catch (JsonataException e)
            {
                return Failed($"The _downgrades step to {step.To} failed: {JsonataRuntime.Describe(e)} (_downgrades[{step.Index}].jsonata)");
            }
            current = step.To;
            path.Add(step.To.ToString());
        }
        return new DowngradeResult(result, path, null);
    }

    private static List<Step> ReadSteps(JsonObject envelope, out string? error)
    {
        error = null;
        var steps = new List<Step>();
        if (envelope["_downgrades"] is not JsonArray list)
        {
            return steps;
        }
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is not JsonObject entry)
            {
                error = $"_downgrades[{i}] is not an object";
                return steps;
            }
            var to = entry["to"] is JsonValue toValue && toValue.TryGetValue<string>(out var toText) ? toText : null;
            if (!EventVersion.TryParse(to, out var version))
            {
                error = $"_downgrades[{i}].to {Quote(to)} is not MAJOR.MINOR";
                return steps;
            }
            if (entry["jsonata"] is not JsonValue code || !code.TryGetValue<string>(out var expression) || string.IsNullOrWhiteSpace(expression))
            {
                error = $"_downgrades[{i}].jsonata is missing or not a string";
                return steps;
            }
            steps.Add(new Step(version, expression, i));
        }
        return steps;
    }

    private static string Quote(string? text) => text is null ? "(absent)" : $"\"{text}\"";

    private static DowngradeResult Unreachable(string message) =>
        new(null, [], new Prepared.Fail(DeliveryCode.EventVersionUnreachable, message, Retryable: false));

    private static DowngradeResult Failed(string message) =>
        new(null, [], new Prepared.Fail(DeliveryCode.EventDowngradeFailed, message, Retryable: false));

    private sealed record Step(EventVersion To, string Expression, int Index);
}
