using System.Text.Json;
using System.Text.Json.Nodes;
using Herald.Server.Events;
using Herald.Server.Http;

namespace Herald.Server.Intake;

/// <summary>What a replay request asks for: the events, in order, and whether to re-run the pipeline from the input.</summary>
public sealed record ReplayAsk(IReadOnlyList<string> EventIds, bool ReapplyTransform);

/// <summary>The replay bodies and which events can be replayed. Pure.</summary>
public static class ReplayRules
{
    public const int MaxBatch = 100;

    /// <summary>The contract's <c>ReplayRequest</c>: optional, with an optional <c>reapply_transform</c> (default false).</summary>
    public static (bool Reapply, string? Error) ReadSingle(JsonObject body) => Reapply(body);

    /// <summary>
    /// The contract's <c>BatchReplayRequest</c>: <c>eventIds</c>, 1 to 100 non-empty strings. A repeated id is replayed
    /// once, at its first position: sending the same event twice in one batch is never what a caller means.
    /// </summary>
    public static (ReplayAsk? Ask, string? Error) ReadBatch(JsonObject body)
    {
        if (body["eventIds"] is not JsonArray ids)
        {
            return (null, "eventIds is required and must be an array of event ids");
        }
        if (ids.Count is 0 or > MaxBatch)
        {
            return (null, $"eventIds must hold from 1 to {MaxBatch} event ids");
        }
        var ordered = new List<string>(ids.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ids.Count; i++)
        {
            if (ids[i] is not JsonValue value || value.GetValueKind() != JsonValueKind.String || value.GetValue<string>() is not { Length: > 0 } id)
            {
                return (null, $"eventIds[{i}] must be a non-empty string");
            }
            if (StoredText.HasNul(id))
            {
                return (null, StoredText.NulRefused($"eventIds[{i}]"));
            }
            if (seen.Add(id))
            {
                ordered.Add(id);
            }
        }
        var (reapply, error) = Reapply(body);
        return error is null ? (new ReplayAsk(ordered, reapply), null) : (null, error);
    }

    /// <summary>
    /// Why the event cannot be replayed, or null when it can. A verbatim replay resends the payload as it was built;
    /// an event whose payload was never built (skipped, or not yet attempted) is built now from its input. A replay
    /// that re-applies the transform needs the input. Without what it needs, the event is refused (422).
    /// </summary>
    public static string? Refusal(EventRecord stored, bool reapplyTransform)
    {
        var hasInput = !string.IsNullOrEmpty(stored.Input);
        if (reapplyTransform)
        {
            return hasInput ? null : $"The original input of event {stored.EventId} is no longer available, so the transform cannot be re-applied";
        }
        return stored.Payload is not null || hasInput ? null : $"Event {stored.EventId} has neither a delivered payload nor its original input; nothing can be resent";
    }

    private static (bool, string?) Reapply(JsonObject body) => body["reapply_transform"] switch
    {
        null => (false, null),
        JsonValue value when value.GetValueKind() is JsonValueKind.True or JsonValueKind.False => (value.GetValue<bool>(), null),
        _ => (false, "reapply_transform must be a boolean"),
    };
}
