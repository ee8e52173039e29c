using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Herald.Server.Console;

/// <summary>
/// The config form's fields, read from a config (to edit) or from a posted form, and written back as the contract's
/// JSON over the stored document, so fields the form does not show survive an edit. Auth secrets are write-only: a
/// blank secret field is left out of the request, which keeps the stored secret.
/// </summary>
public sealed partial class ConfigForm
{
    public string Name { get; set; } = "";
    public string EventName { get; set; } = "";
    public string EventVersion { get; set; } = "";
    public string Url { get; set; } = "";
    public string HttpMethod { get; set; } = "POST";
    public bool Enabled { get; set; } = true;
    public bool Protected { get; set; }
    public string AuthType { get; set; } = "NONE";
    public string BasicUsername { get; set; } = "";
    public string BasicPassword { get; set; } = "";
    public bool BasicPasswordIsEnvVar { get; set; }
    public string ApiKeyName { get; set; } = "";
    public string ApiKeyValue { get; set; } = "";
    public bool ApiKeyValueIsEnvVar { get; set; }
    public string OAuthClientId { get; set; } = "";
    public string OAuthClientSecret { get; set; } = "";
    public bool OAuthClientSecretIsEnvVar { get; set; }
    public string OAuthEndpoint { get; set; } = "";
    public string OAuthHttpMethod { get; set; } = "POST";
    public List<Row> OAuthParameters { get; set; } = [];
    public string FilterKey { get; set; } = "";
    public string FilterValues { get; set; } = "";
    public string LogicalOperator { get; set; } = "AND";
    public List<Condition> Conditions { get; set; } = [];
    public string JsonataExpression { get; set; } = "";
    public bool HydrateEntity { get; set; }
    public bool IncludeRelations { get; set; }
    public bool IncludeActivity { get; set; }
    public bool IncludeChangedAttributes { get; set; }
    public bool ApplyChangesets { get; set; }
    public List<Row> CustomHeaders { get; set; } = [];
    public bool RetryEnabled { get; set; } = true;
    public string RetryMaxAttempts { get; set; } = "";
    public bool EnableStaticIP { get; set; }
    public string SecureProxyIntegrationId { get; set; } = "";
    public string SecureProxyUseCaseSlug { get; set; } = "";
    public string DeliveryMode { get; set; } = "";
    public string MultipartFileFieldName { get; set; } = "";
    public string MultipartFileFieldStrategy { get; set; } = "";
    public string MultipartFileSource { get; set; } = "";
    public List<Row> MultipartExtraFields { get; set; } = [];

    /// <summary>A name/value row (custom headers, OAuth parameters with their type, multipart extra fields).</summary>
    public sealed record Row(string Key, string Value, string Type = "");

    /// <summary>One row of the <c>filterConditions</c> editor.</summary>
    public sealed record Condition(string Field, string Operation, string Values, string FieldType, bool IsArrayField, bool RepeatableItemOp, string JsonataExpression);

