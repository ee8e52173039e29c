using System.Text.Json.Serialization;
using Herald.Server.Http;

namespace Herald.Server.Configs;

/// <summary>
/// A config as stored: the public document (no secrets in it) and the sealed secrets beside it.
/// <see cref="Version"/> grows by one on every update; caches key on it, and updates use it to detect races.
/// </summary>
public sealed record ConfigRecord(
    OrganizationId OrgId,
    ConfigId Id,
    long Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    WebhookConfig Document,
    byte[] SealedSecrets)
{
    public string EventName => Document.EventName!;
}

/// <summary>
/// The write-only values of one config, sealed together at rest. After a signing-secret rotation,
/// <see cref="PreviousSigningSecret"/> is the secret it replaced, which signs beside the new one until
/// <see cref="PreviousSigningSecretUntil"/> (both absent otherwise, and from blobs sealed before rotations existed).
/// </summary>
public sealed record ConfigSecrets(
    string? SigningSecret,
    string? Password,
    string? ClientSecret,
    string? KeyValue,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PreviousSigningSecret = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? PreviousSigningSecretUntil = null);
