using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Herald.Server.Http;

namespace Herald.Server.Configs;

/// <summary>
/// Checks a config body against the contract's <c>WebhookConfig</c> schema and the rules the schema cannot
/// express (the auth sub-object its type needs, mutually exclusive condition forms). Pure: JSON in, messages out.
/// Read-only members (<c>id</c>, <c>status</c>, <c>statusReason</c>, <c>ignoredHeaders</c>, times, <c>signingSecret</c>,
/// <c>signingSecretRotation</c>, <c>disabledReason</c>, <c>disabledAt</c>) are type-checked and then ignored.
/// </summary>
public static partial class ConfigValidator
{
    public const int MaxConditions = 10;
    /// <summary>The contract's <c>maxLength</c> of a condition's <c>jsonata_expression</c>.</summary>
    public const int MaxConditionExpressionLength = 15_000;
    private const int MaxNameLength = 255;
    private const int MaxUrlLength = 2048;

    /// <summary>The first problem found, or null when the body is a valid config.</summary>
    public static string? FirstError(JsonObject body, int maxExpressionLength, int maxRateLimit = ConfigsOptions.DefaultMaxRateLimit)
    {
        var errors = Validate(body, maxExpressionLength, maxRateLimit);
        return errors.Count == 0 ? null : errors[0];
    }

    /// <param name="maxExpressionLength">The longest JSONata expression accepted (setting <c>Transforms:MaxExpressionLength</c>).</param>
    /// <param name="maxRateLimit">The highest <c>rateLimit</c> accepted (setting <c>Configs:MaxRateLimit</c>).</param>
    public static IReadOnlyList<string> Validate(JsonObject body, int maxExpressionLength, int maxRateLimit = ConfigsOptions.DefaultMaxRateLimit)
    {
        if (StoredText.FirstNul(body) is { } nul)
        {
            return [StoredText.NulRefused(nul)];
        }
        var config = new JsonFields(body);
        config.String("name", required: true, maxLength: MaxNameLength);
        config.String("eventName", required: true, maxLength: MaxNameLength);
        if (!config.IsExplicitNull("eventVersion"))
        {
            var version = config.String("eventVersion");
            if (version is not null && !EventVersion.TryParse(version, out _))
            {
                config.Fail<object>("eventVersion must match MAJOR.MINOR, e.g. \"1.0\"");
            }
        }
        Url(config, "url");
        config.Enum("httpMethod", ContractEnums.HttpMethods);
        config.Bool("enabled");
        config.Bool("enableStaticIP");
        config.Bool("protected");
        config.Enum("status", ContractEnums.ConfigStatuses);
        config.String("id");
        config.String("creationTime");
        config.String("updatedTime");
        config.String("signingSecret");
        config.String("statusReason");
        config.StringArray("ignoredHeaders");
        SigningSecretRotation(config.Nested("signingSecretRotation"));
        config.String("disabledReason");
        config.String("disabledAt");
        RateLimit(config, maxRateLimit);
        Jsonata(config, "jsonataExpression", maxExpressionLength);
        config.Enum("deliveryMode", ContractEnums.DeliveryModes);
        Auth(config.Nested("auth"));
        Filter(config.Nested("filter"));
        PayloadConfiguration(config.Nested("payloadConfiguration"));
        SecureProxy(config.Nested("secureProxy"));
        MultipartConfig(config.Nested("multipartConfig"), maxExpressionLength);
        RetryPolicy(config.Nested("retryPolicy"));
        Conditions(config.Nested("filterConditions"), maxExpressionLength);
        Manifest(config);
        return config.Errors;
    }

    /// <summary>Read-only (a Herald extension): a client that sends back what it read is not refused.</summary>
    private static void SigningSecretRotation(JsonFields? rotation)
    {
        rotation?.String("rotatedAt");
        rotation?.String("previousSecretExpiresAt");
    }

