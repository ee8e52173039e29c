using Herald.Server.Http;
using Herald.Server.Storage;

namespace Herald.Server.Configs;

public interface IConfigStore
{
    /// <summary>
    /// Stores a new config unless its organization already keeps <paramref name="maxPerOrganization"/> configs (false
    /// then). Counted and inserted as one step, so creates racing each other cannot pass the limit.
    /// </summary>
    Task<bool> InsertAsync(ConfigRecord record, int maxPerOrganization, CancellationToken cancellationToken);

    /// <summary>Whether the organization keeps any config.</summary>
    Task<bool> AnyAsync(OrganizationId orgId, CancellationToken cancellationToken);

    Task<ConfigRecord?> GetAsync(OrganizationId orgId, ConfigId id, CancellationToken cancellationToken);

    /// <summary>The organization's configs, oldest first, optionally only those for one event name.</summary>
    Task<IReadOnlyList<ConfigRecord>> ListAsync(OrganizationId orgId, string? eventName, CancellationToken cancellationToken);

    /// <summary>
    /// At most <paramref name="limit"/> of the organization's configs in <see cref="ListAsync"/>'s order, starting after
    /// <paramref name="after"/> (a record of the page before; null for the first page).
    /// </summary>
    Task<IReadOnlyList<ConfigRecord>> ListPageAsync(OrganizationId orgId, string? eventName, ConfigRecord? after, int limit, CancellationToken cancellationToken);

    /// <summary>Replaces the config if its stored version is still <paramref name="expectedVersion"/>.</summary>
    Task<bool> UpdateAsync(ConfigRecord record, long expectedVersion, CancellationToken cancellationToken);

    /// <summary>
    /// As <see cref="UpdateAsync(ConfigRecord, long, CancellationToken)"/>, within <paramref name="session"/>'s
    /// transaction, so that what else it writes commits with the change or not at all. On SQLite the caller holds
    /// <see cref="ConfigChanges.Writing"/> from before the transaction until it has ended, committed or not.
    /// </summary>
    Task<bool> UpdateAsync(WriteSession session, ConfigRecord record, long expectedVersion, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(OrganizationId orgId, ConfigId id, CancellationToken cancellationToken);

    /// <summary>
    /// Sets <c>eventVersion</c> if the config has none yet, leaving its version and update time alone: the first
    /// delivery of an Event Catalog event pins the config to that event's version. False when the config is gone or
    /// already pinned.
    /// </summary>
    Task<bool> BackfillEventVersionAsync(OrganizationId orgId, ConfigId id, string eventVersion, CancellationToken cancellationToken);
}
