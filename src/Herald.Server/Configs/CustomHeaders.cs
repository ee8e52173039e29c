namespace Herald.Server.Configs;

/// <summary>
/// Which of <c>payloadConfiguration.custom_headers</c> go on the wire (wire-format section 4). Pure. A custom
/// header may not override what Herald or the HTTP stack owns, so these names are dropped (case-insensitively):
/// <list type="bullet">
/// <item>auth and identity: <c>Authorization</c>, <c>Proxy-Authorization</c>, <c>User-Agent</c>, <c>x-epilot-org-id</c>, and the
/// receiver's API key header when the config uses one;</item>
/// <item>framing of the signed body: <c>Content-Type</c>, <c>Content-Length</c>, <c>Content-Encoding</c>, <c>Transfer-Encoding</c>,
/// <c>Expect</c>, and <c>Accept-Encoding</c> (Herald records the answer as sent, undecoded);</item>
/// <item>routing and hop-by-hop: <c>Host</c>, <c>Connection</c>, <c>Keep-Alive</c>, <c>Proxy-Connection</c>, <c>TE</c>, <c>Trailer</c>,
/// <c>Upgrade</c>, <c>Via</c>, <c>Forwarded</c>, <c>Max-Forwards</c>;</item>
/// <item>the families <c>webhook-*</c> (the signature headers), <c>x-forwarded-*</c>, <c>x-amz-*</c> and <c>x-amzn-*</c>.</item>
/// </list>
/// Names that are not valid HTTP field names are dropped too, and of names differing only in case the first wins.
/// The same name rule (<see cref="NameProblem"/>) holds the API key header name, which is refused instead.
/// </summary>
public static class CustomHeaders
{
    private static readonly HashSet<string> Blocked = new(StringComparer.OrdinalIgnoreCase)
    {
        "authorization", "proxy-authorization", "user-agent", "x-epilot-org-id",
        "content-type", "content-length", "content-encoding", "transfer-encoding", "expect", "accept-encoding",
        "host", "connection", "keep-alive", "proxy-connection", "te", "trailer", "upgrade", "via", "forwarded", "max-forwards",
    };

    private static readonly string[] BlockedPrefixes = ["webhook-", "x-forwarded-", "x-amz-", "x-amzn-"];

    public static bool IsBlocked(string name) =>
        Blocked.Contains(name) || BlockedPrefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase));

    /// <summary>The headers to send, in the config's order, before env resolution of their values.</summary>
    /// <param name="owned">Further names the config's auth sets (the API key header).</param>
    public static IReadOnlyList<KeyValuePair<string, string>> Allowed(IReadOnlyDictionary<string, string>? headers, params string?[] owned)
    {
        if (headers is null || headers.Count == 0)
        {
            return [];
        }
        var seen = new HashSet<string>(owned.OfType<string>(), StringComparer.OrdinalIgnoreCase);
        return headers.Where(h => NameProblem(h.Key) is null && seen.Add(h.Key)).ToList();
    }

    /// <summary>
    /// The config's custom headers that <see cref="Allowed"/> leaves out, each as <c>"name: why"</c>, in the config's
    /// order; null when every one is sent. Shown on the config as <c>ignoredHeaders</c> (a Herald extension), so that a
    /// header that never goes out is seen when the config is saved, not found missing at the receiver.
    /// </summary>
    public static List<string>? Ignored(WebhookConfig config)
    {
        var headers = config.PayloadConfiguration?.CustomHeaders;
        if (headers is null || headers.Count == 0)
        {
            return null;
        }
        var keyName = config.Auth?.AuthType == "API_KEY" ? config.Auth.ApiKeyConfig?.KeyName : null;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var ignored = new List<string>();
        foreach (var name in headers.Keys)
        {
            var why = NameProblem(name) is { } problem ? $"it {problem}"
                : keyName is not null && string.Equals(name, keyName, StringComparison.OrdinalIgnoreCase) ? "auth.apiKeyConfig.keyName sets this header"
                : !seen.Add(name) ? "another custom header has the same name in other letter case, and the first is sent"
                : null;
            if (why is not null)
            {
                ignored.Add($"{name}: {why}");
            }
        }
        return ignored.Count == 0 ? null : ignored;
    }

    /// <summary>
    /// Why <paramref name="name"/> cannot name a header Herald sends for a config (a custom header or the API key
    /// header), or null when it can: it must be an RFC 9110 token and not a name Herald or the HTTP stack owns.
    /// </summary>
    public static string? NameProblem(string name) =>
        !IsFieldName(name) ? "must be an HTTP header name of RFC 9110 token characters only (letters, digits and !#$%&'*+-.^_`|~)"
        : IsBlocked(name) ? $"must not be '{name}', a header that Herald or the HTTP stack sets itself"
        : null;

    /// <summary>What <see cref="IsSafeValue"/> allows, for messages.</summary>
    public const string ValueRule = "may hold only visible ASCII characters, spaces and tabs";

    /// <summary>
    /// A value that goes on the wire as it is: visible ASCII, space and tab. RFC 9110 also allows obs-text (bytes
    /// above 0x7F), but its meaning depends on the receiver's charset guess, so Herald refuses it; control
    /// characters (CR and LF split the request, the others are sent raw) are refused too.
    /// </summary>
    public static bool IsSafeValue(string value)
    {
        foreach (var c in value)
        {
            if (c != '\t' && c is < ' ' or > '~')
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>An RFC 9110 token: letters, digits and <c>!#$%&amp;'*+-.^_`|~</c>.</summary>
    public static bool IsFieldName(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c));
}