    private static void Auth(JsonFields? auth)
    {
        if (auth is null)
        {
            return;
        }
        switch (auth.Enum("authType", ContractEnums.AuthTypes, required: true))
        {
            case "BASIC":
                var basic = auth.Nested("basicAuthConfig", required: true);
                if (basic is null)
                {
                    break;
                }
                Credential(basic, "username", basic.String("username", required: true));
                Credential(basic, "password", NullableSecret(basic, "password"));
                basic.Bool("passwordIsEnvVar");
                break;
            case "API_KEY":
                var apiKey = auth.Nested("apiKeyConfig", required: true);
                if (apiKey is null)
                {
                    break;
                }
                ApiKeyName(apiKey, apiKey.String("keyName", required: true, maxLength: 256));
                HeaderValue(apiKey, "keyValue", NullableSecret(apiKey, "keyValue"));
                apiKey.Bool("keyValueIsEnvVar");
                break;
            case "OAUTH_CLIENT_CREDENTIALS":
                var oauth = auth.Nested("oauthConfig", required: true);
                if (oauth is null)
                {
                    break;
                }
                oauth.String("clientId", required: true);
                NullableSecret(oauth, "clientSecret");
                oauth.Bool("clientSecretIsEnvVar");
                Url(oauth, "endpoint", required: true);
                oauth.Enum("httpMethod", ContractEnums.HttpMethods, required: true);
                var parameters = oauth.Array("customParameterList");
                for (var i = 0; parameters is not null && i < parameters.Count; i++)
                {
                    if (parameters[i] is not JsonObject parameter)
                    {
                        oauth.Fail<object>($"{oauth.PathOf("customParameterList")}[{i}] must be an object");
                        continue;
                    }
                    var item = new JsonFields(parameter, $"{oauth.PathOf("customParameterList")}[{i}]", oauth.Errors);
                    var type = item.Enum("type", ContractEnums.OAuthParameterTypes, required: true);
                    item.String("key", required: true);
                    var value = item.String("value", required: true);
                    if (type == "header")
                    {
                        HeaderValue(item, "value", value);
                    }
                }
                break;
        }
    }

    private static string? NullableSecret(JsonFields fields, string name) =>
        fields.IsExplicitNull(name) ? null : fields.String(name);

    private static void Filter(JsonFields? filter)
    {
        filter?.String("keyToFilter", required: true);
        filter?.StringArray("supportedValues", required: true);
    }

    private static void PayloadConfiguration(JsonFields? payload)
    {
        if (payload is null)
        {
            return;
        }
        foreach (var flag in (string[])["hydrate_entity", "include_relations", "include_activity", "include_changed_attributes", "apply_changesets"])
        {
            payload.Bool(flag);
        }
        payload.StringMap("custom_headers");
        CustomHeaderValues(payload);
    }

    private static void SecureProxy(JsonFields? proxy)
    {
        if (proxy is null)
        {
            return;
        }
        var integration = proxy.String("integration_id", required: true);
        if (integration is not null && !Guid.TryParseExact(integration, "D", out _))
        {
            proxy.Fail<object>($"{proxy.PathOf("integration_id")} must be a uuid");
        }
        proxy.String("use_case_slug", required: true);
    }

    private static void MultipartConfig(JsonFields? multipart, int maxExpressionLength)
    {
        multipart?.String("fileFieldName");
        multipart?.Enum("fileFieldStrategy", ContractEnums.FileFieldStrategies);
        if (multipart is null)
        {
            return;
        }
        Jsonata(multipart, "fileSource", maxExpressionLength);
        multipart.StringMap("extraFields");
        if (multipart.Object["extraFields"] is JsonObject extra)
        {
            var fields = new JsonFields(extra, multipart.PathOf("extraFields"), multipart.Errors);
            foreach (var (name, _) in extra)
            {
                Jsonata(fields, name, maxExpressionLength);
            }
        }
    }

    /// <summary>Deliveries per second, a whole number from 1 to <c>Configs:MaxRateLimit</c>; <c>null</c> removes the limit.</summary>
    private static void RateLimit(JsonFields config, int maxRateLimit)
    {
        if (config.IsExplicitNull("rateLimit"))
        {
            return;
        }
        var before = config.Errors.Count;
        if (config.Integer("rateLimit", 1, maxRateLimit) is null && config.Errors.Count > before && config.Errors[^1].Contains("must be between", StringComparison.Ordinal))
        {
            config.Errors[^1] = $"rateLimit must be between 1 and {maxRateLimit} deliveries per second (setting {ConfigsOptions.Section}:MaxRateLimit)";
        }
    }

