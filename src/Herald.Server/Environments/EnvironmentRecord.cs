using Herald.Server.Http;

namespace Herald.Server.Environments;

/// <summary>
/// One organization variable as stored. A <c>String</c> keeps its value in <see cref="Value"/>; a
/// <c>SecretString</c> keeps it only sealed in <see cref="SealedValue"/> (bound to organization and key), never in
/// the clear. Both are null for a variable without a value. <see cref="Version"/> grows by one on every update.
/// </summary>
public sealed record EnvironmentRecord(
    OrganizationId OrgId,
    string Key,
    string Type,
    string? Description,
    string? Group,
    bool Protected,
    string? Value,
    byte[]? SealedValue,
    long Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public bool HasValue => Value is not null || SealedValue is not null;
}
