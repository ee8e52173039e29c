namespace Herald.Server.Environments;

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
