using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Herald.Server.Http;

namespace Herald.Server.Events;

/// <summary>
/// The keyset of the last event on a page (wire-format section 9): the next page holds the events strictly after it
/// in the list order (<c>created_at</c> descending, then <c>event_id</c> descending). v2 carries it as an object,
/// the deprecated v1 list as base64 of that object's JSON. Pure.
/// </summary>
public sealed record EventCursor(DateTimeOffset CreatedAt, string EventId)
{
    public const int MaxEventIdLength = 200;

    /// <summary>The v2 form: <c>{"created_at": "...", "event_id": "..."}</c>.</summary>
    public JsonObject ToJson() => new()
    {
        ["created_at"] = Timestamp.Format(CreatedAt),
        ["event_id"] = EventId,
    };

    /// <summary>The v1 form: standard base64 of the v2 form's JSON text.</summary>
    public string ToBase64() => Convert.ToBase64String(Encoding.UTF8.GetBytes(ToJson().ToJsonString()));

    /// <summary>Reads the v2 form; <paramref name="field"/> names it in error messages.</summary>
    public static (EventCursor? Cursor, string? Error) FromJson(JsonNode? node, string field = "cursor")
    {
        if (node is not JsonObject fields)
        {
            return (null, $"{field} must be an object with created_at and event_id");
        }
        if (fields["created_at"] is not JsonValue createdAt || createdAt.GetValueKind() != JsonValueKind.String
            || Timestamp.Parse(createdAt.GetValue<string>()) is not { } at)
        {
            return (null, $"{field}.created_at must be an ISO 8601 date-time");
        }
        if (fields["event_id"] is not JsonValue eventId || eventId.GetValueKind() != JsonValueKind.String
            || eventId.GetValue<string>() is not { Length: > 0 and <= MaxEventIdLength } id)
        {
            return (null, $"{field}.event_id must be a non-empty string");
        }
        if (StoredText.HasNul(id))
        {
            return (null, StoredText.NulRefused($"{field}.event_id"));
        }
        return (new EventCursor(at, id), null);
    }

    /// <summary>
    /// Reads the v1 form. Lenient about how the text travelled: the URL-safe alphabet, missing padding, and a
    /// <c>+</c> that an unencoded query string turned into a space are all accepted.
    /// </summary>
    public static (EventCursor? Cursor, string? Error) FromBase64(string text)
    {
        const string invalid = "cursor must be a cursor returned by this endpoint";
        var normalized = text.Trim().Replace(' ', '+').Replace('-', '+').Replace('_', '/').TrimEnd('=');
        if (normalized.Length is 0 or > 1024 || normalized.Length % 4 == 1)
        {
            return (null, invalid);
        }
        normalized = normalized.PadRight(normalized.Length + (4 - normalized.Length % 4) % 4, '=');
        var bytes = new byte[Base64.GetMaxDecodedFromUtf8Length(normalized.Length)];
        if (!Convert.TryFromBase64String(normalized, bytes, out var written))
        {
            return (null, invalid);
        }
        if (Http.JsonText.FirstProblem(bytes.AsSpan(0, written)) is not null)
        {
            return (null, invalid);
        }
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(bytes.AsSpan(0, written));
        }
        catch (JsonException)
        {
            return (null, invalid);
        }
        var (cursor, error) = FromJson(node);
        return error is null ? (cursor, null) : (null, invalid);
    }
}

/// <summary>ISO 8601 date-times as the event list reads and writes them. Pure.</summary>
public static partial class Timestamp
{
    /// <summary>UTC with as many fraction digits as the value needs (none for whole seconds), so a cursor loses nothing.</summary>
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// A full date-time (<c>2025-10-01T00:00:00Z</c>; seconds, a fraction of up to 7 digits and the offset optional,
    /// no offset meaning UTC), or null. Date-only and free-form texts are refused: "to 2025-10-31" would be ambiguous.
    /// </summary>
    public static DateTimeOffset? Parse(string text) =>
        IsoDateTime().IsMatch(text)
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : null;

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,7})?)?(Z|z|[+-][0-9]{2}:[0-9]{2})?\z", RegexOptions.CultureInvariant)]
    private static partial Regex IsoDateTime();
}
