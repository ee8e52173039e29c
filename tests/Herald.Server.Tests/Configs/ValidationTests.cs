using System.Net;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Configs;

/// <summary>Every invalid body is a 4xx whose message names the field, and leaves nothing behind.</summary>
public sealed class ValidationTests : IClassFixture<ValidationTests.App>
{
    public sealed class App : IDisposable
    {
        public HeraldApp Herald { get; } = new();

        public void Dispose() => Herald.Dispose();
    }

    private readonly HttpClient _client;

    public ValidationTests(App app) => _client = app.Herald.Client();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string> InvalidBodies => new()
    {
        { """{"eventName":"e"}""", "name is required" },
        { """{"name":"","eventName":"e"}""", "name must not be empty" },
        { """{"name":"n"}""", "eventName is required" },
        { """{"name":42,"eventName":"e"}""", "name must be a string" },
        { """{"name":"n","eventName":"e","httpMethod":"FETCH"}""", "httpMethod must be one of" },
        { """{"name":"n","eventName":"e","url":"/relative/path"}""", "url must be an absolute http or https url" },
        { """{"name":"n","eventName":"e","url":"ftp://files.example/x"}""", "url must be an absolute http or https url" },
        { """{"name":"n","eventName":"e","enabled":"yes"}""", "enabled must be a boolean" },
        { """{"name":"n","eventName":"e","status":"paused"}""", "status must be one of" },
        { """{"name":"n","eventName":"e","eventVersion":"1"}""", "eventVersion must match" },
        { """{"name":"n","eventName":"e","rateLimit":0}""", "rateLimit must be between 1 and 1000" },
        { """{"name":"n","eventName":"e","rateLimit":2.5}""", "rateLimit must be an integer" },
        { """{"name":"n","eventName":"e","rateLimit":"20"}""", "rateLimit must be an integer" },
        { """{"name":"n","eventName":"e","rateLimit":1001}""", "rateLimit must be between 1 and 1000 deliveries per second (setting Configs:MaxRateLimit)" },
        { """{"name":"n","eventName":"e","disabledReason":5}""", "disabledReason must be a string" },
        { """{"name":"n","eventName":"e","eventVersion":"v1.0"}""", "eventVersion must match" },
        { """{"name":"n","eventName":"e","auth":{}}""", "auth.authType is required" },
        { """{"name":"n","eventName":"e","auth":{"authType":"TOKEN"}}""", "auth.authType must be one of" },
        { """{"name":"n","eventName":"e","auth":{"authType":"BASIC"}}""", "auth.basicAuthConfig is required" },
        { """{"name":"n","eventName":"e","auth":{"authType":"BASIC","basicAuthConfig":{"password":"p"}}}""", "auth.basicAuthConfig.username is required" },
        { """{"name":"n","eventName":"e","auth":{"authType":"BASIC","basicAuthConfig":{"username":"u","password":5}}}""", "auth.basicAuthConfig.password must be a string" },
        { """{"name":"n","eventName":"e","auth":{"authType":"API_KEY","apiKeyConfig":{"keyValue":"v"}}}""", "auth.apiKeyConfig.keyName is required" },
        { """{"name":"n","eventName":"e","auth":{"authType":"OAUTH_CLIENT_CREDENTIALS","oauthConfig":{"clientId":"c","httpMethod":"POST"}}}""", "auth.oauthConfig.endpoint is required" },
        { """{"name":"n","eventName":"e","auth":{"authType":"OAUTH_CLIENT_CREDENTIALS","oauthConfig":{"clientId":"c","endpoint":"https://idp.example"}}}""", "auth.oauthConfig.httpMethod is required" },
        { """{"name":"n","eventName":"e","auth":{"authType":"OAUTH_CLIENT_CREDENTIALS","oauthConfig":{"clientId":"c","endpoint":"https://idp.example","httpMethod":"POST","customParameterList":[{"type":"cookie","key":"k","value":"v"}]}}}""", "auth.oauthConfig.customParameterList[0].type must be one of" },
        { """{"name":"n","eventName":"e","filter":{"keyToFilter":"entity.type"}}""", "filter.supportedValues is required" },
        { """{"name":"n","eventName":"e","filter":{"keyToFilter":"entity.type","supportedValues":["a",1]}}""", "filter.supportedValues[1] must be a string" },
        { """{"name":"n","eventName":"e","filter":"entity.type"}""", "filter must be an object" },
        { """{"name":"n","eventName":"e","payloadConfiguration":{"custom_headers":{"X-Num":1}}}""", "payloadConfiguration.custom_headers.X-Num must be a string" },
        { """{"name":"n","eventName":"e","payloadConfiguration":{"include_relations":"true"}}""", "payloadConfiguration.include_relations must be a boolean" },
        { """{"name":"n","eventName":"e","retryPolicy":{"maxAttempts":3}}""", "retryPolicy.enabled is required" },
        { """{"name":"n","eventName":"e","retryPolicy":{"enabled":true,"maxAttempts":0}}""", "retryPolicy.maxAttempts must be between 1 and 5" },
        { """{"name":"n","eventName":"e","retryPolicy":{"enabled":true,"maxAttempts":6}}""", "retryPolicy.maxAttempts must be between 1 and 5" },
        { """{"name":"n","eventName":"e","retryPolicy":{"enabled":true,"maxAttempts":2.5}}""", "retryPolicy.maxAttempts must be an integer" },
        { """{"name":"n","eventName":"e","filterConditions":{"logical_operator":"XOR","conditions":[]}}""", "filterConditions.logical_operator must be one of" },
        { """{"name":"n","eventName":"e","filterConditions":{"conditions":[{"field":"a","operation":"matches","values":["x"]}]}}""", "filterConditions.conditions[0].operation must be one of" },
        { """{"name":"n","eventName":"e","filterConditions":{"conditions":[{"operation":"equals","values":["x"]}]}}""", "filterConditions.conditions[0].field is required" },
        { """{"name":"n","eventName":"e","filterConditions":{"conditions":[{"field":"a","operation":"equals"}]}}""", "filterConditions.conditions[0].values needs at least one value" },
        { """{"name":"n","eventName":"e","filterConditions":{"conditions":[{"field":"a","operation":"length_equals","values":["-1"]}]}}""", "filterConditions.conditions[0].values[0] must be a non-negative integer" },
        { """{"name":"n","eventName":"e","filterConditions":{"conditions":[{"field":"a","operation":"equals","values":["x"],"field_type":"money"}]}}""", "filterConditions.conditions[0].field_type must be one of" },
        { """{"name":"n","eventName":"e","filterConditions":{"conditions":[{"field":"a","operation":"equals","values":["x"],"jsonata_expression":"a = 1"}]}}""", "jsonata_expression cannot be combined with field/operation" },
        { """{"name":"n","eventName":"e","secureProxy":{"integration_id":"not-a-uuid","use_case_slug":"erp"}}""", "secureProxy.integration_id must be a uuid" },
        { """{"name":"n","eventName":"e","secureProxy":{"integration_id":"123e4567-e89b-12d3-a456-426614174000"}}""", "secureProxy.use_case_slug is required" },
        { """{"name":"n","eventName":"e","deliveryMode":"xml"}""", "deliveryMode must be one of" },
        { """{"name":"n","eventName":"e","multipartConfig":{"fileFieldStrategy":"many"}}""", "multipartConfig.fileFieldStrategy must be one of" },
        { """{"name":"n","eventName":"e","_manifest":["123e4567-e89b-12d3-a456-426614174000","nope"]}""", "_manifest[1] must be a uuid" },
        { """{"name":"n","eventName":"e","_manifest":"123e4567-e89b-12d3-a456-426614174000"}""", "_manifest must be an array" },
        { """{"name":"n","eventName":"e",""", "Malformed JSON" },
        { """[{"name":"n","eventName":"e"}]""", "must be a JSON object" },
        { """{"name":"n","eventName":"e","url":"https://a.example","url":"https://b.example"}""", "Malformed JSON body: property \"url\" appears twice in one object (at byte 55)" },
        { """{"name":"n","eventName":"e","payloadConfiguration":{"custom_headers":{"X-A":"1","X-A":"2"}}}""", "property \"X-A\" appears twice in one object" },
        { """{"name":"n","eventName":"e","x":""" + new string('[', 70) + new string(']', 70) + "}", "Malformed JSON body: objects and arrays nest deeper than 64 levels (at byte 96)" },
        { "", "Request body is required" },
        { """{"name":"n","eventName":"e","jsonataExpression":"{ 'id': entity._id "}""", "jsonataExpression is not valid JSONata (S0" },
        { """{"name":"n","eventName":"e","jsonataExpression":"entity.(price * "}""", "at position" },
        { """{"name":"n","eventName":"e","filterConditions":{"conditions":[{"jsonata_expression":"entity.amount >"}]}}""", "filterConditions.conditions[0].jsonata_expression is not valid JSONata (S0" },
        { """{"name":"n","eventName":"e","multipartConfig":{"fileSource":"event_attachments["}}""", "multipartConfig.fileSource is not valid JSONata" },
        { """{"name":"n","eventName":"e","multipartConfig":{"extraFields":{"kind":"'unterminated"}}}""", "multipartConfig.extraFields.kind is not valid JSONata" },
        // The API key header name follows the custom header name rules: an RFC 9110 token Herald does not own.
        { ApiKey("Host"), "auth.apiKeyConfig.keyName" },
        { ApiKey("Transfer-Encoding"), "auth.apiKeyConfig.keyName" },
        { ApiKey("X-Forwarded-For"), "auth.apiKeyConfig.keyName" },
        { ApiKey("webhook-signature"), "auth.apiKeyConfig.keyName" },
        { ApiKey(@"X-Key\r\nX-Injected: 1"), "auth.apiKeyConfig.keyName" },
        { ApiKey("Content-Length"), "auth.apiKeyConfig.keyName" },
        { ApiKey("X Api Key"), "auth.apiKeyConfig.keyName" },
        // Header values go on the wire as they are: visible ASCII, space and tab only.
        { """{"name":"n","eventName":"e","payloadConfiguration":{"custom_headers":{"X-Greeting":"Grüße"}}}""", "payloadConfiguration.custom_headers.X-Greeting" },
        { """{"name":"n","eventName":"e","payloadConfiguration":{"custom_headers":{"X-Ctl":"a\u0001b"}}}""", "payloadConfiguration.custom_headers.X-Ctl" },
        { """{"name":"n","eventName":"e","payloadConfiguration":{"custom_headers":{"X-Del":"a\u007fb"}}}""", "payloadConfiguration.custom_headers.X-Del" },
        { """{"name":"n","eventName":"e","payloadConfiguration":{"custom_headers":{"X-Split":"a\r\nX-Injected: 1"}}}""", "payloadConfiguration.custom_headers.X-Split" },
        { """{"name":"n","eventName":"e","auth":{"authType":"API_KEY","apiKeyConfig":{"keyName":"X-Api-Key","keyValue":"schlüssel"}}}""", "auth.apiKeyConfig.keyValue" },
        { """{"name":"n","eventName":"e","auth":{"authType":"API_KEY","apiKeyConfig":{"keyName":"X-Api-Key","keyValue":"k\u0001"}}}""", "auth.apiKeyConfig.keyValue" },
        { """{"name":"n","eventName":"e","auth":{"authType":"BASIC","basicAuthConfig":{"username":"u\u0001","password":"p"}}}""", "auth.basicAuthConfig.username" },
        { """{"name":"n","eventName":"e","auth":{"authType":"BASIC","basicAuthConfig":{"username":"u","password":"p\u007f"}}}""", "auth.basicAuthConfig.password" },
        { """{"name":"n","eventName":"e","auth":{"authType":"OAUTH_CLIENT_CREDENTIALS","oauthConfig":{"clientId":"c","endpoint":"https://idp.example","httpMethod":"POST","customParameterList":[{"type":"header","key":"X-Tenant","value":"café"}]}}}""", "auth.oauthConfig.customParameterList[0].value" },
    };

