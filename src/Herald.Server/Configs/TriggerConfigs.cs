using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Herald.Server.Http;
using Herald.Server.Storage;
using Herald.Server.Storage.Postgres;
using Npgsql;

namespace Herald.Server.Configs;

/// <summary>
/// The configs as triggers read them. On SQLite, where one Herald process owns the database, every config write goes
/// through this process's store, so a config read once stays right until the next write, which drops every entry (<see
/// cref="ConfigChanges"/>; while a write is under way, from before its transaction until it has ended, triggers read
/// the database and nothing is kept). A trigger then costs no database read, no JSON and no decryption for its config.
/// On PostgreSQL, where other nodes write configs too, a trigger uses the record this node read last without reading
/// (<see cref="GetForTriggerAsync"/>), and the transaction that writes its event checks that the config's row is still
/// that version (<see cref="CheckUnchanged"/>, its stamp: <see cref="ConfigStamp"/>); when it is not, the transaction
/// fails and the trigger reads the config again and starts over, so a write committed on any node before a trigger is
/// written reaches that trigger. Other reads ask the database every time, and it answers only the row's stamp when the
/// row is the one this node read last: the document's JSON and the sealed secrets are sent, parsed and opened only
/// after a write.
/// The records handed out are shared between triggers: nothing on the trigger and delivery paths changes them.
/// </summary>
public sealed class TriggerConfigs(IConfigStore store, ConfigChanges changes, ConfigSecretsBox box, StorageOptions storage, ConfigsOptions? options = null)
{
    /// <summary>
    /// Beyond <c>Configs:TriggerCacheSize</c> entries the cache starts over, which bounds its memory whatever the number
    /// of configs.
    /// </summary>
    private readonly int _size = (options ?? new ConfigsOptions()).TriggerCacheSize;

    /// <summary>Configs this node keeps for triggers (for tests).</summary>
    internal int Cached => _entries.Count + _stampedEntries.Count;

    /// <summary>
    /// A stamped entry older than this is read in full again: a row's <c>xmin</c> repeats only after 2^32
    /// transactions, which no server runs in this time.
    /// </summary>
    public static readonly TimeSpan StampLifetime = TimeSpan.FromMinutes(10);

    private readonly bool _caching = storage.Provider == StorageProvider.Sqlite;
    private readonly PostgresConfigStore? _stamped = storage.Provider == StorageProvider.Postgres ? store as PostgresConfigStore : null;
    private readonly ConcurrentDictionary<(OrganizationId OrgId, ConfigId Id), Entry> _entries = new();
    private readonly ConcurrentDictionary<(OrganizationId OrgId, ConfigId Id), StampedEntry> _stampedEntries = new();
    private readonly ConditionalWeakTable<ConfigRecord, StrongBox<ConfigStamp>> _stamps = new();
    private readonly ConditionalWeakTable<ConfigRecord, ConfigSecrets> _opened = new();
    private readonly ConditionalWeakTable<ConfigRecord, ConfigSecrets>.CreateValueCallback _open = box.Open;

    public async Task<ConfigRecord?> GetAsync(OrganizationId orgId, ConfigId id, CancellationToken cancellationToken)
    {
        if (_stamped is not null)
        {
            return await GetStampedAsync(_stamped, orgId, id, cancellationToken);
        }
        if (!_caching)
        {
            return await store.GetAsync(orgId, id, cancellationToken);
        }
        // Taken before the read: a write that lands during the read leaves the entry stale-marked, never stale and trusted.
        // While a write of this process is under way, its commit may be visible already: read, and keep nothing.
        if (changes.Stable() is not { } generation)
        {
            return await store.GetAsync(orgId, id, cancellationToken);
        }
        if (_entries.TryGetValue((orgId, id), out var entry) && entry.Generation == generation)
        {
            return entry.Record;
        }
        var record = await store.GetAsync(orgId, id, cancellationToken);
        if (_entries.Count >= _size)
        {
            _entries.Clear();
        }
        _entries[(orgId, id)] = new Entry(generation, record);
        return record;
    }

    /// <summary>
    /// The config for a trigger, and whether it was read from the database just now (<c>Checked</c>). On PostgreSQL, the
    /// record this node read last is answered unread (not checked): the trigger's write must then go through
    /// <see cref="CheckUnchanged"/>, and a refusal based on it must be confirmed by <see cref="GetAsync"/> first.
    /// </summary>
    public async ValueTask<(ConfigRecord? Record, bool Checked)> GetForTriggerAsync(OrganizationId orgId, ConfigId id, CancellationToken cancellationToken)
    {
        if (_stamped is not null && _stampedEntries.TryGetValue((orgId, id), out var known)
            && Environment.TickCount64 - known.ReadAt <= (long)StampLifetime.TotalMilliseconds)
        {
            return (known.Record, false);
        }
        return (await GetAsync(orgId, id, cancellationToken), true);
    }

    /// <summary>
    /// On PostgreSQL: has the session's transaction fail (<see cref="IsChanged"/>) unless each record's config row is
    /// still the version the record was read from. Records read otherwise than through this class are not checked.
    /// </summary>
    public void CheckUnchanged(WriteSession session, IEnumerable<ConfigRecord> records)
    {
        if (_stamped is null)
        {
            return;
        }
        List<(OrganizationId, ConfigId, ConfigStamp)>? stamps = null;
        foreach (var record in records)
        {
            if (_stamps.TryGetValue(record, out var stamp))
            {
                (stamps ??= []).Add((record.OrgId, record.Id, stamp.Value));
            }
        }
        if (stamps is not null)
        {
            PostgresConfigStore.CheckStamps(session.As<PostgresWriteSession>(), stamps);
        }
    }

    /// <summary>Whether a write failed because a config it was checked against (<see cref="CheckUnchanged"/>) changed.</summary>
    public static bool IsChanged(Exception error) => error is PostgresException { SqlState: PostgresConfigStore.ChangedState };

    private async Task<ConfigRecord?> GetStampedAsync(PostgresConfigStore stamped, OrganizationId orgId, ConfigId id, CancellationToken cancellationToken)
    {
        var key = (orgId, id);
        var now = Environment.TickCount64;
        if (_stampedEntries.TryGetValue(key, out var known) && now - known.ReadAt > (long)StampLifetime.TotalMilliseconds)
        {
            known = null;
        }
        var read = await stamped.GetStampedAsync(orgId, id, known?.Stamp, cancellationToken);
        if (read is null)
        {
            _stampedEntries.TryRemove(key, out _);
            return null;
        }
        if (read.Record is null)
        {
            // The row is the version the entry was read from.
            return known!.Record;
        }
        if (_stampedEntries.Count >= _size)
        {
            _stampedEntries.Clear();
        }
        _stampedEntries[key] = new StampedEntry(read.Stamp, read.Record, now);
        _stamps.AddOrUpdate(read.Record, new StrongBox<ConfigStamp>(read.Stamp));
        return read.Record;
    }

    /// <summary>The record's secrets, opened once per record instance.</summary>
    public ConfigSecrets SecretsOf(ConfigRecord record) => _opened.GetValue(record, _open);

    private sealed record Entry(long Generation, ConfigRecord? Record);

    private sealed record StampedEntry(ConfigStamp Stamp, ConfigRecord Record, long ReadAt);
}
