using Herald.Server.Http;

namespace Herald.Server.Signing;

/// <summary>
/// The configs whose replaced signing secret awaits deletion, and when. The secret itself stays sealed with the
/// config's other secrets; this is only the list the cleanup reads, so it need not open every config.
/// </summary>
public interface IRetiringSecretStore
{
    /// <summary>Notes (or moves) the config's deletion time.</summary>
    Task NoteAsync(OrganizationId orgId, ConfigId configId, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="max"/> configs whose time is at or before <paramref name="now"/>, earliest first.</summary>
    Task<IReadOnlyList<(OrganizationId OrgId, ConfigId ConfigId)>> DueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken);

    /// <summary>Forgets the config unless a later rotation has moved its time past <paramref name="now"/>.</summary>
    Task RemoveAsync(OrganizationId orgId, ConfigId configId, DateTimeOffset now, CancellationToken cancellationToken);
}
