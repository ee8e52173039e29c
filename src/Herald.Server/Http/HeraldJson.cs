using System.Text.Json;
using System.Text.Json.Serialization;

namespace Herald.Server.Http;

/// <summary>One set of serializer options for the API and for documents stored in the database.</summary>
public static class HeraldJson
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

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
