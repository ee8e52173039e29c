using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Herald.Webhooks.Verification.Internal;
using NSec.Cryptography;

namespace Herald.Webhooks.Verification;

/// <summary>
/// Verifies Herald deliveries (Standard Webhooks): the three headers are present, <c>webhook-timestamp</c> lies within
/// the tolerance, and at least one entry of <c>webhook-signature</c> verifies over
/// <c>webhook-id + "." + webhook-timestamp + "." + body</c> with a trusted key: a <c>v1</c> entry (HMAC-SHA256,
/// compared in constant time) with one of the signing secrets, or a <c>v1a</c> entry (Ed25519) with one of the public
/// keys. Entries of other versions are ignored, so rotations (two <c>v1</c> or two <c>v1a</c> entries) just work.
/// Thread-safe; build one per set of keys and reuse it.
/// </summary>
public sealed class HeraldWebhookVerifier
{
    /// <summary>The message id header: the receiver's idempotency key, the same on every retry of an event.</summary>
    public const string IdHeader = "webhook-id";

    /// <summary>The attempt's Unix time in seconds.</summary>
    public const string TimestampHeader = "webhook-timestamp";

    /// <summary>The space-separated signature entries.</summary>
    public const string SignatureHeader = "webhook-signature";

    private readonly TrustedKeys _keys;
    private readonly TimeSpan _tolerance;
    private readonly TimeProvider _clock;

    /// <summary>A verifier trusting the secrets and keys of <paramref name="options"/> (copied now; later changes are not seen).</summary>
    /// <exception cref="ArgumentException">No secret or key is given, a secret is not <c>whsec_</c> + base64, a public key is not an Ed25519 PEM or <c>whpk_</c> key, or the tolerance is negative.</exception>
    public HeraldWebhookVerifier(HeraldWebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Tolerance < TimeSpan.Zero)
        {
            throw new ArgumentException("HeraldWebhookOptions.Tolerance must not be negative", nameof(options));
        }
        _keys = TrustedKeys.From(options);
        _tolerance = options.Tolerance;
        _clock = options.TimeProvider ?? TimeProvider.System;
    }

    /// <summary>A verifier of <c>v1</c> signatures with one or more signing secrets and the default tolerance.</summary>
    public static HeraldWebhookVerifier ForSecrets(params string[] signingSecrets)
    {
        var options = new HeraldWebhookOptions();
        foreach (var secret in signingSecrets)
        {
            options.SigningSecrets.Add(secret);
        }
        return new HeraldWebhookVerifier(options);
    }

    /// <summary>Verifies a delivery whose body is <paramref name="body"/>, exactly the bytes received.</summary>
    /// <returns>The verified message's id, timestamp and the scheme whose entry matched.</returns>
    /// <exception cref="WebhookVerificationException">Verification failed; the subtype says why.</exception>
    public VerifiedWebhook Verify(string? webhookId, string? webhookTimestamp, string? webhookSignature, ReadOnlySpan<byte> body)
    {
        var (id, timestamp, signature) = CheckHeaders(webhookId, webhookTimestamp, webhookSignature);
        var content = SignedContent(id, webhookTimestamp!, body);
        return Match(id, timestamp, signature, content);
    }

    /// <summary>Verifies a delivery whose body is <paramref name="body"/> (its UTF-8 bytes are checked).</summary>
    /// <exception cref="WebhookVerificationException">Verification failed; the subtype says why.</exception>
    public VerifiedWebhook Verify(string? webhookId, string? webhookTimestamp, string? webhookSignature, string body) =>
        Verify(webhookId, webhookTimestamp, webhookSignature, Encoding.UTF8.GetBytes(body ?? ""));

    /// <summary>Verifies a delivery from its headers (names matched case-insensitively) and body.</summary>
    /// <exception cref="WebhookVerificationException">Verification failed; the subtype says why.</exception>
    public VerifiedWebhook Verify(IEnumerable<KeyValuePair<string, string>> headers, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var list = headers as IReadOnlyCollection<KeyValuePair<string, string>> ?? headers.ToList();
        return Verify(Find(list, IdHeader), Find(list, TimestampHeader), Find(list, SignatureHeader), body);
    }

    /// <summary>
    /// Verifies a <c>binary_multipart</c> delivery: the signed content stands for the form with the received
    /// files' hashes and their attachments (<see cref="HeraldMultipart.SignedContent"/>), in part order.
    /// </summary>
    /// <exception cref="WebhookVerificationException">Verification failed; the subtype says why.</exception>
    public VerifiedWebhook VerifyMultipart(string? webhookId, string? webhookTimestamp, string? webhookSignature, IEnumerable<HeraldSignedFile> files) =>
        Verify(webhookId, webhookTimestamp, webhookSignature, Encoding.UTF8.GetBytes(HeraldMultipart.SignedContent(files)));

    private (string Id, DateTimeOffset Timestamp, string Signature) CheckHeaders(string? id, string? timestamp, string? signature)
    {
        Require(IdHeader, id);
        Require(TimestampHeader, timestamp);
        Require(SignatureHeader, signature);
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            throw new WebhookHeaderException(TimestampHeader, "webhook-timestamp is not a whole number of Unix seconds");
        }
        var sent = DateTimeOffset.FromUnixTimeSeconds(seconds);
        var now = _clock.GetUtcNow();
        if (now - sent > _tolerance)
        {
            throw new WebhookTimestampExpiredException(sent, now, _tolerance);
        }
        if (sent - now > _tolerance)
        {
            throw new WebhookTimestampInFutureException(sent, now, _tolerance);
        }
        return (id!, sent, signature!);
    }

    private static void Require(string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new WebhookHeaderException(name, $"The {name} header is missing or empty");
        }
    }

    private static byte[] SignedContent(string id, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return content;
    }

    private VerifiedWebhook Match(string id, DateTimeOffset timestamp, string header, byte[] content)
    {
        var macs = _keys.HmacKeys.Select(key => HMACSHA256.HashData(key, content)).ToList();
        var checkedEntries = 0;
        foreach (var (version, signature) in SignatureEntries.Parse(header))
        {
            switch (version)
            {
                case "v1" when macs.Count > 0:
                    checkedEntries++;
                    // Every secret is compared, match or not, in constant time each.
                    var matched = false;
                    foreach (var mac in macs)
                    {
                        matched |= CryptographicOperations.FixedTimeEquals(mac, signature);
                    }
                    if (matched)
                    {
                        return new VerifiedWebhook(id, timestamp, "v1");
                    }
                    break;
                case "v1a" when _keys.PublicKeys.Count > 0:
                    checkedEntries++;
                    if (_keys.PublicKeys.Any(key => SignatureAlgorithm.Ed25519.Verify(key, content, signature)))
                    {
                        return new VerifiedWebhook(id, timestamp, "v1a");
                    }
                    break;
            }
        }
        var trusted = string.Join(" or ", (macs.Count > 0 ? ["v1 (SigningSecrets)"] : Array.Empty<string>())
            .Concat(_keys.PublicKeys.Count > 0 ? ["v1a (PublicKeys)"] : Array.Empty<string>()));
        throw new WebhookSignatureMismatchException(checkedEntries == 0
            ? $"webhook-signature has no entry this verifier can check; it trusts {trusted}"
            : $"No entry of webhook-signature ({checkedEntries} checked) verifies with {trusted}: the body, webhook-id or webhook-timestamp was changed, or a key this verifier does not trust signed it");
    }

    private static string? Find(IReadOnlyCollection<KeyValuePair<string, string>> headers, string name) =>
        headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}