    private static string ApiKey(string keyName) =>
        $$$$"""{"name":"n","eventName":"e","auth":{"authType":"API_KEY","apiKeyConfig":{"keyName":"{{{{keyName}}}}","keyValue":"v"}}}""";

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Create_rejects_an_invalid_body_with_a_400_naming_the_field(string body, string expected)
    {
        var response = await _client.PostJsonAsync("/v1/webhooks/configs", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.MessageAsync());
    }

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Update_rejects_an_invalid_body_and_leaves_the_config_unchanged(string body, string expected)
    {
        var id = (await (await _client.PostJsonAsync("/v1/webhooks/configs", """{"name":"original","eventName":"e"}""")).ReadAsync())["id"]!.GetValue<string>();

        var response = await _client.PutJsonAsync($"/v1/webhooks/configs/{id}", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.MessageAsync());
        var read = await (await _client.GetAsync($"/v1/webhooks/configs/{id}", Ct)).ReadAsync();
        Assert.Equal("original", read["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Eleven_conditions_are_one_too_many()
    {
        var conditions = string.Join(",", Enumerable.Repeat("""{"field":"a","operation":"equals","values":["x"]}""", 11));

        var response = await _client.PostJsonAsync("/v1/webhooks/configs", $$$"""{"name":"n","eventName":"e","filterConditions":{"conditions":[{{{conditions}}}]}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("filterConditions.conditions must have at most 10 items", await response.MessageAsync());
    }

    [Fact]
    public async Task A_jsonata_condition_over_15000_characters_is_refused_and_one_at_the_limit_is_not()
    {
        string Body(int length) => $$$"""{"name":"n","eventName":"e","filterConditions":{"conditions":[{"jsonata_expression":"{{{new string('a', length)}}}"}]}}""";

        var tooLong = await _client.PostJsonAsync("/v1/webhooks/configs", Body(15_001));
        var atLimit = await _client.PostJsonAsync("/v1/webhooks/configs", Body(15_000));

        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("filterConditions.conditions[0].jsonata_expression must be at most 15000 characters", await tooLong.MessageAsync());
        Assert.Equal(HttpStatusCode.Created, atLimit.StatusCode);
    }

    [Fact]
    public async Task An_oversized_body_is_refused_with_413()
    {
        var response = await _client.PostJsonAsync("/v1/webhooks/configs", $$"""{"name":"{{new string('x', 2 * 1024 * 1024)}}","eventName":"e"}""");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("exceeds the limit", await response.MessageAsync());
    }

    [Fact]
    public async Task A_body_that_is_not_json_content_is_refused_with_a_message()
    {
        var response = await _client.PostAsync("/v1/webhooks/configs", new StringContent("name=n"), Ct);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("application/json", await response.MessageAsync());
    }

    /// <summary>
    /// A body sent compressed is refused with a 415 that names its Content-Encoding, not as malformed JSON; identity is
    /// no encoding.
    /// </summary>
    [Fact]
    public async Task A_compressed_body_is_refused_naming_its_content_encoding()
    {
        const string body = """{"name":"n","eventName":"e"}""";
        using var packed = new MemoryStream();
        await using (var gzip = new System.IO.Compression.GZipStream(packed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(System.Text.Encoding.UTF8.GetBytes(body), Ct);
        }
        var compressed = new ByteArrayContent(packed.ToArray());
        compressed.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        compressed.Headers.ContentEncoding.Add("gzip");
        var identity = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        identity.Headers.ContentEncoding.Add("identity");

        var refused = await _client.PostAsync("/v1/webhooks/configs", compressed, Ct);
        var accepted = await _client.PostAsync("/v1/webhooks/configs", identity, Ct);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused.StatusCode);
        Assert.StartsWith("Content-Encoding gzip is not supported", await refused.MessageAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
    }

    [Fact]
    public async Task A_config_using_every_field_of_the_contract_is_accepted_and_read_back()
    {
        const string everything = """
            {"name":"All fields","eventName":"event_FileCreated","eventVersion":"2.0","url":"https://r.example/{{ env.PATH }}",
             "httpMethod":"PUT","enabled":true,"enableStaticIP":false,"protected":false,
             "auth":{"authType":"OAUTH_CLIENT_CREDENTIALS","oauthConfig":{"clientId":"c","clientSecret":"s","clientSecretIsEnvVar":false,
               "endpoint":"https://idp.example/token","httpMethod":"POST","customParameterList":[{"type":"header","key":"X-T","value":"1"},{"type":"query","key":"q","value":"2"}]}},
             "filter":{"keyToFilter":"entity._schema","supportedValues":["order","contact"]},
             "payloadConfiguration":{"hydrate_entity":true,"include_relations":false,"include_activity":true,"include_changed_attributes":true,"apply_changesets":false,"custom_headers":{"X-Tenant":"{{ env.TENANT }}"}},
             "secureProxy":{"integration_id":"123e4567-e89b-12d3-a456-426614174000","use_case_slug":"erp"},
             "jsonataExpression":"{ 'id': entity._id }","deliveryMode":"binary_multipart",
             "multipartConfig":{"fileFieldName":"file","fileFieldStrategy":"multi","fileSource":"event_attachments","extraFields":{"kind":"'invoice'"}},
             "retryPolicy":{"enabled":true,"maxAttempts":5},
             "filterConditions":{"logical_operator":"OR","conditions":[{"field":"entity.amount","operation":"greater_than","values":["10"],"field_type":"number","is_array_field":false,"repeatable_item_op":false},{"jsonata_expression":"entity.status = 'open'"}]},
             "_manifest":["123e4567-e89b-12d3-a456-426614174000"]}
            """;

        var response = await _client.PostJsonAsync("/v1/webhooks/configs", everything);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var read = await (await _client.GetAsync($"/v1/webhooks/configs/{(await response.ReadAsync())["id"]}", Ct)).ReadAsync();
        Assert.Equal("2.0", read["eventVersion"]!.GetValue<string>());
        Assert.Equal("{{ env.TENANT }}", read["payloadConfiguration"]!["custom_headers"]!["X-Tenant"]!.GetValue<string>());
        Assert.Equal("erp", read["secureProxy"]!["use_case_slug"]!.GetValue<string>());
        Assert.Equal("'invoice'", read["multipartConfig"]!["extraFields"]!["kind"]!.GetValue<string>());
        Assert.Equal("entity.status = 'open'", read["filterConditions"]!["conditions"]![1]!["jsonata_expression"]!.GetValue<string>());
        Assert.Equal("123e4567-e89b-12d3-a456-426614174000", read["_manifest"]![0]!.GetValue<string>());
        Assert.Equal("header", read["auth"]!["oauthConfig"]!["customParameterList"]![0]!["type"]!.GetValue<string>());
    }
}
