namespace Herald.Server.Configs;

/// <summary>
/// A config as stored: the public document (no secrets in it) and the sealed secrets beside it.
/// <see cref="Version"/> grows by one on every update; caches key on it, and updates use it to detect races.
/// </summary>
public sealed record ConfigRecord(
    string OrgId,
    string Id,
    long Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    WebhookConfig Document,
    byte[] SealedSecrets)
{
    public string EventName => Document.EventName!;
}

/// <summary>The write-only values of one config, sealed together at rest.</summary>
public sealed record ConfigSecrets(
    string? SigningSecret,
    string? Password,
    string? ClientSecret,
    string? KeyValue);

public interface IConfigStore
{
    /// <summary>
    /// Stores a new config unless its organization already keeps <paramref name="maxPerOrganization"/> configs (false
    /// then). Counted and inserted as one step, so creates racing each other cannot pass the limit.
    /// </summary>
    Task<bool> InsertAsync(ConfigRecord record, int maxPerOrganization, CancellationToken cancellationToken);

    /// <summary>Whether the organization keeps any config.</summary>
    Task<bool> AnyAsync(string orgId, CancellationToken cancellationToken);

    Task<ConfigRecord?> GetAsync(string orgId, string id, CancellationToken cancellationToken);

    /// <summary>The organization's configs, oldest first, optionally only those for one event name.</summary>
    Task<IReadOnlyList<ConfigRecord>> ListAsync(string orgId, string? eventName, CancellationToken cancellationToken);

    /// <summary>
    /// At most <paramref name="limit"/> of the organization's configs in <see cref="ListAsync"/>'s order, starting after
    /// <paramref name="after"/> (a record of the page before; null for the first page).
    /// </summary>
    Task<IReadOnlyList<ConfigRecord>> ListPageAsync(string orgId, string? eventName, ConfigRecord? after, int limit, CancellationToken cancellationToken);

    /// <summary>Replaces the config if its stored version is still <paramref name="expectedVersion"/>.</summary>
    Task<bool> UpdateAsync(ConfigRecord record, long expectedVersion, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(string orgId, string id, CancellationToken cancellationToken);

    /// <summary>
    /// Sets <c>eventVersion</c> if the config has none yet, leaving its version and update time alone: the first
    /// delivery of an Event Catalog event pins the config to that event's version. False when the config is gone or
    /// already pinned.
    /// </summary>
    Task<bool> BackfillEventVersionAsync(string orgId, string id, string eventVersion, CancellationToken cancellationToken);
}
