namespace Herald.Server.Idempotency;

/// <summary>The <c>Idempotency-Key</c> request header: 1 to 255 printable ASCII characters, given at most once.</summary>
public static class IdempotencyKey
{
    public const string Header = "Idempotency-Key";

    /// <summary>Set on an answer that repeats an earlier one instead of doing the work again.</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    public const int MaxLength = 255;

    /// <summary>The key (null when the header is absent), or why the header is not a valid key.</summary>
    public static (string? Key, string? Error) Read(IHeaderDictionary headers)
    {
        if (!headers.TryGetValue(Header, out var values))
        {
            return (null, null);
        }
        if (values.Count != 1)
        {
            return (null, $"{Header} must be given once");
        }
        var key = values[0] ?? "";
        if (key.Trim().Length == 0)
        {
            return (null, $"{Header} must not be empty");
        }
        if (key.Length > MaxLength)
        {
            return (null, $"{Header} must be at most {MaxLength} characters");
        }
        if (key.Any(c => c is < ' ' or > '~'))
        {
            return (null, $"{Header} must consist of printable ASCII characters");
        }
        return (key, null);
    }
}
