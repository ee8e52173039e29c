using System.Security.Cryptography;
using NSec.Cryptography;

namespace Herald.Webhooks.Verification.Internal;

/// <summary>The secrets and public keys of <see cref="HeraldWebhookOptions"/>, decoded once and checked for form.</summary>
internal sealed class TrustedKeys
{
    private const string SecretPrefix = "whsec_";
    private const string RawPublicKeyPrefix = "whpk_";

    // SEQUENCE { SEQUENCE { OID 1.3.101.112 (Ed25519) } BIT STRING (32 bytes) }: RFC 8410 SubjectPublicKeyInfo.
    private static readonly byte[] SpkiPrefix = Convert.FromHexString("302a300506032b6570032100");

    private TrustedKeys(IReadOnlyList<byte[]> hmacKeys, IReadOnlyList<PublicKey> publicKeys)
    {
        HmacKeys = hmacKeys;
        PublicKeys = publicKeys;
    }

    public IReadOnlyList<byte[]> HmacKeys { get; }

    public IReadOnlyList<PublicKey> PublicKeys { get; }

    /// <exception cref="ArgumentException">A secret or key is malformed, or none is given.</exception>
    public static TrustedKeys From(HeraldWebhookOptions options)
    {
        var hmacKeys = options.SigningSecrets.Select((secret, i) => HmacKey(secret, $"SigningSecrets[{i}]")).ToList();
        var publicKeys = options.PublicKeys.Select((key, i) => Ed25519Key(key, $"PublicKeys[{i}]")).ToList();
        if (hmacKeys.Count == 0 && publicKeys.Count == 0)
        {
            throw new ArgumentException("HeraldWebhookOptions needs at least one SigningSecrets entry (whsec_...) or PublicKeys entry (PEM from getPublicKey)", nameof(options));
        }
        return new TrustedKeys(hmacKeys, publicKeys);
    }

    private static byte[] HmacKey(string? secret, string name)
    {
        var encoded = secret is not null && secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret;
        if (string.IsNullOrWhiteSpace(encoded))
        {
            throw new ArgumentException($"HeraldWebhookOptions.{name} is empty; a signing secret is whsec_ followed by base64", name);
        }
        try
        {
            return Convert.FromBase64String(encoded.Trim());
        }
        catch (FormatException)
        {
            throw new ArgumentException($"HeraldWebhookOptions.{name} is not whsec_ followed by base64", name);
        }
    }

    private static PublicKey Ed25519Key(string? text, string name)
    {
        var raw = RawPublicKey(text?.Trim() ?? "", name);
        return PublicKey.Import(SignatureAlgorithm.Ed25519, raw, KeyBlobFormat.RawPublicKey);
    }

    private static byte[] RawPublicKey(string text, string name)
    {
        byte[] der;
        if (text.StartsWith(RawPublicKeyPrefix, StringComparison.Ordinal))
        {
            var raw = TryBase64(text[RawPublicKeyPrefix.Length..]);
            return raw is { Length: 32 }
                ? raw
                : throw new ArgumentException($"HeraldWebhookOptions.{name} is not whpk_ followed by the base64 of 32 bytes", name);
        }
        if (PemEncoding.TryFind(text, out var fields))
        {
            if (text[fields.Label] is not "PUBLIC KEY")
            {
                throw new ArgumentException($"HeraldWebhookOptions.{name} is a PEM '{text[fields.Label]}', not a 'PUBLIC KEY'", name);
            }
            der = TryBase64(text[fields.Base64Data].ToString()) ?? [];
        }
        else
        {
            throw new ArgumentException($"HeraldWebhookOptions.{name} is neither a PEM public key (-----BEGIN PUBLIC KEY-----) nor whpk_ followed by base64", name);
        }
        if (der.Length != SpkiPrefix.Length + 32 || !der.AsSpan(0, SpkiPrefix.Length).SequenceEqual(SpkiPrefix))
        {
            throw new ArgumentException($"HeraldWebhookOptions.{name} is not an Ed25519 public key (SubjectPublicKeyInfo with OID 1.3.101.112)", name);
        }
        return der[SpkiPrefix.Length..];
    }

    private static byte[]? TryBase64(string text)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
