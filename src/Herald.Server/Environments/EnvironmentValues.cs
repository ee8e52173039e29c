using Herald.Server.Http;

namespace Herald.Server.Environments;

/// <summary>
/// The values <c>{{ env.NAME }}</c> references resolve to, read per organization at send time, so a changed
/// variable takes effect on the next attempt. Secrets are opened only here, only for the names asked for.
/// </summary>
public sealed class EnvironmentValues(IEnvironmentStore store, EnvironmentSecrets secrets)
{
    private static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>();

    /// <summary>
    /// The defined values among <paramref name="names"/>; a variable without a value is left out. The values of
    /// <c>SecretString</c> variables are added to <paramref name="mask"/>, so that no message of the attempt shows them.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> ForAsync(OrganizationId orgId, IReadOnlyCollection<string> names, SecretMask mask, CancellationToken cancellationToken)
    {
        if (names.Count == 0)
        {
            return None;
        }
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var record in await store.GetManyAsync(orgId, names, cancellationToken))
        {
            if (secrets.ValueOf(record) is { } value)
            {
                values[record.Key] = value;
                if (record.SealedValue is not null)
                {
                    mask.Add(value);
                }
            }
        }
        return values;
    }
}
