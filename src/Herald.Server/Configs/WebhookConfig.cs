using System.Text.Json.Serialization;

namespace Herald.Server.Configs;

/// <summary>The contract's <c>WebhookConfig</c>. Property names are the contract's, spelled out.</summary>
public sealed class WebhookConfig
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("eventName")] public string? EventName { get; set; }
    [JsonPropertyName("eventVersion")] public string? EventVersion { get; set; }
    [JsonPropertyName("url")] public string? Url { get; set; }
    [JsonPropertyName("creationTime")] public string? CreationTime { get; set; }
    [JsonPropertyName("updatedTime")] public string? UpdatedTime { get; set; }
    [JsonPropertyName("httpMethod")] public string? HttpMethod { get; set; }
    [JsonPropertyName("enabled")] public bool? Enabled { get; set; }
    [JsonPropertyName("auth")] public Auth? Auth { get; set; }
    [JsonPropertyName("filter")] public Filter? Filter { get; set; }
    [JsonPropertyName("payloadConfiguration")] public PayloadConfiguration? PayloadConfiguration { get; set; }
    [JsonPropertyName("enableStaticIP")] public bool? EnableStaticIP { get; set; }
    [JsonPropertyName("protected")] public bool? Protected { get; set; }
    [JsonPropertyName("secureProxy")] public SecureProxy? SecureProxy { get; set; }
    [JsonPropertyName("status")] public string? Status { get; set; }

    /// <summary>Why <see cref="Status"/> is <c>incomplete</c>, naming the missing fields (a Herald extension; absent otherwise).</summary>
    [JsonPropertyName("statusReason")] public string? StatusReason { get; set; }

    /// <summary>
    /// The custom headers Herald does not send, each as <c>"name: why"</c> (a Herald extension, read-only; absent when
    /// every one is sent): <see cref="CustomHeaders.Ignored"/>.
    /// </summary>
    [JsonPropertyName("ignoredHeaders")] public List<string>? IgnoredHeaders { get; set; }

    [JsonPropertyName("jsonataExpression")] public string? JsonataExpression { get; set; }
    [JsonPropertyName("deliveryMode")] public string? DeliveryMode { get; set; }
    [JsonPropertyName("multipartConfig")] public MultipartConfig? MultipartConfig { get; set; }
    [JsonPropertyName("retryPolicy")] public RetryPolicy? RetryPolicy { get; set; }
    [JsonPropertyName("filterConditions")] public WebhookConditionGroup? FilterConditions { get; set; }
    [JsonPropertyName("_manifest")] public List<string>? Manifest { get; set; }
    [JsonPropertyName("signingSecret")] public string? SigningSecret { get; set; }

    /// <summary>Deliveries per second this config may get (a Herald extension); null: no limit.</summary>
    [JsonPropertyName("rateLimit")] public int? RateLimit { get; set; }

    /// <summary>Why Herald disabled the config (a Herald extension); absent unless Herald disabled it and it is still disabled.</summary>
    [JsonPropertyName("disabledReason")] public string? DisabledReason { get; set; }

    /// <summary>When Herald disabled the config (a Herald extension, RFC 3339); absent with <see cref="DisabledReason"/>.</summary>
    [JsonPropertyName("disabledAt")] public string? DisabledAt { get; set; }

    /// <summary>The last signing-secret rotation (a Herald extension, read-only; absent until the first).</summary>
    [JsonPropertyName("signingSecretRotation")] public SigningSecretRotation? SigningSecretRotation { get; set; }
}

/// <summary>
/// When the signing secret was last rotated, and until when the secret it replaced still signs beside it (absent
/// once that secret is deleted). Written only by the rotation and its cleanup; ignored in request bodies.
/// </summary>
public sealed class SigningSecretRotation
{
    [JsonPropertyName("rotatedAt")] public string? RotatedAt { get; set; }
    [JsonPropertyName("previousSecretExpiresAt")] public string? PreviousSecretExpiresAt { get; set; }
}

