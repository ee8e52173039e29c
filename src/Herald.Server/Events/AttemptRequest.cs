using System.Text.Json;
using System.Text.Json.Serialization;
using Herald.Server.Http;

namespace Herald.Server.Events;

/// <summary>
/// Beyond the contract: the request one attempt sent, as its attempt keeps it. Header names are lower-cased (HTTP
/// field names ignore case), the signature headers first, then the others in the order they were sent; every
/// credential's value is replaced (<see cref="Redacted"/>). At most <c>Delivery:MaxRequestHeaderBytes</c> of names
/// and values are kept; the headers past it are left out and counted in <see cref="OmittedHeaders"/>.
/// </summary>
public sealed record AttemptRequest
{
    /// <summary>What stands in place of a credential's value (after the scheme of an <c>Authorization</c> value).</summary>
    public const string Redacted = "[redacted]";

    [JsonPropertyName("method")] public required string Method { get; init; }

    [JsonPropertyName("url")] public required string Url { get; init; }

    [JsonPropertyName("headers")] public required IReadOnlyDictionary<string, string> Headers { get; init; }

    [JsonPropertyName("omitted_headers")] public int? OmittedHeaders { get; init; }

    /// <summary>The stored form: one JSON text.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, HeraldJson.Options);

    /// <summary>The stored form read back; null for an attempt stored without one (no request was sent, or it predates the record).</summary>
    public static AttemptRequest? FromJson(string? json) => json is null ? null : JsonSerializer.Deserialize<AttemptRequest>(json, HeraldJson.Options);
}
