using System.Collections.Concurrent;
using Herald.Server.Http;
using Herald.Server.Secrets;
using NSec.Cryptography;

namespace Herald.Server.Signing;

/// <summary>
/// Gives each organization its Ed25519 key pair, creating it on first use. Created keys are cached in memory;
/// the database decides the winner when two nodes create one at the same time.
/// </summary>
public sealed class OrgKeys(IOrgKeyStore store, SecretBox secrets, TimeProvider time)
{
    private static readonly SignatureAlgorithm Ed25519 = SignatureAlgorithm.Ed25519;

    private readonly ConcurrentDictionary<OrganizationId, OrgSigningKey> _active = new();

    /// <summary>The organization's active key if it has one; never creates one.</summary>
    public async Task<OrgSigningKey?> FindAsync(OrganizationId orgId, CancellationToken cancellationToken)
    {
        if (_active.TryGetValue(orgId, out var cached))
        {
            return cached;
        }
        // Only keys found are cached: a miss costs a read, and names that have no key take no memory.
        var active = (await store.GetSigningKeysAsync(orgId, time.GetUtcNow(), cancellationToken)).FirstOrDefault(k => k.RetiredAt is null);
        return active is null ? null : _active.GetOrAdd(orgId, active);
    }

    public async Task<OrgSigningKey> GetOrCreateAsync(OrganizationId orgId, CancellationToken cancellationToken)
    {
        if (_active.TryGetValue(orgId, out var cached))
        {
            return cached;
        }

        var keys = await store.GetSigningKeysAsync(orgId, time.GetUtcNow(), cancellationToken);
        var active = keys.FirstOrDefault(k => k.RetiredAt is null) ?? await store.InsertIfNoneActiveAsync(Create(orgId), cancellationToken);
        _active[orgId] = active;
        return active;
    }

    private readonly ConcurrentDictionary<OrganizationId, Key[]> _signing = new();

    /// <summary>
    /// The private keys that sign the organization's deliveries, the active one first, created on first use.
    /// Opened keys are kept in memory for the life of the process.
    /// </summary>
    public async Task<IReadOnlyList<Key>> SigningKeysAsync(OrganizationId orgId, CancellationToken cancellationToken)
    {
        if (_signing.TryGetValue(orgId, out var cached))
        {
            return cached;
        }
        var active = await GetOrCreateAsync(orgId, cancellationToken);
        var stored = await store.GetSigningKeysAsync(orgId, time.GetUtcNow(), cancellationToken);
        var opened = stored.Where(k => k.KeyId != active.KeyId).Prepend(active).Select(OpenPrivateKey).ToArray();
        return _signing.GetOrAdd(orgId, opened);
    }

    /// <summary>The private key of a stored pair, opened with the master key.</summary>
    public Key OpenPrivateKey(OrgSigningKey key)
    {
        var seed = secrets.Open(key.SealedPrivateKey, Owner(key));
        return Key.Import(Ed25519, seed, KeyBlobFormat.RawPrivateKey);
    }

    private OrgSigningKey Create(OrganizationId orgId)
    {
        using var key = Key.Create(Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        var publicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        var keyId = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(publicKey).AsSpan(0, 8));
        var record = new OrgSigningKey { OrgId = orgId, KeyId = keyId, CreatedAt = time.GetUtcNow(), PublicKey = publicKey, SealedPrivateKey = [] };
        return record with { SealedPrivateKey = secrets.Seal(key.Export(KeyBlobFormat.RawPrivateKey), Owner(record)) };
    }

    private static string Owner(OrgSigningKey key) => $"org-key:{key.OrgId}:{key.KeyId}";
}
