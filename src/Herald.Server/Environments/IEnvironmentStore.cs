using Herald.Server.Http;

namespace Herald.Server.Environments;

public interface IEnvironmentStore
{
    /// <summary>Adds the variable unless the organization already has one with that key; false when it has.</summary>
    async Task<bool> InsertAsync(EnvironmentRecord record, CancellationToken cancellationToken) =>
        await InsertAsync(record, int.MaxValue, cancellationToken) == EnvironmentInsert.Inserted;

    /// <summary>
    /// Adds the variable unless the organization already has one with that key, or already keeps
    /// <paramref name="maxPerOrganization"/> variables (counted in the insert's own transaction, so creates racing each
    /// other cannot pass it).
    /// </summary>
    Task<EnvironmentInsert> InsertAsync(EnvironmentRecord record, int maxPerOrganization, CancellationToken cancellationToken);

    Task<EnvironmentRecord?> GetAsync(OrganizationId orgId, string key, CancellationToken cancellationToken);

    /// <summary>The variables among <paramref name="keys"/> that exist; unknown keys are left out.</summary>
    Task<IReadOnlyList<EnvironmentRecord>> GetManyAsync(OrganizationId orgId, IReadOnlyCollection<string> keys, CancellationToken cancellationToken);

    /// <summary>The organization's variables, ordered by key.</summary>
    Task<IReadOnlyList<EnvironmentRecord>> ListAsync(OrganizationId orgId, CancellationToken cancellationToken);

    /// <summary>Replaces the variable if its stored version is still <paramref name="expectedVersion"/>.</summary>
    Task<bool> UpdateAsync(EnvironmentRecord record, long expectedVersion, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(OrganizationId orgId, string key, CancellationToken cancellationToken);
}
