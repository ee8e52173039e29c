namespace Herald.Server.Environments;

/// <summary>
/// One organization variable as stored. A <c>String</c> keeps its value in <see cref="Value"/>; a
/// <c>SecretString</c> keeps it only sealed in <see cref="SealedValue"/> (bound to organization and key), never in
/// the clear. Both are null for a variable without a value. <see cref="Version"/> grows by one on every update.
/// </summary>
public sealed record EnvironmentRecord(
    string OrgId,
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

public interface IEnvironmentStore
{
    /// <summary>Adds the variable unless the organization already has one with that key; false when it has.</summary>
    Task<bool> InsertAsync(EnvironmentRecord record, CancellationToken cancellationToken);

    Task<EnvironmentRecord?> GetAsync(string orgId, string key, CancellationToken cancellationToken);

    /// <summary>The variables among <paramref name="keys"/> that exist; unknown keys are left out.</summary>
    Task<IReadOnlyList<EnvironmentRecord>> GetManyAsync(string orgId, IReadOnlyCollection<string> keys, CancellationToken cancellationToken);

    /// <summary>The organization's variables, ordered by key.</summary>
    Task<IReadOnlyList<EnvironmentRecord>> ListAsync(string orgId, CancellationToken cancellationToken);

    /// <summary>Replaces the variable if its stored version is still <paramref name="expectedVersion"/>.</summary>
    Task<bool> UpdateAsync(EnvironmentRecord record, long expectedVersion, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(string orgId, string key, CancellationToken cancellationToken);
}
