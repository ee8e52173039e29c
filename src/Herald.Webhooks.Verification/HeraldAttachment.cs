using System.Text.Json;
using System.Text.Json.Nodes;

namespace Herald.Webhooks.Verification;

/// <summary>
/// What a <c>binary_multipart</c> signature says about one file: the attachment's <c>entity_id</c>,
/// <c>filename</c>, <c>mime_type</c>, <c>size_bytes</c> and <c>version_index</c> as the event carries them.
/// Herald signs their canonical JSON (keys sorted, no whitespace; a key the event lacks is left out), so build it
/// from the event's <c>event_attachments</c> item with <see cref="FromEventAttachment(JsonObject)"/> when you have it:
/// that keeps each value exactly as the event wrote it.
/// </summary>
public sealed class HeraldAttachment
{
    private static readonly string[] SignedKeys = ["entity_id", "filename", "mime_type", "size_bytes", "version_index"];

    private readonly JsonObject _signed;

    private HeraldAttachment(JsonObject signed) => _signed = signed;

    /// <summary>An attachment from its values; a null value is a key the event does not have.</summary>
    public HeraldAttachment(string? entityId, string? filename, string? mimeType, long? sizeBytes, long? versionIndex)
    {
        _signed = new JsonObject();
        Add("entity_id", entityId is null ? null : JsonValue.Create(entityId));
        Add("filename", filename is null ? null : JsonValue.Create(filename));
        Add("mime_type", mimeType is null ? null : JsonValue.Create(mimeType));
        Add("size_bytes", sizeBytes is { } size ? JsonValue.Create(size) : null);
        Add("version_index", versionIndex is { } index ? JsonValue.Create(index) : null);

        void Add(string key, JsonNode? value)
        {
            if (value is not null)
            {
                _signed[key] = value;
            }
        }
    }

    /// <summary>
    /// The attachment as the event's <c>event_attachments</c> item has it; other keys of the item (<c>s3ref</c>,
    /// <c>readable_size</c>) are not signed and are ignored.
    /// </summary>
    public static HeraldAttachment FromEventAttachment(JsonObject item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var signed = new JsonObject();
        foreach (var key in SignedKeys)
        {
            if (item.TryGetPropertyValue(key, out var value))
            {
                signed[key] = value?.DeepClone();
            }
        }
        return new HeraldAttachment(signed);
    }

    /// <summary>The attachment from the JSON text of an <c>event_attachments</c> item.</summary>
    /// <exception cref="ArgumentException">The text is not a JSON object.</exception>
    public static HeraldAttachment FromEventAttachment(string json)
    {
        try
        {
            return JsonNode.Parse(json) is JsonObject item
                ? FromEventAttachment(item)
                : throw new ArgumentException("An event attachment is a JSON object", nameof(json));
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"An event attachment is a JSON object: {e.Message}", nameof(json), e);
        }
    }

    /// <summary>
    /// Every item of an <c>event_attachments</c> array, in order (for example the JSON text of an <c>extraFields</c>
    /// field that carries the event's attachments).
    /// </summary>
    /// <exception cref="ArgumentException">The text is not a JSON array of objects.</exception>
    public static IReadOnlyList<HeraldAttachment> ListFromJson(string json)
    {
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"Event attachments are a JSON array of objects: {e.Message}", nameof(json), e);
        }
        return parsed switch
        {
            JsonArray array => array.Select(item => item is JsonObject obj
                ? FromEventAttachment(obj)
                : throw new ArgumentException("Event attachments are a JSON array of objects", nameof(json))).ToList(),
            JsonObject one => [FromEventAttachment(one)],
            _ => throw new ArgumentException("Event attachments are a JSON array of objects", nameof(json)),
        };
    }

    /// <summary>
    /// The canonical JSON Herald signs for this attachment, e.g. <c>{"entity_id":"doc-1","filename":"a.pdf",...}</c>:
    /// keys sorted, no whitespace, written as JavaScript's <c>JSON.stringify</c> writes it (see
    /// <see cref="Verification.CanonicalJson"/>).
    /// </summary>
    public string CanonicalJson() => Verification.CanonicalJson.Write(_signed);

    /// <inheritdoc />
    public override string ToString() => CanonicalJson();

}
