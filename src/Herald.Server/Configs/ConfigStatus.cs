namespace Herald.Server.Configs;

/// <summary>
/// The derived <c>status</c>: <c>incomplete</c> when the url, or a value the auth type needs, is missing;
/// <c>inactive</c> when disabled; otherwise <c>active</c>.
/// </summary>
public static class ConfigStatus
{
    public const string Active = "active";
    public const string Inactive = "inactive";
    public const string Incomplete = "incomplete";

    public static string Derive(WebhookConfig config, ConfigSecrets secrets)
    {
        if (string.IsNullOrWhiteSpace(config.Url) || !AuthIsComplete(config.Auth, secrets))
        {
            return Incomplete;
        }
        return config.Enabled == false ? Inactive : Active;
    }

    private static bool AuthIsComplete(Auth? auth, ConfigSecrets secrets) => auth?.AuthType switch
    {
        null or "NONE" => true,
        "BASIC" => Filled(auth.BasicAuthConfig?.Username) && Filled(secrets.Password),
        "API_KEY" => Filled(auth.ApiKeyConfig?.KeyName) && Filled(secrets.KeyValue),
        "OAUTH_CLIENT_CREDENTIALS" => Filled(auth.OAuthConfig?.ClientId) && Filled(auth.OAuthConfig?.Endpoint) && Filled(secrets.ClientSecret),
        _ => false,
    };

    private static bool Filled(string? value) => !string.IsNullOrWhiteSpace(value);
}
