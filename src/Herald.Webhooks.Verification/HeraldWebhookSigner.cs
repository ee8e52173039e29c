using System.Security.Cryptography;
using System.Text;
using Herald.Webhooks.Verification.Internal;

namespace Herald.Webhooks.Verification;

/// <summary>
/// Makes <c>v1</c> signatures as Herald does, for a receiver's own tests and tools (a request to try an endpoint
/// guarded by <see cref="HeraldSignatureFilter"/>). Herald itself signs real deliveries.
/// </summary>
public static class HeraldWebhookSigner
{
    /// <summary>
    /// <c>v1,</c> + base64 HMAC-SHA256 over <c>webhookId + "." + timestamp + "." + body</c> with the key of
    /// <paramref name="signingSecret"/> (<c>whsec_</c> + base64).
    /// </summary>
    /// <exception cref="ArgumentException">The secret is empty or not base64.</exception>
    public static string SignV1(string signingSecret, string webhookId, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(webhookId);
        var options = new HeraldWebhookOptions();
        options.SigningSecrets.Add(signingSecret);
        var key = TrustedKeys.From(options).HmacKeys[0];
        var prefix = Encoding.UTF8.GetBytes($"{webhookId}.{timestamp}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, content));
    }

    /// <summary>As <see cref="SignV1(string, string, long, ReadOnlySpan{byte})"/> over the UTF-8 bytes of <paramref name="body"/>.</summary>
    public static string SignV1(string signingSecret, string webhookId, long timestamp, string body) =>
        SignV1(signingSecret, webhookId, timestamp, Encoding.UTF8.GetBytes(body ?? ""));
}
