using System.Security.Cryptography;
using System.Text;
using Herald.Server.Configs;
using Herald.Server.Egress;

namespace Herald.Server.ReceiverAuth;

/// <summary>One OAuth client-credentials token request as it will go on the wire.</summary>
/// <param name="Form">The <c>application/x-www-form-urlencoded</c> body, or null when the fields travel in the query.</param>
public sealed record TokenRequest(Uri Url, string Method, IReadOnlyList<KeyValuePair<string, string>> Headers, string? Form)
{
    /// <summary>A digest of everything that makes the request (credentials included), to key cached tokens by.</summary>
    public string Fingerprint()
    {
        var text = new StringBuilder().Append(Method).Append('\n').Append(Url.AbsoluteUri).Append('\n').Append(Form).Append('\n');
        foreach (var (name, value) in Headers)
        {
            text.Append(name).Append(':').Append(value).Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}

/// <summary>
/// Builds the client-credentials token request of wire-format section 3 from a config's resolved OAuth fields.
/// Pure. The form carries <c>grant_type=client_credentials</c>, <c>client_id</c> and <c>client_secret</c> (left out
/// when the config has none); each <c>customParameterList</c> entry goes to the form (replacing a standard field of
/// the same name), the query string or a header, as its <c>type</c> says. Methods without a body (GET, DELETE, ...)
/// carry the form fields in the query string instead.
/// </summary>
public static class TokenRequests
{
    /// <summary>Headers a parameter may not set: they frame or route the token request itself.</summary>
    private static readonly HashSet<string> FramingHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "content-type", "content-length", "content-encoding", "transfer-encoding", "host", "connection", "keep-alive",
        "proxy-connection", "te", "trailer", "upgrade", "expect",
    };

    public static (TokenRequest? Request, string? Error) Build(
        string? endpoint, string? method, string? clientId, string? clientSecret, IEnumerable<CustomOAuthParameter>? parameters)
    {
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            return (null, $"{EnvFields.OAuthEndpoint} '{endpoint}' is not an absolute http(s) url");
        }
        method ??= "POST";
        var form = new List<KeyValuePair<string, string>> { new("grant_type", "client_credentials"), new("client_id", clientId ?? "") };
        if (clientSecret is not null)
        {
            form.Add(new("client_secret", clientSecret));
        }
        var query = new List<KeyValuePair<string, string>>();
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var parameter in parameters ?? [])
        {
            if (parameter.Key is not { Length: > 0 } key)
            {
                continue;
            }
            var value = parameter.Value ?? "";
            switch (parameter.Type)
            {
                case "body":
                    form.RemoveAll(f => f.Key == key);
                    form.Add(new(key, value));
                    break;
                case "query":
                    query.Add(new(key, value));
                    break;
                case "header" when CustomHeaders.IsFieldName(key) && !FramingHeaders.Contains(key):
                    if (!CustomHeaders.IsSafeValue(value))
                    {
                        return (null, $"auth.oauthConfig.customParameterList header '{key}' {CustomHeaders.ValueRule}");
                    }
                    headers.Add(new(key, value));
                    break;
            }
        }

        var carriesBody = WebhookSender.CarriesBody(method);
        if (!carriesBody)
        {
            query.InsertRange(0, form);
        }
        return (new TokenRequest(WithQuery(url, query), method, headers, carriesBody ? Encode(form, spaceAsPlus: true) : null), null);
    }

    private static Uri WithQuery(Uri url, IReadOnlyList<KeyValuePair<string, string>> query)
    {
        if (query.Count == 0)
        {
            return url;
        }
        var builder = new UriBuilder(url);
        var existing = builder.Query.TrimStart('?');
        builder.Query = existing.Length == 0 ? Encode(query, spaceAsPlus: false) : $"{existing}&{Encode(query, spaceAsPlus: false)}";
        return builder.Uri;
    }

    private static string Encode(IEnumerable<KeyValuePair<string, string>> fields, bool spaceAsPlus) =>
        string.Join('&', fields.Select(f => $"{Escape(f.Key, spaceAsPlus)}={Escape(f.Value, spaceAsPlus)}"));

    private static string Escape(string text, bool spaceAsPlus)
    {
        var escaped = Uri.EscapeDataString(text);
        return spaceAsPlus ? escaped.Replace("%20", "+", StringComparison.Ordinal) : escaped;
    }
}