    public static ConfigForm FromConfig(JsonNode? config)
    {
        var form = new ConfigForm();
        if (config is not JsonObject c)
        {
            return form;
        }
        form.Name = Text(c["name"]);
        form.EventName = Text(c["eventName"]);
        form.EventVersion = Text(c["eventVersion"]);
        form.Url = Text(c["url"]);
        form.HttpMethod = Text(c["httpMethod"], "POST");
        form.Enabled = Flag(c["enabled"], true);
        form.Protected = Flag(c["protected"]);
        var auth = c["auth"];
        form.AuthType = Text(auth?["authType"], "NONE");
        form.BasicUsername = Text(auth?["basicAuthConfig"]?["username"]);
        form.BasicPasswordIsEnvVar = Flag(auth?["basicAuthConfig"]?["passwordIsEnvVar"]);
        form.ApiKeyName = Text(auth?["apiKeyConfig"]?["keyName"]);
        form.ApiKeyValueIsEnvVar = Flag(auth?["apiKeyConfig"]?["keyValueIsEnvVar"]);
        var oauth = auth?["oauthConfig"];
        form.OAuthClientId = Text(oauth?["clientId"]);
        form.OAuthClientSecretIsEnvVar = Flag(oauth?["clientSecretIsEnvVar"]);
        form.OAuthEndpoint = Text(oauth?["endpoint"]);
        form.OAuthHttpMethod = Text(oauth?["httpMethod"], "POST");
        form.OAuthParameters = (oauth?["customParameterList"] as JsonArray ?? []).Select(p => new Row(Text(p?["key"]), Text(p?["value"]), Text(p?["type"], "body"))).ToList();
        form.FilterKey = Text(c["filter"]?["keyToFilter"]);
        form.FilterValues = string.Join(", ", (c["filter"]?["supportedValues"] as JsonArray ?? []).Select(v => Text(v)));
        var group = c["filterConditions"];
        form.LogicalOperator = Text(group?["logical_operator"], "AND");
        form.Conditions = (group?["conditions"] as JsonArray ?? []).Select(r => new Condition(
            Text(r?["field"]), Text(r?["operation"], "equals"), ValuesText(r?["values"] as JsonArray), Text(r?["field_type"]),
            Flag(r?["is_array_field"]), Flag(r?["repeatable_item_op"]), Text(r?["jsonata_expression"]))).ToList();
        form.JsonataExpression = Text(c["jsonataExpression"]);
        var payload = c["payloadConfiguration"];
        form.HydrateEntity = Flag(payload?["hydrate_entity"]);
        form.IncludeRelations = Flag(payload?["include_relations"]);
        form.IncludeActivity = Flag(payload?["include_activity"]);
        form.IncludeChangedAttributes = Flag(payload?["include_changed_attributes"]);
        form.ApplyChangesets = Flag(payload?["apply_changesets"]);
        form.CustomHeaders = (payload?["custom_headers"] as JsonObject ?? []).Select(h => new Row(h.Key, Text(h.Value))).ToList();
        form.RetryEnabled = Flag(c["retryPolicy"]?["enabled"], true);
        form.RetryMaxAttempts = c["retryPolicy"]?["maxAttempts"]?.ToJsonString() ?? "";
        form.EnableStaticIP = Flag(c["enableStaticIP"]);
        form.SecureProxyIntegrationId = Text(c["secureProxy"]?["integration_id"]);
        form.SecureProxyUseCaseSlug = Text(c["secureProxy"]?["use_case_slug"]);
        form.DeliveryMode = Text(c["deliveryMode"]);
        var multipart = c["multipartConfig"];
        form.MultipartFileFieldName = Text(multipart?["fileFieldName"]);
        form.MultipartFileFieldStrategy = Text(multipart?["fileFieldStrategy"]);
        form.MultipartFileSource = Text(multipart?["fileSource"]);
        form.MultipartExtraFields = (multipart?["extraFields"] as JsonObject ?? []).Select(h => new Row(h.Key, Text(h.Value))).ToList();
        return form;
    }

    public static ConfigForm FromForm(IFormCollection f)
    {
        string S(string name) => f[name].ToString();
        bool B(string name) => f[name].Any(v => v is "on" or "true");
        return new ConfigForm
        {
            Name = S("name"), EventName = S("eventName"), EventVersion = S("eventVersion"), Url = S("url"), HttpMethod = S("httpMethod"),
            Enabled = B("enabled"), Protected = B("protected"), AuthType = S("authType"),
            BasicUsername = S("basicUsername"), BasicPassword = S("basicPassword"), BasicPasswordIsEnvVar = B("basicPasswordIsEnvVar"),
            ApiKeyName = S("apiKeyName"), ApiKeyValue = S("apiKeyValue"), ApiKeyValueIsEnvVar = B("apiKeyValueIsEnvVar"),
            OAuthClientId = S("oauthClientId"), OAuthClientSecret = S("oauthClientSecret"), OAuthClientSecretIsEnvVar = B("oauthClientSecretIsEnvVar"),
            OAuthEndpoint = S("oauthEndpoint"), OAuthHttpMethod = S("oauthHttpMethod"),
            OAuthParameters = Indices(f, "oauthp").Select(i => new Row(S($"oauthp[{i}].key"), S($"oauthp[{i}].value"), S($"oauthp[{i}].type"))).ToList(),
            FilterKey = S("filterKey"), FilterValues = S("filterValues"), LogicalOperator = S("logicalOperator"),
            Conditions = Indices(f, "cond").Select(i => new Condition(S($"cond[{i}].field"), S($"cond[{i}].operation"), S($"cond[{i}].values"),
                S($"cond[{i}].fieldType"), B($"cond[{i}].isArrayField"), B($"cond[{i}].repeatableItemOp"), S($"cond[{i}].jsonata"))).ToList(),
            JsonataExpression = S("jsonataExpression"),
            HydrateEntity = B("hydrateEntity"), IncludeRelations = B("includeRelations"), IncludeActivity = B("includeActivity"),
            IncludeChangedAttributes = B("includeChangedAttributes"), ApplyChangesets = B("applyChangesets"),
            CustomHeaders = Indices(f, "hdr").Select(i => new Row(S($"hdr[{i}].key"), S($"hdr[{i}].value"))).ToList(),
            RetryEnabled = B("retryEnabled"), RetryMaxAttempts = S("retryMaxAttempts"),
            EnableStaticIP = B("enableStaticIP"), SecureProxyIntegrationId = S("secureProxyIntegrationId"), SecureProxyUseCaseSlug = S("secureProxyUseCaseSlug"),
            DeliveryMode = S("deliveryMode"), MultipartFileFieldName = S("multipartFileFieldName"), MultipartFileFieldStrategy = S("multipartFileFieldStrategy"),
            MultipartFileSource = S("multipartFileSource"),
            MultipartExtraFields = Indices(f, "mpx").Select(i => new Row(S($"mpx[{i}].key"), S($"mpx[{i}].value"))).ToList(),
        };
    }

