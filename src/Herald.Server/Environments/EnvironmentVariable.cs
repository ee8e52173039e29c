using System.Text.Json.Serialization;
using Herald.Server.Http;

namespace Herald.Server.Environments;

/// <summary>
/// The Environments contract's <c>EnvironmentVariable</c> (and list item). <c>value</c> is present only for a
/// <c>String</c> that holds one; a <c>SecretString</c>'s value is never returned.
/// </summary>
public sealed class EnvironmentVariable
{
    [JsonPropertyName("key")] public required string Key { get; init; }
    [JsonPropertyName("type")] public required string Type { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("group")] public string? Group { get; init; }
    [JsonPropertyName("value")] public string? Value { get; init; }
    [JsonPropertyName("protected")] public bool Protected { get; init; }
    [JsonPropertyName("created_at")] public required string CreatedAt { get; init; }
    [JsonPropertyName("updated_at")] public required string UpdatedAt { get; init; }

    public static EnvironmentVariable From(EnvironmentRecord record) => new()
    {
        Key = record.Key,
        Type = record.Type,
        Description = record.Description,
        Group = record.Group,
        Value = record.Type == EnvironmentTypes.String ? record.Value : null,
        Protected = record.Protected,
        CreatedAt = HeraldJson.Timestamp(record.CreatedAt),
        UpdatedAt = HeraldJson.Timestamp(record.UpdatedAt),
    };
}

/// <summary>The contract's <c>EnvironmentVariableList</c>.</summary>
public sealed record EnvironmentVariableList([property: JsonPropertyName("items")] IReadOnlyList<EnvironmentVariable> Items);

/// <summary>The contract's value types, and the subset Herald serves.</summary>
public static class EnvironmentTypes
{
    public const string String = "String";
    public const string SecretString = "SecretString";

    /// <summary>Every <c>EnvironmentValueType</c> of the contract.</summary>
    public static readonly string[] All = ["String", "SecretString", "Text", "Number", "Boolean", "Map", "JSON", "Link", "List"];

    /// <summary>The types <c>{{ env.NAME }}</c> references need; the others are refused with a 400.</summary>
    public static readonly string[] Supported = [String, SecretString];
}
