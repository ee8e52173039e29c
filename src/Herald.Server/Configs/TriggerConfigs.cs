using Herald.Server.Http;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Herald.Server.Storage;

namespace Herald.Server.Configs;

/// <summary>
/// The configs as triggers read them. On SQLite, where one Herald process owns the database, every config write goes
/// through this process's store, so a config read once stays right until the next write, which drops every entry
/// (<see cref="ConfigChanges"/>). A trigger then costs no database read, no JSON and no decryption for its config. On
/// PostgreSQL, where other nodes write configs too, every trigger reads its config.
/// The records handed out are shared between triggers: nothing on the trigger and delivery paths changes them.
/// </summary>
public sealed class TriggerConfigs(IConfigStore store, ConfigChanges changes, ConfigSecretsBox box, StorageOptions storage)
{
    /// <summary>Beyond this many entries the cache starts over, which bounds its memory whatever the number of configs.</summary>
    public const int MaxEntries = 10_000;

    private readonly bool _caching = storage.Provider == StorageProvider.Sqlite;
    private readonly ConcurrentDictionary<(OrganizationId OrgId, ConfigId Id), Entry> _entries = new();
    private readonly ConditionalWeakTable<ConfigRecord, ConfigSecrets> _opened = new();
    private readonly ConditionalWeakTable<ConfigRecord, ConfigSecrets>.CreateValueCallback _open = box.Open;

    public async Task<ConfigRecord?> GetAsync(OrganizationId orgId, ConfigId id, CancellationToken cancellationToken)
    {
        if (!_caching)
        {
            return await store.GetAsync(orgId, id, cancellationToken);
        }
        // Taken before the read: a write that lands during the read leaves the entry stale-marked, never stale and trusted.
        var generation = changes.Generation;
        if (_entries.TryGetValue((orgId, id), out var entry) && entry.Generation == generation)
        {
            return entry.Record;
        }
        var record = await store.GetAsync(orgId, id, cancellationToken);
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }
        _entries[(orgId, id)] = new Entry(generation, record);
        return record;
    }

    /// <summary>The record's secrets, opened once per record instance.</summary>
    public ConfigSecrets SecretsOf(ConfigRecord record) => _opened.GetValue(record, _open);

    private sealed record Entry(long Generation, ConfigRecord? Record);
}
