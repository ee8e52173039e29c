using System.Text.Json;
using System.Text.Json.Nodes;
using Herald.Server.Http;

namespace Herald.Server.Events;

/// <summary>
/// The input of a fan-out's events, stored once (a row of <c>event_inputs</c>) however many configs subscribe.
/// <see cref="Body"/> is the payload as every event gets it, except the metadata values that differ per config
/// (<c>webhook_id</c> and <c>webhook_name</c>, where the caller left them out): those are placeholders (<c>""</c>) at
/// <see cref="Slots"/>, and each event keeps only its own values, a JSON array in slot order, in its <c>input</c>.
/// <see cref="MetadataStart"/> to <see cref="MetadataEnd"/> is the metadata object within the body, when there is one.
/// Offsets count UTF-16 code units, as .NET strings do; the text round-trips through either engine unchanged.
/// </summary>
public sealed record SharedInput(string Id, string Body, IReadOnlyList<int> Slots, int? MetadataStart, int? MetadataEnd)
{
    /// <summary>The placeholder at each slot: an empty JSON string.</summary>
    public const string Placeholder = "\"\"";

    /// <summary>An event's whole input: the body with the event's own values in its slots.</summary>
    public string InputWith(string values) => Splice(0, Body.Length, values);

    /// <summary>An event's metadata object, or null when the payload has none.</summary>
    public string? MetadataWith(string values) => MetadataStart is { } start && MetadataEnd is { } end ? Splice(start, end, values) : null;

    /// <summary>The slots as stored: a JSON array of offsets.</summary>
    public string SlotsText => JsonSerializer.Serialize(Slots);

    public static IReadOnlyList<int> ParseSlots(string text) => JsonSerializer.Deserialize<int[]>(text) ?? [];

    /// <summary>The body between <paramref name="from"/> and <paramref name="to"/>, each slot in it replaced by its value, in one allocation.</summary>
    private string Splice(int from, int to, string values)
    {
        var tokens = Tokens(values, Slots.Count);
        var length = to - from;
        for (var i = 0; i < Slots.Count; i++)
        {
            if (Slots[i] >= from && Slots[i] < to)
            {
                length += tokens[i].Length - Placeholder.Length;
            }
        }
        return string.Create(length, (Input: this, From: from, To: to, Tokens: tokens), static (target, state) =>
        {
            var (input, at, to, tokens) = state;
            var written = 0;
            for (var i = 0; i < input.Slots.Count; i++)
            {
                var slot = input.Slots[i];
                if (slot < at || slot >= to)
                {
                    continue;
                }
                input.Body.AsSpan(at, slot - at).CopyTo(target[written..]);
                written += slot - at;
                tokens[i].CopyTo(target[written..]);
                written += tokens[i].Length;
                at = slot + Placeholder.Length;
            }
            input.Body.AsSpan(at, to - at).CopyTo(target[written..]);
        });
    }

    /// <summary>Each value as the payload's serializer writes it; a missing value keeps its placeholder.</summary>
    private static string[] Tokens(string values, int count)
    {
        var array = JsonNode.Parse(values) as JsonArray ?? [];
        var tokens = new string[count];
        for (var i = 0; i < count; i++)
        {
            tokens[i] = i < array.Count ? array[i]?.ToJsonString(HeraldJson.Payload) ?? "null" : Placeholder;
        }
        return tokens;
    }

    /// <summary>
    /// An event's whole input and metadata as read from its row: its own <paramref name="input"/> and
    /// <paramref name="metadata"/>, or, when it belongs to a fan-out, the shared input's with its own values. A shared
    /// input that is gone leaves an empty input (nothing to rebuild from).
    /// </summary>
    public static (string Input, string? Metadata) Resolve(
        string input, string? metadata, string? inputId, string? body, string? slots, int? metadataStart, int? metadataEnd)
    {
        if (inputId is null)
        {
            return (input, metadata);
        }
        if (body is null || slots is null)
        {
            return ("", metadata);
        }
        var shared = new SharedInput(inputId, body, ParseSlots(slots), metadataStart, metadataEnd);
        return (shared.InputWith(input), shared.MetadataWith(input));
    }
}
