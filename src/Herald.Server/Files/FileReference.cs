using Herald.Webhooks.Verification;
using System.Text.Json.Nodes;

namespace Herald.Server.Files;

/// <summary>
/// One item of an event's <c>event_attachments</c>: what the file is and where it lies (<c>s3ref</c>). The item is
/// kept as it came, so that the signature and the event record describe the file with the event's own values.
/// </summary>
public sealed record FileReference(JsonObject Item, string Bucket, string Key)
{
    public string? Filename => Text("filename");

    public string? MimeType => Text("mime_type");

    /// <summary>The size the event announces (<c>size_bytes</c>), when it is a whole number of at least 0.</summary>
    public long? SizeBytes => Item["size_bytes"] is JsonValue value && value.TryGetValue<long>(out var size) && size >= 0 ? size : null;

    /// <summary>The item, or why it does not name a file: a JSON object with <c>s3ref.bucket</c> and <c>s3ref.key</c>.</summary>
    public static (FileReference? Reference, string? Problem) From(JsonNode? item, string path)
    {
        if (item is not JsonObject obj)
        {
            return (null, $"{path} is not an object");
        }
        if (obj["s3ref"] is not JsonObject s3ref
            || s3ref["bucket"] is not JsonValue bucket || !bucket.TryGetValue<string>(out var bucketName) || bucketName.Length == 0
            || s3ref["key"] is not JsonValue key || !key.TryGetValue<string>(out var keyName) || keyName.Length == 0)
        {
            return (null, $"{path}.s3ref must hold a bucket and a key");
        }
        return (new FileReference((JsonObject)obj.DeepClone(), bucketName, keyName), null);
    }

    /// <summary>Where the file lies, as messages name it.</summary>
    public string Location => $"{Bucket}/{Key}";

    /// <summary>
    /// The canonical JSON the multipart signature covers: <c>entity_id, filename, mime_type, size_bytes,
    /// version_index</c> with their event values, keys sorted, no whitespace, written as JavaScript's <c>JSON.stringify</c>
    /// writes it; absent keys are left out. The verification package computes it, so sender and receiver agree.
    /// </summary>
    public string CanonicalJson() => HeraldAttachment.FromEventAttachment(Item).CanonicalJson();

    private string? Text(string name) => Item[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
