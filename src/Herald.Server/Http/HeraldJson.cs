using System.Text.Json;
using System.Text.Json.Serialization;

namespace Herald.Server.Http;

/// <summary>One set of serializer options for the API and for documents stored in the database.</summary>
public static class HeraldJson
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>
    /// For payloads sent to receivers: text stays as UTF-8 (no <c>\u00EB</c> escapes), so the body is as close to
    /// what the caller sent as JSON allows. Safe because payloads are never embedded in HTML.
    /// </summary>
    public static readonly JsonSerializerOptions Payload = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.PropertyNameCaseInsensitive = false;
        return options;
    }

    /// <summary>The contract's timestamp form: ISO 8601, UTC, milliseconds (<c>2021-04-27T12:01:13.000Z</c>).</summary>
    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