    /// <summary>The request body: <paramref name="stored"/> (for an edit) with every field the form manages replaced.</summary>
    public JsonObject ToJson(JsonObject? stored)
    {
        var c = stored?.DeepClone().AsObject() ?? new JsonObject();
        foreach (var derived in new[] { "id", "status", "creationTime", "updatedTime", "signingSecret" })
        {
            c.Remove(derived);
        }
        c["name"] = Name.Trim();
        c["eventName"] = EventName.Trim();
        Set(c, "eventVersion", EventVersion);
        c["url"] = Url.Trim();
        c["httpMethod"] = HttpMethod;
        c["enabled"] = Enabled;
        c["protected"] = Protected;
        c["auth"] = Auth();
        c["filter"] = FilterKey.Trim().Length == 0 ? null : new JsonObject
        {
            ["keyToFilter"] = FilterKey.Trim(),
            ["supportedValues"] = new JsonArray(SplitValues(FilterValues).Select(v => (JsonNode?)v).ToArray()),
        };
        c["filterConditions"] = Conditions.Count == 0 ? null : new JsonObject
        {
            ["logical_operator"] = LogicalOperator,
            ["conditions"] = new JsonArray(Conditions.Select(ConditionJson).ToArray()),
        };
        c["jsonataExpression"] = JsonataExpression.Trim().Length == 0 ? null : JsonataExpression;
        var headers = new JsonObject();
        foreach (var h in CustomHeaders.Where(h => h.Key.Trim().Length > 0))
        {
            headers[h.Key.Trim()] = h.Value;
        }
        c["payloadConfiguration"] = new JsonObject
        {
            ["hydrate_entity"] = HydrateEntity,
            ["include_relations"] = IncludeRelations,
            ["include_activity"] = IncludeActivity,
            ["include_changed_attributes"] = IncludeChangedAttributes,
            ["apply_changesets"] = ApplyChangesets,
            ["custom_headers"] = headers.Count == 0 ? null : headers,
        };
        var retry = new JsonObject { ["enabled"] = RetryEnabled };
        if (RetryMaxAttempts.Trim().Length > 0)
        {
            retry["maxAttempts"] = int.TryParse(RetryMaxAttempts.Trim(), out var n) ? n : JsonValue.Create(RetryMaxAttempts.Trim());
        }
        c["retryPolicy"] = retry;
        c["enableStaticIP"] = EnableStaticIP;
        c["secureProxy"] = SecureProxyIntegrationId.Trim().Length == 0 && SecureProxyUseCaseSlug.Trim().Length == 0 ? null : Compact(new JsonObject
        {
            ["integration_id"] = Blank(SecureProxyIntegrationId),
            ["use_case_slug"] = Blank(SecureProxyUseCaseSlug),
        });
        Set(c, "deliveryMode", DeliveryMode);
        var extra = new JsonObject();
        foreach (var x in MultipartExtraFields.Where(x => x.Key.Trim().Length > 0))
        {
            extra[x.Key.Trim()] = x.Value;
        }
        var multipart = Compact(new JsonObject
        {
            ["fileFieldName"] = Blank(MultipartFileFieldName),
            ["fileFieldStrategy"] = Blank(MultipartFileFieldStrategy),
            ["fileSource"] = Blank(MultipartFileSource),
            ["extraFields"] = extra.Count == 0 ? null : extra,
        });
        c["multipartConfig"] = multipart.Count == 0 ? null : multipart;
        foreach (var empty in c.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            c.Remove(empty);
        }
        return c;
    }

