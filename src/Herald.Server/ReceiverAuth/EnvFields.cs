using Herald.Server.Configs;
using Herald.Server.Environments;

namespace Herald.Server.ReceiverAuth;

/// <summary>One config field that may hold <c>{{ env.NAME }}</c> references, named by its path in the config.</summary>
public sealed record EnvField(string Path, string? Text, bool WholeValue = false);

/// <summary>
/// The fields of a config that env references may stand in (wire-format section 5), resolved together. Pure:
/// the url, the custom header values that will be sent, and the fields of the config's auth type.
/// </summary>
public static class EnvFields
{
    public const string Url = "url";
    public const string BasicUsername = "auth.basicAuthConfig.username";
    public const string BasicPassword = "auth.basicAuthConfig.password";
    public const string ApiKeyValue = "auth.apiKeyConfig.keyValue";
    public const string OAuthEndpoint = "auth.oauthConfig.endpoint";
    public const string OAuthClientId = "auth.oauthConfig.clientId";
    public const string OAuthClientSecret = "auth.oauthConfig.clientSecret";

    public static string Header(string name) => $"payloadConfiguration.custom_headers.{name}";

    public static IReadOnlyList<EnvField> Of(WebhookConfig config, ConfigSecrets secrets, IEnumerable<KeyValuePair<string, string>> customHeaders)
    {
        var fields = new List<EnvField> { new(Url, config.Url) };
        fields.AddRange(customHeaders.Select(h => new EnvField(Header(h.Key), h.Value)));
        var auth = config.Auth;
        switch (auth?.AuthType)
        {
            case "BASIC" when auth.BasicAuthConfig is { } basic:
                fields.Add(new(BasicUsername, basic.Username));
                fields.Add(new(BasicPassword, secrets.Password, basic.PasswordIsEnvVar == true));
                break;
            case "API_KEY" when auth.ApiKeyConfig is { } apiKey:
                fields.Add(new(ApiKeyValue, secrets.KeyValue, apiKey.KeyValueIsEnvVar == true));
                break;
            case "OAUTH_CLIENT_CREDENTIALS" when auth.OAuthConfig is { } oauth:
                fields.Add(new(OAuthEndpoint, oauth.Endpoint));
                fields.Add(new(OAuthClientId, oauth.ClientId));
                fields.Add(new(OAuthClientSecret, secrets.ClientSecret, oauth.ClientSecretIsEnvVar == true));
                break;
        }
        return fields;
    }

    /// <summary>Every variable name the fields refer to, each once.</summary>
    public static IReadOnlyCollection<string> Names(IEnumerable<EnvField> fields) =>
        fields.SelectMany(f => EnvReferences.NamesIn(f.Text, f.WholeValue)).ToHashSet(StringComparer.Ordinal);

    /// <summary>Each field's resolved text by path, or the first field that cannot be resolved and why.</summary>
    public static (IReadOnlyDictionary<string, string?>? Resolved, string? Error) Resolve(IEnumerable<EnvField> fields, IReadOnlyDictionary<string, string> values)
    {
        var resolved = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            var resolution = EnvReferences.Resolve(field.Text, field.WholeValue, values);
            if (resolution.Error is { } error)
            {
                return (null, $"{field.Path} {error}");
            }
            resolved[field.Path] = resolution.Value;
        }
        return (resolved, null);
    }
}
