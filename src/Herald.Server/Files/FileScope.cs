using Herald.Server.Http;

namespace Herald.Server.Files;

/// <summary>
/// Which references an organization's events may have read: a bucket of <c>Files:Buckets</c> (any when empty) and a
/// key under <c>Files:KeyPrefix</c> with <c>{organization}</c> replaced by the event's organization id. The event's
/// payload names the file, so without this rule one organization could have another's files delivered to itself.
/// Whatever the prefix, a key must be plain: no <c>.</c>/<c>..</c> or empty segment, no leading <c>/</c>, no
/// backslash or control character, also once percent-decoded; a bucket is one name of letters, digits, <c>.</c>,
/// <c>-</c> and <c>_</c>. Checked before anything is asked of the store.
/// </summary>
public sealed class FileScope
{
    public const string Placeholder = "{organization}";
    public const string OrganizationPrefix = Placeholder + "/";

    private readonly string _keyPrefix;
    private readonly HashSet<string> _buckets;

    private FileScope(string keyPrefix, IEnumerable<string> buckets)
    {
        _keyPrefix = keyPrefix;
        _buckets = new HashSet<string>(buckets, StringComparer.Ordinal);
    }

    /// <summary>The rule the settings describe; throws <see cref="InvalidSettingException"/> naming a setting Herald cannot use.</summary>
    public static FileScope From(FilesOptions options)
    {
        var prefix = options.KeyPrefix ?? "";
        if (prefix.Length > 0 && PrefixProblem(prefix) is { } problem)
        {
            throw new InvalidSettingException($"Files:KeyPrefix '{prefix}' {problem}");
        }
        for (var i = 0; i < options.Buckets.Count; i++)
        {
            if (!IsBucketName(options.Buckets[i]))
            {
                throw new InvalidSettingException($"Files:Buckets[{i}] '{options.Buckets[i]}' is not a bucket name: use letters, digits, '.', '-' and '_'");
            }
        }
        return new FileScope(prefix, options.Buckets);
    }

    /// <summary>Why <paramref name="organization"/>'s events may not read <paramref name="bucket"/>/<paramref name="key"/>, or null when they may.</summary>
    public string? Refusal(string organization, string bucket, string key)
    {
        var location = $"{bucket}/{key}";
        if (!IsBucketName(bucket))
        {
            return $"The file reference {location} names the bucket '{bucket}', which is not a bucket name (letters, digits, '.', '-' and '_')";
        }
        if (_buckets.Count > 0 && !_buckets.Contains(bucket))
        {
            return $"The file reference {location} names the bucket '{bucket}', which is not one of Files:Buckets";
        }
        if (KeyProblem(key) is { } problem)
        {
            return $"The file reference {location} {problem}; Herald reads only plain keys";
        }
        if (_keyPrefix.Length == 0)
        {
            return null;
        }
        if (SegmentProblem(organization) is not null || organization.IndexOfAny(['/', '%', '{', '}']) >= 0)
        {
            return $"The file reference {location} cannot be checked: the organization id '{organization}' cannot stand in a key prefix (Files:KeyPrefix)";
        }
        var prefix = _keyPrefix.Replace(Placeholder, organization, StringComparison.Ordinal);
        return key.StartsWith(prefix, StringComparison.Ordinal)
            ? null
            : $"The file reference {location} is not organization {organization}'s: its keys start with '{prefix}' (Files:KeyPrefix '{_keyPrefix}')";
    }

    /// <summary>What is wrong with a key, also once percent-decoded (as often as decoding changes it), or null.</summary>
    internal static string? KeyProblem(string key)
    {
        var spelled = key;
        for (var round = 0; round < 4; round++)
        {
            if (PathProblem(spelled) is { } problem)
            {
                return round == 0 ? problem : $"{problem} once percent-decoded";
            }
            var decoded = Uri.UnescapeDataString(spelled);
            if (decoded == spelled)
            {
                return null;
            }
            spelled = decoded;
        }
        return "is percent-encoded more than three times over";
    }

    private static string? PathProblem(string path)
    {
        if (path.Length == 0)
        {
            return "has an empty key";
        }
        if (path.StartsWith('/'))
        {
            return "starts with '/'";
        }
        foreach (var segment in path.Split('/'))
        {
            if (SegmentProblem(segment) is { } problem)
            {
                return problem;
            }
        }
        return null;
    }

    private static string? SegmentProblem(string segment) => segment switch
    {
        "" => "holds an empty segment ('//' or a trailing '/')",
        "." => "holds a '.' segment",
        ".." => "holds a '..' segment",
        _ when segment.Contains('\\') => "holds a backslash",
        _ when segment.Any(char.IsControl) => "holds a control character",
        _ => null,
    };

    private static string? PrefixProblem(string prefix)
    {
        if (!prefix.Contains(Placeholder, StringComparison.Ordinal))
        {
            return $"must contain {Placeholder}, so that each organization has keys of its own (or be empty, for a single-tenant install)";
        }
        if (prefix.Replace(Placeholder, "", StringComparison.Ordinal).IndexOfAny(['{', '}']) >= 0)
        {
            return $"holds a '{{' or '}}' that is not part of {Placeholder}";
        }
        if (prefix.StartsWith('/'))
        {
            return "must not start with '/'";
        }
        if (prefix.Contains('%'))
        {
            return "must not hold a '%'";
        }
        if (!prefix.EndsWith('/'))
        {
            return "must end with '/', so that one organization's prefix never starts another's";
        }
        return prefix[..^1].Split('/').Select(SegmentProblem).FirstOrDefault(p => p is not null);
    }

    private static bool IsBucketName(string bucket) =>
        bucket.Length > 0 && bucket.Any(c => c != '.') && bucket.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_');
}