    private JsonObject Auth() => AuthType switch
    {
        "BASIC" => new JsonObject
        {
            ["authType"] = AuthType,
            ["basicAuthConfig"] = Compact(new JsonObject
            {
                ["username"] = BasicUsername,
                ["password"] = Blank(BasicPassword, keep: true),
                ["passwordIsEnvVar"] = BasicPasswordIsEnvVar,
            }),
        },
        "API_KEY" => new JsonObject
        {
            ["authType"] = AuthType,
            ["apiKeyConfig"] = Compact(new JsonObject
            {
                ["keyName"] = ApiKeyName.Trim(),
                ["keyValue"] = Blank(ApiKeyValue, keep: true),
                ["keyValueIsEnvVar"] = ApiKeyValueIsEnvVar,
            }),
        },
        "OAUTH_CLIENT_CREDENTIALS" => new JsonObject
        {
            ["authType"] = AuthType,
            ["oauthConfig"] = Compact(new JsonObject
            {
                ["clientId"] = OAuthClientId,
                ["clientSecret"] = Blank(OAuthClientSecret, keep: true),
                ["clientSecretIsEnvVar"] = OAuthClientSecretIsEnvVar,
                ["endpoint"] = OAuthEndpoint.Trim(),
                ["httpMethod"] = Blank(OAuthHttpMethod),
                ["customParameterList"] = OAuthParameters.Count(p => p.Key.Trim().Length > 0) == 0 ? null : new JsonArray(OAuthParameters
                    .Where(p => p.Key.Trim().Length > 0)
                    .Select(p => (JsonNode?)new JsonObject { ["type"] = p.Type, ["key"] = p.Key.Trim(), ["value"] = p.Value })
                    .ToArray()),
            }),
        },
        _ => new JsonObject { ["authType"] = "NONE" },
    };

    private static JsonNode ConditionJson(Condition r)
    {
        var row = new JsonObject
        {
            ["field"] = r.Field.Trim(),
            ["operation"] = r.Operation,
            ["values"] = r.Operation is "is_empty" or "is_not_empty" && r.Values.Trim().Length == 0
                ? null
                : new JsonArray(SplitValues(r.Values).Select(v => (JsonNode?)v).ToArray()),
            ["field_type"] = Blank(r.FieldType),
            ["is_array_field"] = r.IsArrayField ? true : null,
            ["repeatable_item_op"] = r.RepeatableItemOp ? true : null,
            ["jsonata_expression"] = Blank(r.JsonataExpression),
        };
        return Compact(row);
    }

    /// <summary>Values typed as <c>a, b, c</c>, or as a JSON array of strings when one holds a comma.</summary>
    public static IEnumerable<string> SplitValues(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith('['))
        {
            try
            {
                return JsonSerializer.Deserialize<string[]>(trimmed) ?? [];
            }
            catch (JsonException)
            {
                // Not an array after all: read it as comma-separated text, and let the API judge the values.
            }
        }
        return trimmed.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
    }

    private static string ValuesText(JsonArray? values)
    {
        var texts = (values ?? []).Select(v => Text(v)).ToList();
        return texts.Any(t => t.Contains(',', StringComparison.Ordinal)) ? JsonSerializer.Serialize(texts) : string.Join(", ", texts);
    }

    private static IEnumerable<int> Indices(IFormCollection form, string prefix) =>
        form.Keys.Select(k => RowKey().Match(k)).Where(m => m.Success && m.Groups[1].Value == prefix)
            .Select(m => int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)).Distinct().Order();

    [GeneratedRegex(@"^([a-z]+)\[(\d{1,4})\]\.")]
    private static partial Regex RowKey();

    private static JsonObject Compact(JsonObject o)
    {
        foreach (var key in o.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            o.Remove(key);
        }
        return o;
    }

    private static void Set(JsonObject c, string name, string value)
    {
        if (value.Trim().Length > 0)
        {
            c[name] = value.Trim();
        }
        else
        {
            c.Remove(name);
        }
    }

    /// <summary>Null for blank text (a blank write-only secret is left out, which keeps the stored one).</summary>
    private static JsonNode? Blank(string value, bool keep = false) => value.Trim().Length == 0 ? null : keep ? value : value.Trim();

    private static string Text(JsonNode? node, string fallback = "") =>
        node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node is null ? fallback : node.ToJsonString();

    private static bool Flag(JsonNode? node, bool fallback = false) =>
        node is JsonValue v && v.TryGetValue<bool>(out var b) ? b : fallback;
}
