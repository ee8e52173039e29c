using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using NSec.Cryptography;

namespace Herald.Webhooks.Verification.Tests.Support;

/// <summary>
/// Signatures made here, apart from the library (HMAC-SHA256 from the base library, Ed25519 from NSec), and
/// verifiers on a fixed clock.
/// </summary>
public static class TestSigning
{
    public const string Id = "msg_0192f7a3c1d84e6f9a0b1c2d3e4f5a6b";
    public const long Timestamp = 1_767_225_600; // 2026-01-01T00:00:00Z
    public const string Body = """{"metadata":{"webhook_id":"cfg"},"entity":{"name":"Zoë","amount":12.5}}""";

    public static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

    public static byte[] Content(string id, long timestamp, string body) => Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}");

    public static string V1(string secret, string id = Id, long timestamp = Timestamp, string body = Body) =>
        "v1," + Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(secret["whsec_".Length..]), Content(id, timestamp, body)));

    public static Key NewKey() => Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });

    /// <summary>The public key as PEM SubjectPublicKeyInfo, exported by NSec (not by the library).</summary>
    public static string Pem(Key key) => Encoding.ASCII.GetString(key.PublicKey.Export(KeyBlobFormat.PkixPublicKeyText));

    public static string V1a(Key key, string id = Id, long timestamp = Timestamp, string body = Body) =>
        "v1a," + Convert.ToBase64String(SignatureAlgorithm.Ed25519.Sign(key, Content(id, timestamp, body)));

    public static FakeTimeProvider ClockAt(long unixSeconds) => new(DateTimeOffset.FromUnixTimeSeconds(unixSeconds));

    public static HeraldWebhookVerifier Verifier(long now = Timestamp, IEnumerable<string>? secrets = null, IEnumerable<string>? publicKeys = null, TimeSpan? tolerance = null)
    {
        var options = new HeraldWebhookOptions { TimeProvider = ClockAt(now) };
        foreach (var secret in secrets ?? [])
        {
            options.SigningSecrets.Add(secret);
        }
        foreach (var key in publicKeys ?? [])
        {
            options.PublicKeys.Add(key);
        }
        if (tolerance is { } t)
        {
            options.Tolerance = t;
        }
        return new HeraldWebhookVerifier(options);
    }
}
