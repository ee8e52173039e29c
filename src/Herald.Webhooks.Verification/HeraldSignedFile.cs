using System.Security.Cryptography;

namespace Herald.Webhooks.Verification;

/// <summary>
/// One file part of a <c>binary_multipart</c> delivery as its signature covers it: the SHA-256 of the bytes
/// received and the attachment they stand for.
/// </summary>
public sealed class HeraldSignedFile
{
    private HeraldSignedFile(string sha256Hex, HeraldAttachment attachment)
    {
        Sha256Hex = sha256Hex;
        Attachment = attachment;
    }

    /// <summary>Lowercase hex SHA-256 of the file's bytes.</summary>
    public string Sha256Hex { get; }

    /// <summary>The attachment the file stands for.</summary>
    public HeraldAttachment Attachment { get; }

    /// <summary>A file held in memory.</summary>
    public static HeraldSignedFile FromBytes(ReadOnlySpan<byte> bytes, HeraldAttachment attachment)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        return new HeraldSignedFile(Convert.ToHexStringLower(SHA256.HashData(bytes)), attachment);
    }

    /// <summary>A file read from <paramref name="content"/> to its end (hashed while read; nothing is kept in memory).</summary>
    public static async Task<HeraldSignedFile> FromStreamAsync(Stream content, HeraldAttachment attachment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(attachment);
        var hash = await SHA256.HashDataAsync(content, cancellationToken).ConfigureAwait(false);
        return new HeraldSignedFile(Convert.ToHexStringLower(hash), attachment);
    }

    /// <summary>A file whose SHA-256 is already known (64 hex characters; case does not matter).</summary>
    /// <exception cref="ArgumentException">The hash is not 64 hex characters.</exception>
    public static HeraldSignedFile FromHash(string sha256Hex, HeraldAttachment attachment)
    {
        ArgumentNullException.ThrowIfNull(sha256Hex);
        ArgumentNullException.ThrowIfNull(attachment);
        if (sha256Hex.Length != 64 || !sha256Hex.All(char.IsAsciiHexDigit))
        {
            throw new ArgumentException("A SHA-256 is 64 hex characters", nameof(sha256Hex));
        }
        return new HeraldSignedFile(sha256Hex.ToLowerInvariant(), attachment);
    }

    /// <summary>This file's line of the signed content: <c>{sha256 hex}.{canonical attachment JSON}</c>.</summary>
    public override string ToString() => Sha256Hex + "." + Attachment.CanonicalJson();
}
