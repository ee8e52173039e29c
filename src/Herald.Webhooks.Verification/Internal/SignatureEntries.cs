namespace Herald.Webhooks.Verification.Internal;

/// <summary>
/// The entries of a <c>webhook-signature</c> header: space-separated <c>version,base64</c>. Malformed entries and
/// unknown versions are skipped, not errors, so a producer may add schemes a receiver does not know.
/// </summary>
internal static class SignatureEntries
{
    public static IEnumerable<(string Version, byte[] Signature)> Parse(string header)
    {
        foreach (var entry in header.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = entry.IndexOf(',', StringComparison.Ordinal);
            if (comma <= 0)
            {
                continue;
            }
            var signature = new byte[64];
            if (Convert.TryFromBase64String(entry[(comma + 1)..], signature, out var length))
            {
                yield return (entry[..comma], signature[..length]);
            }
        }
    }
}