    private static void RetryPolicy(JsonFields? retry)
    {
        retry?.Bool("enabled", required: true);
        retry?.Integer("maxAttempts", 1, 5);
    }

    private static void Conditions(JsonFields? group, int maxExpressionLength)
    {
        if (group is null)
        {
            return;
        }
        group.Enum("logical_operator", ContractEnums.LogicalOperators);
        var conditions = group.Array("conditions", maxItems: MaxConditions);
        for (var i = 0; conditions is not null && i < conditions.Count; i++)
        {
            var path = $"{group.PathOf("conditions")}[{i}]";
            if (conditions[i] is not JsonObject condition)
            {
                group.Fail<object>($"{path} must be an object");
                continue;
            }
            var item = new JsonFields(condition, path, group.Errors);
            if (item.Has("jsonata_expression"))
            {
                Jsonata(item, "jsonata_expression", maxExpressionLength, nonEmpty: true);
                if (item.Has("field") || item.Has("operation"))
                {
                    item.Fail<object>($"{path}: jsonata_expression cannot be combined with field/operation");
                }
                continue;
            }
            item.String("field", required: true);
            var operation = item.Enum("operation", ContractEnums.Operations, required: true);
            var values = item.StringArray("values");
            item.Enum("field_type", ContractEnums.FieldTypes);
            item.Bool("is_array_field");
            item.Bool("repeatable_item_op");
            if (operation is not null && operation is not ("is_empty" or "is_not_empty") && (values is null || values.Count == 0))
            {
                item.Fail<object>($"{item.PathOf("values")} needs at least one value for operation {operation}");
            }
            if (operation is not null && operation.StartsWith("length_", StringComparison.Ordinal) && values is { Count: > 0 }
                && !(int.TryParse(values[0], out var length) && length >= 0))
            {
                item.Fail<object>($"{item.PathOf("values")}[0] must be a non-negative integer for operation {operation}");
            }
        }
    }

    private static void Manifest(JsonFields config)
    {
        var manifest = config.StringArray("_manifest");
        for (var i = 0; manifest is not null && i < manifest.Count; i++)
        {
            if (!Guid.TryParseExact(manifest[i], "D", out _))
            {
                config.Fail<object>($"_manifest[{i}] must be a uuid");
            }
        }
    }

    /// <summary>
    /// A JSONata expression that compiles. Compilation is pure and cheap, so a syntax error is a 400 at save time that
    /// names the field, the position and the reference error code, never a failed delivery later. The length is
    /// checked before anything is parsed; a condition's expression also keeps to the contract's 15,000.
    /// </summary>
    private static void Jsonata(JsonFields fields, string name, int maxLength, bool nonEmpty = false)
    {
        var source = fields.String(name, nonEmpty: nonEmpty);
        if (string.IsNullOrWhiteSpace(source))
        {
            return;
        }
        if (name == "jsonata_expression" && source.Length > MaxConditionExpressionLength && MaxConditionExpressionLength < maxLength)
        {
            fields.Fail<object>($"{fields.PathOf(name)} must be at most {MaxConditionExpressionLength} characters");
            return;
        }
        if (source.Length > maxLength)
        {
            fields.Fail<object>($"{fields.PathOf(name)} must be at most {maxLength} characters (setting Transforms:MaxExpressionLength)");
            return;
        }
        try
        {
            global::Jsonata.JsonataExpression.Compile(source);
        }
        catch (global::Jsonata.JsonataException e)
        {
            var at = e.Position >= 0 ? $" at position {e.Position}" : "";
            fields.Fail<object>($"{fields.PathOf(name)} is not valid JSONata ({e.Code}{at}): {e.Message}");
        }
    }

    /// <summary>An absolute http(s) url, or one that contains an <c>{{ env.NAME }}</c> reference resolved at send time.</summary>
    private static void Url(JsonFields fields, string name, bool required = false)
    {
        var url = fields.String(name, required, MaxUrlLength);
        if (url is null || EnvReference().IsMatch(url))
        {
            return;
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || string.IsNullOrEmpty(uri.Host))
        {
            fields.Fail<object>($"{fields.PathOf(name)} must be an absolute http or https url");
        }
    }

    [GeneratedRegex(@"\{\{\s*env\.[A-Za-z0-9_.\-]+\s*\}\}")]
    private static partial Regex EnvReference();
}
