using System.Collections.Concurrent;
using Herald.Server.Http;
using Herald.Server.Secrets;
using NSec.Cryptography;

namespace Herald.Server.Signing;

/// <summary>
/// Gives each organization its Ed25519 key pairs: the active one, created on first use, and during a rotation's overlap
/// the one it replaced. What an organization's keys are is kept in memory for at most <see cref="RefreshInterval"/>,
/// and never past the moment a retiring key stops signing, so a rotation on another node is taken up within that
/// interval and a retired key never signs; a rotation on this node is taken up at once. The database decides the
/// winner when two nodes create a first key at the same time.
/// </summary>
public sealed class OrgKeys(IOrgKeyStore store, SecretBox secrets, SigningOptions options, TimeProvider time)
{
    /// <summary>How long this node trusts what it read of an organization's keys.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(1);

    private static readonly SignatureAlgorithm Ed25519 = SignatureAlgorithm.Ed25519;

    private readonly ConcurrentDictionary<OrganizationId, InUse> _inUse = new();

    /// <summary>The organization's active key if it has one; never creates one.</summary>
    public async Task<OrgSigningKey?> FindAsync(OrganizationId orgId, CancellationToken cancellationToken) =>
        (await KeysAsync(orgId, create: false, cancellationToken))?.Keys[0];

    public async Task<OrgSigningKey> GetOrCreateAsync(OrganizationId orgId, CancellationToken cancellationToken) =>
        (await KeysAsync(orgId, create: true, cancellationToken))!.Keys[0];

    /// <summary>
    /// The keys that sign the organization's deliveries now, newest (active) first, then one still retiring; the first
    /// is created on first use; none when <paramref name="create"/> is false and the organization has no key.
    /// </summary>
    public async Task<IReadOnlyList<OrgSigningKey>> InUseAsync(OrganizationId orgId, bool create, CancellationToken cancellationToken) =>
        (await KeysAsync(orgId, create, cancellationToken))?.Keys ?? [];

    /// <summary>The private keys that sign the organization's deliveries, the active one first, created on first use.</summary>
    public async Task<IReadOnlyList<Key>> SigningKeysAsync(OrganizationId orgId, CancellationToken cancellationToken)
    {
        var inUse = (await KeysAsync(orgId, create: true, cancellationToken))!;
        return inUse.Opened ??= inUse.Keys.Select(OpenPrivateKey).ToArray();
    }

    /// <summary>
    /// Starts a rotation: a new key becomes the active one, the one it replaces signs beside it for
    /// <see cref="SigningOptions.RotationOverlap"/>, and a key still retiring from an earlier rotation stops now.
    /// Returns the keys that sign from now on, newest first.
    /// </summary>
    public async Task<IReadOnlyList<OrgSigningKey>> RotateAsync(OrganizationId orgId, CancellationToken cancellationToken)
    {
        var key = Create(orgId);
        var keys = await store.RotateAsync(key, key.CreatedAt + options.RotationOverlap, cancellationToken);
        _inUse.TryRemove(orgId, out _);
        return keys;
    }

    /// <summary>Deletes the keys whose overlap has ended, of every organization; returns how many went.</summary>
    public Task<int> DeleteRetiredAsync(CancellationToken cancellationToken) => store.DeleteRetiredAsync(time.GetUtcNow(), cancellationToken);

    /// <summary>The private key of a stored pair, opened with the master key.</summary>
    public Key OpenPrivateKey(OrgSigningKey key)
    {
        var seed = secrets.Open(key.SealedPrivateKey, Owner(key));
        return Key.Import(Ed25519, seed, KeyBlobFormat.RawPrivateKey);
    }

    private async Task<InUse?> KeysAsync(OrganizationId orgId, bool create, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_inUse.TryGetValue(orgId, out var cached) && now < cached.Until)
        {
            return cached;
        }
        var keys = await store.GetSigningKeysAsync(orgId, now, cancellationToken);
        if (keys.Count == 0 || keys[0].RetiredAt is not null)
        {
            if (!create)
            {
                // Only keys found are cached: a miss costs a read, and names that have no key take no memory.
                return null;
            }
            await store.InsertIfNoneActiveAsync(Create(orgId), cancellationToken);
            keys = await store.GetSigningKeysAsync(orgId, now, cancellationToken);
        }
        var until = keys.Where(k => k.RetiredAt is not null).Select(k => k.RetiredAt!.Value).Append(now + RefreshInterval).Min();
        // Opened keys are not disposed when an entry is replaced: a delivery may still be signing with them; their
        // memory goes with the garbage collector.
        var fresh = new InUse(keys, until) { Opened = Reuse(cached, keys) };
        _inUse[orgId] = fresh;
        return fresh;
    }

    /// <summary>The opened keys of the entry before, when it held exactly the same keys.</summary>
    private static Key[]? Reuse(InUse? before, IReadOnlyList<OrgSigningKey> keys) =>
        before?.Opened is { } opened && before.Keys.Select(k => k.KeyId).SequenceEqual(keys.Select(k => k.KeyId)) ? opened : null;

    private OrgSigningKey Create(OrganizationId orgId)
    {
        using var key = Key.Create(Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        var publicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        var keyId = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(publicKey).AsSpan(0, 8));
        var record = new OrgSigningKey { OrgId = orgId, KeyId = keyId, CreatedAt = time.GetUtcNow(), PublicKey = publicKey, SealedPrivateKey = [] };
        return record with { SealedPrivateKey = secrets.Seal(key.Export(KeyBlobFormat.RawPrivateKey), Owner(record)) };
    }

    /// <summary>Where organizations' private keys are sealed, each for the owner <c>org-key:{org}:{key id}</c>.</summary>
    public static readonly SealedColumn Column = new("org_signing_keys", "key_id", "private_key", "org-key");

    private static string Owner(OrgSigningKey key) => Column.Owner(key.OrgId.Value, key.KeyId);

    /// <summary>What this node read of an organization's keys, trusted until <see cref="Until"/>; its private keys once opened.</summary>
    private sealed record InUse(IReadOnlyList<OrgSigningKey> Keys, DateTimeOffset Until)
    {
        public Key[]? Opened { get; set; }
    }
}
