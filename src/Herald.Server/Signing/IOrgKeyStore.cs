using Herald.Server.Http;

namespace Herald.Server.Signing;

/// <summary>Storage of organization signing keys.</summary>
public interface IOrgKeyStore
{
    /// <summary>Keys that still sign: the active one (no <c>RetiredAt</c>) first, then those retiring after <paramref name="now"/>.</summary>
    Task<IReadOnlyList<OrgSigningKey>> GetSigningKeysAsync(OrganizationId orgId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="key"/> unless the organization already has an active key; returns the active key either way.</summary>
    Task<OrgSigningKey> InsertIfNoneActiveAsync(OrgSigningKey key, CancellationToken cancellationToken);
}
