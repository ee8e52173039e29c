using Herald.Server.Http;
using System.Net;
using System.Text.Json.Nodes;
using Herald.Server.Configs;
using Herald.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Server.Tests.Configs;

/// <summary>The config operations end to end, on whichever engine the subclass picks.</summary>
public abstract class ConfigsApiScenarios : IDisposable
{
    private HeraldApp? _app;

    protected abstract Task<HeraldApp> StartAsync();

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected async Task<HeraldApp> AppAsync() => _app ??= await StartAsync();

    public const string BasicConfig = """
        {"name":"Orders to ERP","eventName":"order_created","url":"https://erp.example/hooks","httpMethod":"POST","enabled":true,
         "auth":{"authType":"BASIC","basicAuthConfig":{"username":"erp","password":"s3cret-password"}}}
        """;

    [Fact]
    public async Task Create_returns_201_with_a_short_id_times_defaults_and_the_signing_secret_once()
    {
        var app = await AppAsync();
        var client = app.Client();

        var response = await client.PostJsonAsync("/v1/webhooks/configs", BasicConfig);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.ReadAsync();
        var id = created["id"]!.GetValue<string>();
        Assert.Matches("^[0-9A-Za-z]{22}$", id);
        Assert.Equal($"/v1/webhooks/configs/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal("2026-03-01T12:00:00.000Z", created["creationTime"]!.GetValue<string>());
        Assert.Equal(created["creationTime"]!.GetValue<string>(), created["updatedTime"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"enabled":true,"maxAttempts":3}"""), created["retryPolicy"]));
        Assert.Equal("active", created["status"]!.GetValue<string>());
        var secret = created["signingSecret"]!.GetValue<string>();
        Assert.StartsWith("whsec_", secret);
        Assert.Equal(24, Convert.FromBase64String(secret["whsec_".Length..]).Length);
        Assert.Null(created["auth"]!["basicAuthConfig"]!["password"]);

        var read = await (await client.GetAsync($"/v1/webhooks/configs/{id}", Ct)).ReadAsync();
        var listed = await (await client.GetAsync("/v1/webhooks/configs", Ct)).ReadAsync();
        Assert.Null(read["signingSecret"]);
        Assert.Null(listed[0]!["signingSecret"]);
        Assert.Equal("Orders to ERP", read["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Two_configs_get_different_ids_and_different_signing_secrets()
    {
        var client = (await AppAsync()).Client();

        var first = await (await client.PostJsonAsync("/v1/webhooks/configs", BasicConfig)).ReadAsync();
        var second = await (await client.PostJsonAsync("/v1/webhooks/configs", BasicConfig)).ReadAsync();

        Assert.NotEqual(first["id"]!.GetValue<string>(), second["id"]!.GetValue<string>());
        Assert.NotEqual(first["signingSecret"]!.GetValue<string>(), second["signingSecret"]!.GetValue<string>());
    }

    [Fact]
    public async Task Listing_returns_every_config_once_oldest_first_across_pages()
    {
        var app = await AppAsync();
        var client = app.Client();
        var created = new List<string>();
        for (var i = 0; i < ConfigsApi.ListPageSize * 2 + 5; i++)
        {
            // Several configs share each creation time, so pages also break between equal times.
            if (i % 7 == 0)
            {
                app.Clock.Advance(TimeSpan.FromSeconds(1));
            }
            var response = await client.PostJsonAsync("/v1/webhooks/configs", $$"""{"name":"c{{i}}","eventName":"{{(i % 3 == 0 ? "file_created" : "order_created")}}"}""");
            created.Add((await response.ReadAsync())["id"]!.GetValue<string>());
        }

        var all = (await (await client.GetAsync("/v1/webhooks/configs", Ct)).ReadAsync()).AsArray();
        var orders = (await (await client.GetAsync("/v1/webhooks/configs?eventName=order_created", Ct)).ReadAsync()).AsArray();

        Assert.Equal(created.Order(StringComparer.Ordinal), all.Select(c => c!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        var times = all.Select(c => c!["creationTime"]!.GetValue<string>()).ToList();
        Assert.Equal(times.Order(StringComparer.Ordinal), times);
        Assert.Equal(created.Where((_, i) => i % 3 != 0).Order(StringComparer.Ordinal), orders.Select(c => c!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Listing_filters_by_event_name()
    {
        var client = (await AppAsync()).Client();
        var app = await AppAsync();
        foreach (var (name, eventName) in new[] { ("a", "order_created"), ("b", "file_created"), ("c", "order_created") })
        {
            await client.PostJsonAsync("/v1/webhooks/configs", $$"""{"name":"{{name}}","eventName":"{{eventName}}","url":"https://r.example"}""");
            app.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var orders = (await (await client.GetAsync("/v1/webhooks/configs?eventName=order_created", Ct)).ReadAsync()).AsArray();
        var all = (await (await client.GetAsync("/v1/webhooks/configs", Ct)).ReadAsync()).AsArray();

        Assert.Equal(["a", "c"], orders.Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal(3, all.Count);
    }

    [Fact]
    public async Task Update_replaces_the_config_keeps_creation_time_and_moves_updated_time()
    {
        var app = await AppAsync();
        var client = app.Client();
        var created = await (await client.PostJsonAsync("/v1/webhooks/configs", BasicConfig)).ReadAsync();
        var id = created["id"]!.GetValue<string>();
        app.Clock.Advance(TimeSpan.FromMinutes(5));

        var response = await client.PutJsonAsync($"/v1/webhooks/configs/{id}", """
            {"name":"Renamed","eventName":"order_created","url":"https://erp.example/v2","enabled":false,
             "auth":{"authType":"BASIC","basicAuthConfig":{"username":"erp"}}}
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var updated = await response.ReadAsync();
        Assert.Equal(id, updated["id"]!.GetValue<string>());
        Assert.Equal("Renamed", updated["name"]!.GetValue<string>());
        Assert.Equal("2026-03-01T12:00:00.000Z", updated["creationTime"]!.GetValue<string>());
        Assert.Equal("2026-03-01T12:05:00.000Z", updated["updatedTime"]!.GetValue<string>());
        Assert.Equal("inactive", updated["status"]!.GetValue<string>());
        Assert.Null(updated["signingSecret"]);
        var read = await (await client.GetAsync($"/v1/webhooks/configs/{id}", Ct)).ReadAsync();
        Assert.Equal("https://erp.example/v2", read["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task Updated_time_changes_on_every_update_even_within_one_clock_tick()
    {
        var client = (await AppAsync()).Client();
        var id = (await (await client.PostJsonAsync("/v1/webhooks/configs", BasicConfig)).ReadAsync())["id"]!.GetValue<string>();

        var first = await (await client.PutJsonAsync($"/v1/webhooks/configs/{id}", BasicConfig)).ReadAsync();
        var second = await (await client.PutJsonAsync($"/v1/webhooks/configs/{id}", BasicConfig)).ReadAsync();

        Assert.NotEqual(first["updatedTime"]!.GetValue<string>(), second["updatedTime"]!.GetValue<string>());
        Assert.True(string.CompareOrdinal(first["updatedTime"]!.GetValue<string>(), second["updatedTime"]!.GetValue<string>()) < 0);
    }

    [Fact]
    public async Task An_update_without_retry_policy_keeps_the_stored_one_and_a_given_one_replaces_it()
    {
        var client = (await AppAsync()).Client();
        var id = (await (await client.PostJsonAsync("/v1/webhooks/configs", """
            {"name":"n","eventName":"e","url":"https://r.example","retryPolicy":{"enabled":true,"maxAttempts":5}}
            """)).ReadAsync())["id"]!.GetValue<string>();

        var kept = await (await client.PutJsonAsync($"/v1/webhooks/configs/{id}", """{"name":"n","eventName":"e","url":"https://r.example"}""")).ReadAsync();
        var replaced = await (await client.PutJsonAsync($"/v1/webhooks/configs/{id}", """
            {"name":"n","eventName":"e","url":"https://r.example","retryPolicy":{"enabled":false}}
            """)).ReadAsync();

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"enabled":true,"maxAttempts":5}"""), kept["retryPolicy"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"enabled":false,"maxAttempts":3}"""), replaced["retryPolicy"]));
    }

    [Fact]
    public async Task Auth_secrets_are_kept_when_omitted_cleared_by_null_and_replaced_by_a_string()
    {
        var app = await AppAsync();
        var client = app.Client();
        var id = (await (await client.PostJsonAsync("/v1/webhooks/configs", BasicConfig)).ReadAsync())["id"]!.GetValue<string>();

        var omitted = await (await client.PutJsonAsync($"/v1/webhooks/configs/{id}", """
            {"name":"n","eventName":"order_created","url":"https://erp.example","auth":{"authType":"BASIC","basicAuthConfig":{"username":"erp"}}}
            """)).ReadAsync();
        Assert.Equal("active", omitted["status"]!.GetValue<string>());
        Assert.Equal("s3cret-password", (await StoredSecretsAsync(app, id)).Password);

        var replaced = await (await client.PutJsonAsync($"/v1/webhooks/configs/{id}", """
            {"name":"n","eventName":"order_created","url":"https://erp.example","auth":{"authType":"BASIC","basicAuthConfig":{"username":"erp","password":"new-password"}}}
            """)).ReadAsync();
        Assert.Null(replaced["auth"]!["basicAuthConfig"]!["password"]);
        Assert.Equal("new-password", (await StoredSecretsAsync(app, id)).Password);

        var cleared = await (await client.PutJsonAsync($"/v1/webhooks/configs/{id}", """
            {"name":"n","eventName":"order_created","url":"https://erp.example","auth":{"authType":"BASIC","basicAuthConfig":{"username":"erp","password":null}}}
            """)).ReadAsync();
        Assert.Equal("incomplete", cleared["status"]!.GetValue<string>());
        Assert.Null((await StoredSecretsAsync(app, id)).Password);
    }

    [Fact]
    public async Task Api_key_and_client_secret_are_write_only_and_the_signing_secret_survives_updates()
    {
        var app = await AppAsync();
        var client = app.Client();
        var created = await (await client.PostJsonAsync("/v1/webhooks/configs", """
            {"name":"n","eventName":"e","url":"https://r.example","auth":{"authType":"API_KEY","apiKeyConfig":{"keyName":"X-Api-Key","keyValue":"key-value-123"}}}
            """)).ReadAsync();
        var id = created["id"]!.GetValue<string>();
        Assert.Null(created["auth"]!["apiKeyConfig"]!["keyValue"]);

        var oauth = await (await client.PutJsonAsync($"/v1/webhooks/configs/{id}", """
            {"name":"n","eventName":"e","url":"https://r.example","auth":{"authType":"OAUTH_CLIENT_CREDENTIALS","oauthConfig":
             {"clientId":"cid","clientSecret":"client-secret-456","endpoint":"https://idp.example/token","httpMethod":"POST",
              "customParameterList":[{"type":"body","key":"audience","value":"erp"}]}}}
            """)).ReadAsync();

        Assert.Null(oauth["auth"]!["oauthConfig"]!["clientSecret"]);
        Assert.Equal("audience", oauth["auth"]!["oauthConfig"]!["customParameterList"]![0]!["key"]!.GetValue<string>());
        Assert.Equal("active", oauth["status"]!.GetValue<string>());
        var secrets = await StoredSecretsAsync(app, id);
        Assert.Equal("client-secret-456", secrets.ClientSecret);
        Assert.Null(secrets.KeyValue); // the api key section is gone, and its secret with it
        Assert.Equal(created["signingSecret"]!.GetValue<string>(), secrets.SigningSecret);
        var everything = await (await client.GetAsync("/v1/webhooks/configs", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("client-secret-456", everything);
        Assert.DoesNotContain("key-value-123", everything);
        Assert.DoesNotContain("whsec_", everything);
    }

    [Fact]
    public async Task Status_is_incomplete_without_url_or_auth_values_and_inactive_when_disabled()
    {
        var client = (await AppAsync()).Client();

        async Task<string> StatusOf(string body) =>
            (await (await client.PostJsonAsync("/v1/webhooks/configs", body)).ReadAsync())["status"]!.GetValue<string>();

        Assert.Equal("incomplete", await StatusOf("""{"name":"n","eventName":"e"}"""));
        Assert.Equal("incomplete", await StatusOf("""{"name":"n","eventName":"e","url":"https://r.example","auth":{"authType":"BASIC","basicAuthConfig":{"username":"u"}}}"""));
        Assert.Equal("incomplete", await StatusOf("""{"name":"n","eventName":"e","url":"https://r.example","auth":{"authType":"API_KEY","apiKeyConfig":{"keyName":"k"}}}"""));
        Assert.Equal("inactive", await StatusOf("""{"name":"n","eventName":"e","url":"https://r.example","enabled":false}"""));
        Assert.Equal("active", await StatusOf("""{"name":"n","eventName":"e","url":"https://r.example","auth":{"authType":"NONE"}}"""));
        Assert.Equal("active", await StatusOf("""{"name":"n","eventName":"e","url":"https://r.example","status":"inactive"}"""));
    }

    [Fact]
    public async Task Delete_answers_204_then_404_and_the_config_is_gone()
    {
        var client = (await AppAsync()).Client();
        var id = (await (await client.PostJsonAsync("/v1/webhooks/configs", BasicConfig)).ReadAsync())["id"]!.GetValue<string>();

        var deleted = await client.DeleteAsync($"/v1/webhooks/configs/{id}", Ct);
        var again = await client.DeleteAsync($"/v1/webhooks/configs/{id}", Ct);
        var read = await client.GetAsync($"/v1/webhooks/configs/{id}", Ct);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Contains(id, await read.MessageAsync());
    }

    [Fact]
    public async Task Unknown_ids_are_404_for_read_update_and_delete()
    {
        var client = (await AppAsync()).Client();

        var get = await client.GetAsync("/v1/webhooks/configs/nope", Ct);
        var put = await client.PutJsonAsync("/v1/webhooks/configs/nope", BasicConfig);
        var delete = await client.DeleteAsync("/v1/webhooks/configs/nope", Ct);

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound], [get.StatusCode, put.StatusCode, delete.StatusCode]);
        Assert.Contains("nope", await put.MessageAsync());
    }

    [Fact]
    public async Task A_protected_config_refuses_update_and_delete_without_the_explicit_intent_header()
    {
        var client = (await AppAsync()).Client();
        var id = (await (await client.PostJsonAsync("/v1/webhooks/configs", """{"name":"n","eventName":"e","url":"https://r.example","protected":true}""")).ReadAsync())["id"]!.GetValue<string>();

        var update = await client.PutJsonAsync($"/v1/webhooks/configs/{id}", """{"name":"changed","eventName":"e","protected":false}""");
        var delete = await client.DeleteAsync($"/v1/webhooks/configs/{id}", Ct);
        Assert.Equal(HttpStatusCode.Conflict, update.StatusCode);
        Assert.Contains(ConfigsApi.ProtectedOverrideHeader, await update.MessageAsync());
        Assert.Equal(HttpStatusCode.Conflict, delete.StatusCode);
        Assert.Equal("n", (await (await client.GetAsync($"/v1/webhooks/configs/{id}", Ct)).ReadAsync())["name"]!.GetValue<string>());

        var intentional = new HttpRequestMessage(HttpMethod.Put, $"/v1/webhooks/configs/{id}") { Content = Json.Body("""{"name":"changed","eventName":"e","protected":true}""") };
        intentional.Headers.Add(ConfigsApi.ProtectedOverrideHeader, "true");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(intentional, Ct)).StatusCode);
        var remove = new HttpRequestMessage(HttpMethod.Delete, $"/v1/webhooks/configs/{id}");
        remove.Headers.Add(ConfigsApi.ProtectedOverrideHeader, "true");
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(remove, Ct)).StatusCode);
    }

    private static async Task<ConfigSecrets> StoredSecretsAsync(HeraldApp app, string id)
    {
        var record = await app.Services.GetRequiredService<IConfigStore>().GetAsync(new OrganizationId(HeraldApp.OrgA), new ConfigId(id), Ct);
        return app.Services.GetRequiredService<ConfigSecretsBox>().Open(record!);
    }

    public void Dispose()
    {
        _app?.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteConfigsApiTests : ConfigsApiScenarios
{
    protected override Task<HeraldApp> StartAsync() => Task.FromResult(new HeraldApp());

    [Fact]
    public async Task Secrets_never_reach_the_database_file_in_the_clear()
    {
        var app = await AppAsync();
        var client = app.Client();
        var created = await (await client.PostJsonAsync("/v1/webhooks/configs", BasicConfig)).ReadAsync();
        var signingSecret = created["signingSecret"]!.GetValue<string>();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var bytes = string.Concat(Directory.GetFiles(app.DataDirectory, "herald.db*").Select(f => Convert.ToHexString(File.ReadAllBytes(f))));

        Assert.DoesNotContain(Convert.ToHexString("s3cret-password"u8), bytes);
        Assert.DoesNotContain(Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(signingSecret)), bytes);
        Assert.DoesNotContain(Convert.ToHexString(Convert.FromBase64String(signingSecret["whsec_".Length..])), bytes);
        Assert.Contains(Convert.ToHexString("erp.example"u8), bytes);
    }
}

public sealed class PostgresConfigsApiTests(PostgresServer server) : ConfigsApiScenarios
{
    protected override async Task<HeraldApp> StartAsync() => new(await server.StorageAsync());
}
