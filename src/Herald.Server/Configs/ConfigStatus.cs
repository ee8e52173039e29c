namespace Herald.Server.Configs;

/// <summary>
/// The derived <c>status</c>: <c>incomplete</c> when the url, or a value the auth type needs, is missing;
/// <c>inactive</c> when disabled; otherwise <c>active</c>. An incomplete config also carries <c>statusReason</c>
/// (a Herald extension) naming the fields that are missing.
/// </summary>
public static class ConfigStatus
{
    public const string Active = "active";
    public const string Inactive = "inactive";
    public const string Incomplete = "incomplete";

    public static string Derive(WebhookConfig config, ConfigSecrets secrets) =>
        Missing(config, secrets).Count > 0 ? Incomplete : config.Enabled == false ? Inactive : Active;

    /// <summary>Why the config is incomplete (<c>"url and auth.basicAuthConfig.password are missing"</c>), or null.</summary>
    public static string? Reason(WebhookConfig config, ConfigSecrets secrets) => Sentence(Missing(config, secrets));

    /// <summary>
    /// The reason for a stored incomplete config written before the reason was kept. Without its secrets, the
    /// missing fields that the document shows are named; when it shows none, the secret the auth type needs is.
    /// </summary>
    public static void FillReason(WebhookConfig config)
    {
        if (config.Status != Incomplete || config.StatusReason is not null)
        {
            return;
        }
        var shown = Missing(config, secrets: null);
        config.StatusReason = Sentence(shown.Count > 0 ? shown : Secrets(config.Auth));
    }

    /// <summary>The contract paths of the missing fields; secret fields count as present when <paramref name="secrets"/> is null.</summary>
    private static List<string> Missing(WebhookConfig config, ConfigSecrets? secrets)
    {
        var missing = new List<string>();
        if (!Filled(config.Url))
        {
            missing.Add("url");
        }
        var auth = config.Auth;
        switch (auth?.AuthType)
        {
            case null or "NONE":
                break;
            case "BASIC":
                Need(missing, auth.BasicAuthConfig?.Username, "auth.basicAuthConfig.username");
                NeedSecret(missing, secrets?.Password, secrets, "auth.basicAuthConfig.password");
                break;
            case "API_KEY":
                Need(missing, auth.ApiKeyConfig?.KeyName, "auth.apiKeyConfig.keyName");
                NeedSecret(missing, secrets?.KeyValue, secrets, "auth.apiKeyConfig.keyValue");
                break;
            case "OAUTH_CLIENT_CREDENTIALS":
                Need(missing, auth.OAuthConfig?.ClientId, "auth.oauthConfig.clientId");
                NeedSecret(missing, secrets?.ClientSecret, secrets, "auth.oauthConfig.clientSecret");
                Need(missing, auth.OAuthConfig?.Endpoint, "auth.oauthConfig.endpoint");
                break;
            default:
                missing.Add($"a supported auth.authType (not '{auth.AuthType}')");
                break;
        }
        return missing;
    }

    private static List<string> Secrets(Auth? auth) => auth?.AuthType switch
    {
        "BASIC" => ["auth.basicAuthConfig.password"],
        "API_KEY" => ["auth.apiKeyConfig.keyValue"],
        "OAUTH_CLIENT_CREDENTIALS" => ["auth.oauthConfig.clientSecret"],
        _ => ["a value the auth type needs"],
    };

    private static void Need(List<string> missing, string? value, string field)
    {
        if (!Filled(value))
        {
            missing.Add(field);
        }
    }

    private static void NeedSecret(List<string> missing, string? value, ConfigSecrets? secrets, string field)
    {
        if (secrets is not null)
        {
            Need(missing, value, field);
        }
    }

    private static string? Sentence(List<string> missing) => missing.Count switch
    {
        0 => null,
        1 => $"{missing[0]} is missing",
        _ => $"{string.Join(", ", missing[..^1])} and {missing[^1]} are missing",
    };

    private static bool Filled(string? value) => !string.IsNullOrWhiteSpace(value);
}