public sealed class Auth
{
    [JsonPropertyName("authType")] public string? AuthType { get; set; }
    [JsonPropertyName("basicAuthConfig")] public BasicAuthConfig? BasicAuthConfig { get; set; }
    [JsonPropertyName("oauthConfig")] public OAuthConfig? OAuthConfig { get; set; }
    [JsonPropertyName("apiKeyConfig")] public ApiKeyConfig? ApiKeyConfig { get; set; }
}

public sealed class BasicAuthConfig
{
    [JsonPropertyName("username")] public string? Username { get; set; }
    [JsonPropertyName("password")] public string? Password { get; set; }
    [JsonPropertyName("passwordIsEnvVar")] public bool? PasswordIsEnvVar { get; set; }
}

public sealed class OAuthConfig
{
    [JsonPropertyName("clientId")] public string? ClientId { get; set; }
    [JsonPropertyName("clientSecret")] public string? ClientSecret { get; set; }
    [JsonPropertyName("clientSecretIsEnvVar")] public bool? ClientSecretIsEnvVar { get; set; }
    [JsonPropertyName("endpoint")] public string? Endpoint { get; set; }
    [JsonPropertyName("httpMethod")] public string? HttpMethod { get; set; }
    [JsonPropertyName("customParameterList")] public List<CustomOAuthParameter>? CustomParameterList { get; set; }
}

public sealed class CustomOAuthParameter
{
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("key")] public string? Key { get; set; }
    [JsonPropertyName("value")] public string? Value { get; set; }
}

public sealed class ApiKeyConfig
{
    [JsonPropertyName("keyName")] public string? KeyName { get; set; }
    [JsonPropertyName("keyValue")] public string? KeyValue { get; set; }
    [JsonPropertyName("keyValueIsEnvVar")] public bool? KeyValueIsEnvVar { get; set; }
}

public sealed class Filter
{
    [JsonPropertyName("keyToFilter")] public string? KeyToFilter { get; set; }
    [JsonPropertyName("supportedValues")] public List<string>? SupportedValues { get; set; }
}

public sealed class PayloadConfiguration
{
    [JsonPropertyName("hydrate_entity")] public bool? HydrateEntity { get; set; }
    [JsonPropertyName("include_relations")] public bool? IncludeRelations { get; set; }
    [JsonPropertyName("include_activity")] public bool? IncludeActivity { get; set; }
    [JsonPropertyName("include_changed_attributes")] public bool? IncludeChangedAttributes { get; set; }
    [JsonPropertyName("apply_changesets")] public bool? ApplyChangesets { get; set; }
    [JsonPropertyName("custom_headers")] public Dictionary<string, string>? CustomHeaders { get; set; }
}

public sealed class SecureProxy
{
    [JsonPropertyName("integration_id")] public string? IntegrationId { get; set; }
    [JsonPropertyName("use_case_slug")] public string? UseCaseSlug { get; set; }
}

public sealed class MultipartConfig
{
    [JsonPropertyName("fileFieldName")] public string? FileFieldName { get; set; }
    [JsonPropertyName("fileFieldStrategy")] public string? FileFieldStrategy { get; set; }
    [JsonPropertyName("fileSource")] public string? FileSource { get; set; }
    [JsonPropertyName("extraFields")] public Dictionary<string, string>? ExtraFields { get; set; }
}

public sealed class RetryPolicy
{
    [JsonPropertyName("enabled")] public bool Enabled { get; set; }
    [JsonPropertyName("maxAttempts")] public int? MaxAttempts { get; set; }
}

public sealed class WebhookConditionGroup
{
    [JsonPropertyName("conditions")] public List<WebhookCondition>? Conditions { get; set; }
    [JsonPropertyName("logical_operator")] public string? LogicalOperator { get; set; }
}

public sealed class WebhookCondition
{
    [JsonPropertyName("field")] public string? Field { get; set; }
    [JsonPropertyName("operation")] public string? Operation { get; set; }
    [JsonPropertyName("values")] public List<string>? Values { get; set; }
    [JsonPropertyName("field_type")] public string? FieldType { get; set; }
    [JsonPropertyName("is_array_field")] public bool? IsArrayField { get; set; }
    [JsonPropertyName("repeatable_item_op")] public bool? RepeatableItemOp { get; set; }
    [JsonPropertyName("jsonata_expression")] public string? JsonataExpression { get; set; }
}
