namespace Herald.Webhooks.Verification;

/// <summary>
/// The stand-in Herald signs instead of the body of a <c>binary_multipart</c> delivery (its body is a multipart
/// form): per file part, in part order, the file's lowercase hex SHA-256, <c>.</c>, and the canonical JSON of its
/// attachment; several files joined with <c>\n</c>. <c>extraFields</c> are not signed.
/// </summary>
public static class HeraldMultipart
{
    /// <summary>The text whose UTF-8 bytes stand for the body in the signed content.</summary>
    /// <exception cref="ArgumentException">No file is given: Herald never sends a multipart delivery without one.</exception>
    public static string SignedContent(IEnumerable<HeraldSignedFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var lines = files.Select(file => file?.ToString() ?? throw new ArgumentException("A file is null", nameof(files))).ToList();
        if (lines.Count == 0)
        {
            throw new ArgumentException("A binary_multipart delivery signs at least one file", nameof(files));
        }
        return string.Join('\n', lines);
    }
}
