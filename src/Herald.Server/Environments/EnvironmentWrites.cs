using Herald.Server.Http;
using System.Text.Json.Nodes;

namespace Herald.Server.Environments;

/// <summary>What an update decided: the record to store, or why the update is refused (a 409).</summary>
public readonly record struct VariableUpdate(EnvironmentRecord? Record, string? Conflict);

/// <summary>
/// The pure half of create and update, from a validated body (and, for update, the stored variable) to the record
/// to store. A <c>SecretString</c> value goes through <paramref name="seal"/> and is never kept in the clear.
/// </summary>
public static class EnvironmentWrites
{
    public delegate byte[] Sealer(OrganizationId orgId, string key, string value);

    public static EnvironmentRecord Create(JsonObject body, OrganizationId orgId, string key, DateTimeOffset now, Sealer seal)
    {
        var type = Text(body, "type") ?? EnvironmentTypes.String;
        var (value, sealedValue) = Stored(type, Text(body, "value"), orgId, key, seal);
        return new EnvironmentRecord(orgId, key, type, Text(body, "description"), Text(body, "group"), Flag(body, "protected") ?? false,
            value, sealedValue, 1, now, now);
    }

    /// <summary>
    /// Members present replace, members omitted keep (a secret keeps its sealed value). The type may change only
    /// while the variable holds no value, as the contract's 409 says.
    /// </summary>
    public static VariableUpdate Update(JsonObject body, EnvironmentRecord stored, DateTimeOffset now, Sealer seal)
    {
        var type = Text(body, "type") ?? stored.Type;
        if (type != stored.Type && stored.HasValue)
        {
            return new(null, $"Cannot change the type of variable '{stored.Key}' from {stored.Type} to {type} while it holds a value");
        }
        var (value, sealedValue) = Text(body, "value") is { } given
            ? Stored(type, given, stored.OrgId, stored.Key, seal)
            : (stored.Value, stored.SealedValue);
        // updated_at must change on every update, even two within one clock tick.
        var updated = now > stored.UpdatedAt ? now : stored.UpdatedAt.AddMilliseconds(1);
        return new(stored with
        {
            Type = type,
            Description = Text(body, "description") ?? stored.Description,
            Group = Text(body, "group") ?? stored.Group,
            Protected = Flag(body, "protected") ?? stored.Protected,
            Value = value,
            SealedValue = sealedValue,
            Version = stored.Version + 1,
            UpdatedAt = updated,
        }, null);
    }

    private static (string? Value, byte[]? Sealed) Stored(string type, string? value, OrganizationId orgId, string key, Sealer seal) =>
        value is null ? (null, null)
        : type == EnvironmentTypes.SecretString ? (null, seal(orgId, key, value))
        : (value, null);

    private static string? Text(JsonObject body, string name) => body[name] is JsonValue value ? value.GetValue<string>() : null;

    private static bool? Flag(JsonObject body, string name) => body[name] is JsonValue value ? value.GetValue<bool>() : null;
}
