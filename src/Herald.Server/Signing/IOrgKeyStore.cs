using Herald.Server.Http;

namespace Herald.Server.Signing;

/// <summary>Storage of organization signing keys.</summary>
public interface IOrgKeyStore
{
    /// <summary>Keys that still sign: the active one (no <c>RetiredAt</c>) first, then those retiring after <paramref name="now"/>, newest first.</summary>
    Task<IReadOnlyList<OrgSigningKey>> GetSigningKeysAsync(OrganizationId orgId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="key"/> unless the organization already has an active key; returns the active key either way.</summary>
    Task<OrgSigningKey> InsertIfNoneActiveAsync(OrgSigningKey key, CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction: the organization's active key retires at <paramref name="retireAt"/>, a key still retiring
    /// from an earlier rotation retires at once (<paramref name="key"/>'s <c>CreatedAt</c>), so at most two keys sign,
    /// and <paramref name="key"/> becomes the active one. Returns the keys that sign then, as
    /// <see cref="GetSigningKeysAsync"/> answers them.
    /// </summary>
    Task<IReadOnlyList<OrgSigningKey>> RotateAsync(OrgSigningKey key, DateTimeOffset retireAt, CancellationToken cancellationToken);

    /// <summary>Deletes the keys retired at or before <paramref name="now"/>, of every organization; returns how many went.</summary>
    Task<int> DeleteRetiredAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
