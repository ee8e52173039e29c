using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace Herald.Server.Signing;

/// <summary>
/// The Standard Webhooks signature of one request (wire-format section 2): over the UTF-8 bytes of
/// <c>webhook-id + "." + webhook-timestamp + "." + body</c>, a <c>v1a</c> entry per Ed25519 key and a <c>v1</c>
/// HMAC-SHA256 entry with the config's signing secret, space-separated.
/// </summary>
public static class WebhookSignature
{
    public const string SecretPrefix = "whsec_";

    /// <summary><c>msg_</c> + 32 lowercase hex characters of the event id: the same on every retry and replay.</summary>
    public static string MessageId(Guid eventId) => "msg_" + eventId.ToString("N");

    public static byte[] SignedContent(string messageId, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{messageId}.{timestamp}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return content;
    }

    /// <summary><c>v1,</c> + base64 HMAC-SHA256 with the key decoded from a <c>whsec_</c> secret.</summary>
    public static string V1(string signingSecret, ReadOnlySpan<byte> signedContent)
    {
        var encoded = signingSecret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? signingSecret[SecretPrefix.Length..] : signingSecret;
        var key = Convert.FromBase64String(encoded);
        if (key.Length == 0)
        {
            throw new ArgumentException("The signing secret is empty", nameof(signingSecret));
        }
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signedContent));
    }

    /// <summary><c>v1a,</c> + base64 Ed25519 signature (RFC 8032, pure).</summary>
    public static string V1a(Key privateKey, ReadOnlySpan<byte> signedContent) =>
        "v1a," + Convert.ToBase64String(SignatureAlgorithm.Ed25519.Sign(privateKey, signedContent));

    /// <summary>The <c>webhook-signature</c> header value: every <c>v1a</c> entry first, then <c>v1</c> when a secret is given.</summary>
    public static string Header(IEnumerable<Key> orgKeys, string? signingSecret, ReadOnlySpan<byte> signedContent) =>
        Header(orgKeys, string.IsNullOrEmpty(signingSecret) ? [] : [signingSecret], signedContent);

    /// <summary>
    /// The <c>webhook-signature</c> header value: every <c>v1a</c> entry first, then one <c>v1</c> entry per secret in
    /// the order given (newest first during a rotation's overlap, wire-format section 2).
    /// </summary>
    public static string Header(IEnumerable<Key> orgKeys, IReadOnlyList<string> signingSecrets, ReadOnlySpan<byte> signedContent)
    {
        var entries = new List<string>();
        foreach (var key in orgKeys)
        {
            entries.Add(V1a(key, signedContent));
        }
        foreach (var secret in signingSecrets)
        {
            if (!string.IsNullOrEmpty(secret))
            {
                entries.Add(V1(secret, signedContent));
            }
        }
        return string.Join(' ', entries);
    }
}
