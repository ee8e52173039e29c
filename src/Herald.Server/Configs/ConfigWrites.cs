using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Herald.Server.Http;

namespace Herald.Server.Configs;

/// <summary>
/// The pure half of create and update: from a validated body (and, for update, the stored config) to the document
/// and secrets to store. Secrets leave the document here and never return to it.
/// </summary>
public static class ConfigWrites
{
    public const int DefaultMaxAttempts = 3;

    public static (WebhookConfig Document, ConfigSecrets Secrets) Create(JsonObject body, string id, DateTimeOffset now)
    {
        var config = body.Deserialize<WebhookConfig>(HeraldJson.Options)!;
        var secrets = new ConfigSecrets(
            NewSigningSecret(),
            config.Auth?.BasicAuthConfig?.Password,
            config.Auth?.OAuthConfig?.ClientSecret,
            config.Auth?.ApiKeyConfig?.KeyValue);

        config.Id = id;
        config.SigningSecretRotation = null;
        config.CreationTime = HeraldJson.Timestamp(now);
        config.UpdatedTime = config.CreationTime;
        config.Enabled ??= true;
        (config.DisabledReason, config.DisabledAt) = (null, null);
        config.RetryPolicy ??= new RetryPolicy { Enabled = true };
        config.RetryPolicy.MaxAttempts ??= DefaultMaxAttempts;
        return (Finish(config, secrets), secrets);
    }

    /// <summary>
    /// A PUT replaces the config, except: <c>retryPolicy</c>, <c>eventVersion</c> and <c>rateLimit</c> (an extension
    /// contract clients do not know) are kept when omitted, and each auth secret is kept when omitted, cleared by
    /// <c>null</c>, replaced by a string. The signing secrets (current and, after a rotation, previous) and
    /// <c>signingSecretRotation</c> are kept whatever the body says. A secret whose auth sub-object is gone is dropped
    /// with it. <c>disabledReason</c> and <c>disabledAt</c> are Herald's: kept while the config stays disabled, cleared
    /// when it is enabled again.
    /// </summary>
    public static (WebhookConfig Document, ConfigSecrets Secrets, DateTimeOffset UpdatedAt) Update(JsonObject body, ConfigRecord stored, ConfigSecrets storedSecrets, DateTimeOffset now)
    {
        var config = body.Deserialize<WebhookConfig>(HeraldJson.Options)!;
        var auth = body["auth"] as JsonObject;
        var secrets = storedSecrets with
        {
            Password = Merge(auth?["basicAuthConfig"] as JsonObject, "password", storedSecrets.Password),
            ClientSecret = Merge(auth?["oauthConfig"] as JsonObject, "clientSecret", storedSecrets.ClientSecret),
            KeyValue = Merge(auth?["apiKeyConfig"] as JsonObject, "keyValue", storedSecrets.KeyValue),
        };

        config.Id = stored.Id.Value;
        config.SigningSecretRotation = stored.Document.SigningSecretRotation;
        config.CreationTime = stored.Document.CreationTime;
        // updatedTime must change on every update, even two within one clock tick.
        var updated = now > stored.UpdatedAt ? now : stored.UpdatedAt.AddMilliseconds(1);
        config.UpdatedTime = HeraldJson.Timestamp(updated);
        if (!body.ContainsKey("retryPolicy"))
        {
            config.RetryPolicy = stored.Document.RetryPolicy;
        }
        else if (config.RetryPolicy is not null)
        {
            config.RetryPolicy.MaxAttempts ??= DefaultMaxAttempts;
        }
        if (!body.ContainsKey("eventVersion"))
        {
            config.EventVersion = stored.Document.EventVersion;
        }
        if (!body.ContainsKey("rateLimit"))
        {
            config.RateLimit = stored.Document.RateLimit;
        }
        (config.DisabledReason, config.DisabledAt) = config.Enabled == false
            ? (stored.Document.DisabledReason, stored.Document.DisabledAt)
            : (null, null);
        return (Finish(config, secrets), secrets, updated);
    }

    /// <summary><c>whsec_</c> + base64 of 24 random bytes (Standard Webhooks, wire-format section 2).</summary>
    public static string NewSigningSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

    private static WebhookConfig Finish(WebhookConfig config, ConfigSecrets secrets)
    {
        config.SigningSecret = null;
        if (config.Auth?.BasicAuthConfig is { } basic)
        {
            basic.Password = null;
        }
        if (config.Auth?.OAuthConfig is { } oauth)
        {
            oauth.ClientSecret = null;
        }
        if (config.Auth?.ApiKeyConfig is { } apiKey)
        {
            apiKey.KeyValue = null;
        }
        config.Status = ConfigStatus.Derive(config, secrets);
        config.StatusReason = ConfigStatus.Reason(config, secrets);
        config.IgnoredHeaders = CustomHeaders.Ignored(config);
        return config;
    }

    private static string? Merge(JsonObject? section, string name, string? stored)
    {
        if (section is null)
        {
            return null;
        }
        if (!section.TryGetPropertyValue(name, out var node))
        {
            return stored;
        }
        return node?.GetValue<string>();
    }
}
