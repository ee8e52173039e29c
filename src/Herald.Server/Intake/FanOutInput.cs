using System.Text.Json.Nodes;
using Herald.Server.Configs;
using Herald.Server.Events;
using Herald.Server.Http;

namespace Herald.Server.Intake;

/// <summary>
/// A fan-out's payload, filled and serialized once for all its configs: the metadata every event shares is filled as
/// a trigger would fill it (<see cref="TriggerPayload.Fill"/>), and each value that differs per config becomes a slot
/// of the <see cref="SharedInput"/>. What one config's event adds is then only its values (<see cref="InputFor"/>), so
/// memory and storage grow with the payload, not with the number of subscribers, while every event's input reads
/// back byte for byte as a trigger of its config would have stored it.
/// </summary>
public sealed class FanOutInput
{
    private enum Slot
    {
        WebhookId,
        WebhookName,
    }

    private readonly IReadOnlyList<Slot> _slots;

    private FanOutInput(SharedInput shared, IReadOnlyList<Slot> slots) => (Shared, _slots) = (shared, slots);

    public SharedInput Shared { get; }

    /// <summary>The input of one config's event: its values in the shared input's slots.</summary>
    public EventInput InputFor(ConfigRecord config)
    {
        var values = new JsonArray();
        foreach (var slot in _slots)
        {
            // A config's name is required; a stored one without would read as null.
            values.Add(slot == Slot.WebhookId ? config.Id.Value : config.Document.Name);
        }
        return new EventInput(values.ToJsonString(HeraldJson.Payload), null, Shared);
    }

    /// <summary>
    /// Fills <paramref name="payload"/> (in place: it is this request's own) and serializes it once; or the problem
    /// with it, as <see cref="TriggerPayload.Fill"/> names it.
    /// </summary>
    public static (FanOutInput? Input, string? Error) Prepare(JsonObject payload, string eventName, OrganizationId orgId, DateTimeOffset now, Guid correlationId)
    {
        // Markers stand in for the per-config values while the payload is written out; random, so no payload holds them.
        var marker = "herald-slot-" + RandomGuid.NewVersion4().ToString("N");
        var markers = new Dictionary<string, Slot> { ['"' + marker + "-id\""] = Slot.WebhookId, ['"' + marker + "-name\""] = Slot.WebhookName };
        var (filled, error) = TriggerPayload.Fill(payload, marker + "-id", new WebhookConfig { EventName = eventName, Name = marker + "-name" }, orgId, now, correlationId);
        if (error is not null)
        {
            return (null, error);
        }
        var id = RandomGuid.NewVersion7(now).ToString();
        if (filled!["metadata"] is not JsonObject metadata)
        {
            // Event Catalog envelopes are kept as given: nothing differs per config.
            return (new FanOutInput(new SharedInput(id, filled.ToJsonString(HeraldJson.Payload), [], null, null), []), null);
        }

        // The metadata object is written on its own (its slots found there), the payload around it with a marker in
        // its place (kept at its position), and the two joined: the body is what writing the whole payload gives.
        var (inner, found) = WithPlaceholders(metadata.ToJsonString(HeraldJson.Payload), markers);
        var placeMarker = '"' + marker + '"';
        filled["metadata"] = marker;
        var outer = filled.ToJsonString(HeraldJson.Payload);
        var start = outer.IndexOf(placeMarker, StringComparison.Ordinal);
        var body = string.Concat(outer.AsSpan(0, start), inner, outer.AsSpan(start + placeMarker.Length));
        var shared = new SharedInput(id, body, found.ConvertAll(f => start + f.Offset), start, start + inner.Length);
        return (new FanOutInput(shared, found.ConvertAll(f => f.Slot)), null);
    }

    /// <summary>The text with each marker replaced by the placeholder, and the slots that were found, in text order.</summary>
    private static (string Text, List<(int Offset, Slot Slot)> Found) WithPlaceholders(string text, Dictionary<string, Slot> markers)
    {
        var found = new List<(int At, string Marker)>();
        foreach (var marker in markers.Keys)
        {
            if (text.IndexOf(marker, StringComparison.Ordinal) is var at and >= 0)
            {
                found.Add((at, marker));
            }
        }
        found.Sort((x, y) => x.At.CompareTo(y.At));
        var result = new System.Text.StringBuilder(text.Length);
        var slots = new List<(int Offset, Slot Slot)>(found.Count);
        var from = 0;
        foreach (var (at, marker) in found)
        {
            result.Append(text, from, at - from);
            slots.Add((result.Length, markers[marker]));
            result.Append(SharedInput.Placeholder);
            from = at + marker.Length;
        }
        result.Append(text, from, text.Length - from);
        return (result.ToString(), slots);
    }
}
