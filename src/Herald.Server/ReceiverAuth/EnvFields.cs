using Herald.Server.Configs;
using Herald.Server.Egress;
using Herald.Server.Environments;
using Herald.Server.Events;

namespace Herald.Server.ReceiverAuth;

/// <summary>One config field that may hold <c>{{ env.NAME }}</c> references, named by its path in the config.</summary>
/// <param name="Header">The name of the request header the value goes into ("" for a second field of the same
/// header), or null when it goes into no header of the receiver's request.</param>
public sealed record EnvField(string Path, string? Text, bool WholeValue = false, string? Header = null);

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
        fields.AddRange(customHeaders.Select(h => new EnvField(Header(h.Key), h.Value, Header: h.Key)));
        var auth = config.Auth;
        switch (auth?.AuthType)
        {
            case "BASIC" when auth.BasicAuthConfig is { } basic:
                fields.Add(new(BasicUsername, basic.Username, Header: "Authorization"));
                fields.Add(new(BasicPassword, secrets.Password, basic.PasswordIsEnvVar == true, Header: ""));
                break;
            case "API_KEY" when auth.ApiKeyConfig is { } apiKey:
                fields.Add(new(ApiKeyValue, secrets.KeyValue, apiKey.KeyValueIsEnvVar == true, Header: apiKey.KeyName ?? ""));
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

    /// <summary>
    /// Each field's resolved text by path, or why the first field that fails cannot be resolved: a missing variable
    /// (not retried, <c>ENV_VARIABLE_NOT_FOUND</c>) or a value too long (not retried). The header fields together may
    /// resolve to at most <paramref name="maxHeaderBytes"/> of names and values, any other field alone to as much;
    /// resolution stops at the limit, so many references to a long value are never built in full.
    /// </summary>
    public static (IReadOnlyDictionary<string, string?>? Resolved, Prepared.Fail? Failure) Resolve(
        IEnumerable<EnvField> fields, IReadOnlyDictionary<string, string> values, int maxHeaderBytes)
    {
        var resolved = new Dictionary<string, string?>(StringComparer.Ordinal);
        var headerBudget = maxHeaderBytes;
        foreach (var field in fields)
        {
            if (field.Header is not null)
            {
                headerBudget -= field.Header.Length;
            }
            var resolution = EnvReferences.Resolve(field.Text, field.WholeValue, values, field.Header is null ? maxHeaderBytes : Math.Max(headerBudget, -1));
            if (resolution.TooLong)
            {
                var message = field.Header is null
                    ? $"{field.Path} would resolve to more than {maxHeaderBytes} characters, the most {RequestHeaders.Setting} allows any field with env references"
                    : RequestHeaders.TooLarge(field.Path, maxHeaderBytes);
                return (null, new Prepared.Fail(DeliveryCode.InternalError, message, Retryable: false));
            }
            if (resolution.Error is { } error)
            {
                return (null, new Prepared.Fail(DeliveryCode.EnvVariableNotFound, $"{field.Path} {error}", Retryable: false));
            }
            if (field.Header is not null)
            {
                headerBudget -= resolution.Value?.Length ?? 0;
            }
            resolved[field.Path] = resolution.Value;
        }
        return (resolved, null);
    }
}
