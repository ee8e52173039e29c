using System.Net;
using System.Text.Json.Nodes;
using Herald.Server.Environments;
using Herald.Server.Http;
using Herald.Server.ReceiverAuth;
using Herald.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Server.Tests.ReceiverAuth;

/// <summary>
/// OAuth client credentials end to end: a token endpoint (a second local app) hands out tokens, the receiver gets
/// them as bearer tokens; caching, expiry on the fake clock, the 401 refresh and failed exchanges.
/// </summary>
public class OAuthScenarios : ReceiverScenario
{
    private Receiver _tokens = null!;

    public override async ValueTask InitializeAsync()
    {
        _tokens = await Receiver.StartAsync();
        _tokens.Default = Token("tok-default");
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _tokens.DisposeAsync();
    }

    private static Answer.Status Token(string token, int? expiresIn = 3600) =>
        new(200, expiresIn is { } seconds
            ? $$"""{"access_token":"{{token}}","token_type":"Bearer","expires_in":{{seconds}}}"""
            : $$"""{"access_token":"{{token}}","token_type":"Bearer"}""");

    private string OAuth(string extra = "") => $$$"""
        "auth":{"authType":"OAUTH_CLIENT_CREDENTIALS","oauthConfig":{
          "endpoint":"{{{new Uri(_tokens.Url, "/oauth/token")}}}","httpMethod":"POST","clientId":"herald","clientSecret":"s3cret"{{{extra}}}}}
        """;

    private async Task AdvanceAsync(TimeSpan by)
    {
        App.Clock.Advance(by);
        await Task.Delay(50, Ct);
    }

    [Fact]
    public async Task The_token_reaches_the_receiver_as_a_bearer_token_with_each_custom_parameter_in_its_place()
    {
        _tokens.Enqueue(Token("tok-1"));
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, OAuth("""
            ,"customParameterList":[{"type":"body","key":"scope","value":"orders:write"},
                                    {"type":"query","key":"audience","value":"erp api"},
                                    {"type":"header","key":"X-Tenant","value":"acme"}]
            """));

        var outcome = await Client.TriggerAsync(configId, sync: true);

        Assert.Equal("succeeded", outcome["status"]!.GetValue<string>());
        Assert.Equal("Bearer tok-1", Assert.Single(Receiver.Received).Header("authorization"));
        var exchange = Assert.Single(_tokens.Received);
        Assert.Equal("POST", exchange.Method);
        Assert.Equal("/oauth/token?audience=erp%20api", exchange.Path);
        Assert.Equal("application/x-www-form-urlencoded", exchange.Header("content-type"));
        Assert.Equal("grant_type=client_credentials&client_id=herald&client_secret=s3cret&scope=orders%3Awrite", exchange.Text);
        Assert.Equal("acme", exchange.Header("x-tenant"));
        Assert.False(Receiver.Received[0].Headers.ContainsKey("x-tenant"));
    }

    [Fact]
    public async Task A_token_is_reused_until_shortly_before_it_expires_and_for_one_config_version_only()
    {
        _tokens.Enqueue(Token("tok-1", expiresIn: 600), Token("tok-2", expiresIn: 600), Token("tok-3"));
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, OAuth());

        await Client.TriggerAsync(configId, sync: true);
        await AdvanceAsync(TimeSpan.FromSeconds(539));
        await Client.TriggerAsync(configId, sync: true);
        // 600 s less 10% (60 s): from 540 s on, a new token.
        await AdvanceAsync(TimeSpan.FromSeconds(2));
        await Client.TriggerAsync(configId, sync: true);
        var config = await (await Client.GetAsync($"/v1/webhooks/configs/{configId}", Ct)).ReadAsync();
        config["name"] = "renamed";
        (await Client.PutJsonAsync($"/v1/webhooks/configs/{configId}", config.ToJsonString())).EnsureSuccessStatusCode();
        await Client.TriggerAsync(configId, sync: true);

        Assert.Equal(["Bearer tok-1", "Bearer tok-1", "Bearer tok-2", "Bearer tok-3"], Receiver.Received.Select(r => r.Header("authorization")));
        Assert.Equal(3, _tokens.Received.Count);
    }

    [Fact]
    public async Task A_401_from_the_receiver_fetches_a_fresh_token_and_retries_at_once_within_the_attempt()
    {
        _tokens.Enqueue(Token("tok-revoked"), Token("tok-fresh"));
        Receiver.Enqueue(new Answer.Status(401, """{"error":"token revoked"}"""));
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, OAuth());

        var outcome = await Client.TriggerAsync(configId, sync: true);
        var next = await Client.TriggerAsync(configId, sync: true);

        Assert.Equal(["succeeded", "succeeded"], [outcome["status"]!.GetValue<string>(), next["status"]!.GetValue<string>()]);
        Assert.Equal("200", outcome["status_code"]!.GetValue<string>());
        Assert.Equal(["Bearer tok-revoked", "Bearer tok-fresh", "Bearer tok-fresh"], Receiver.Received.Select(r => r.Header("authorization")));
        Assert.Equal(2, _tokens.Received.Count);
        Assert.Equal(Receiver.Received[0].Header("webhook-id"), Receiver.Received[1].Header("webhook-id"));
        Assert.Equal(0, (await Client.EventAsync(configId, outcome["event_id"]!.GetValue<string>()))["retry_attempt"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_second_401_with_the_fresh_token_is_the_outcome_and_nothing_loops()
    {
        Receiver.Default = new Answer.Status(401);
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, OAuth());

        var outcome = await Client.TriggerAsync(configId, sync: true);

        Assert.Equal("failed", outcome["status"]!.GetValue<string>());
        Assert.Equal("401", outcome["status_code"]!.GetValue<string>());
        Assert.Equal(2, Receiver.Received.Count);
        Assert.Equal(2, _tokens.Received.Count);
    }

    [Fact]
    public async Task A_failed_token_exchange_fails_the_attempt_with_OAuthTokenExchangeError_and_is_retried_on_schedule()
    {
        _tokens.Enqueue(new Answer.Status(503, """{"error":"temporarily_unavailable"}"""), Token("tok-1"));
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, OAuth());

        var eventId = (await Client.TriggerAsync(configId))["event_id"]!.GetValue<string>();
        var pending = await Client.EventWithStatusAsync(configId, eventId, "in_progress");
        await Eventually.ReturnsAsync(() => Client.EventAsync(configId, eventId), e => e["http_response"]?["code"] is not null, "the first attempt's outcome");
        pending = await Client.EventAsync(configId, eventId);

        Assert.Equal("OAuthTokenExchangeError", pending["http_response"]!["code"]!.GetValue<string>());
        Assert.Equal(503, pending["http_response"]!["status_code"]!.GetValue<int>());
        Assert.Contains("temporarily_unavailable", pending["http_response"]!["message"]!.GetValue<string>());
        Assert.Empty(Receiver.Received);

        await AdvanceAsync(TimeSpan.FromSeconds(4.4));
        Assert.Single(_tokens.Received);
        await AdvanceAsync(TimeSpan.FromSeconds(1.2));
        var received = await Receiver.WaitForAsync(1);

        Assert.Equal("Bearer tok-1", received[0].Header("authorization"));
        var done = await Client.EventWithStatusAsync(configId, eventId, "succeeded");
        Assert.Equal(1, done["retry_attempt"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_token_answer_without_an_access_token_is_a_failed_exchange_not_a_success()
    {
        _tokens.Default = new Answer.Status(200, """{"token":"wrong-field"}""");
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, OAuth());

        var outcome = await Client.TriggerAsync(configId, sync: true);

        Assert.Equal("failed", outcome["status"]!.GetValue<string>());
        Assert.Equal("OAuthTokenExchangeError", outcome["code"]!.GetValue<string>());
        Assert.Null(outcome["status_code"]);
        Assert.Empty(Receiver.Received);
    }

    [Fact]
    public async Task Endpoint_client_id_and_secret_resolve_from_variables()
    {
        await Client.SetVariableAsync("oauth.base", _tokens.Url.ToString().TrimEnd('/'));
        await Client.SetVariableAsync("oauth.client", "client-from-env");
        await Client.SetVariableAsync("oauth.secret", "secret from env", secret: true);
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, """
            "auth":{"authType":"OAUTH_CLIENT_CREDENTIALS","oauthConfig":{"endpoint":"{{ env.oauth.base }}/token","httpMethod":"POST",
              "clientId":"{{env.oauth.client}}","clientSecret":"{{ env.oauth.secret }}","clientSecretIsEnvVar":true}}
            """);

        var outcome = await Client.TriggerAsync(configId, sync: true);

        Assert.Equal("succeeded", outcome["status"]!.GetValue<string>());
        var exchange = Assert.Single(_tokens.Received);
        Assert.Equal("/token", exchange.Path);
        Assert.Equal("grant_type=client_credentials&client_id=client-from-env&client_secret=secret+from+env", exchange.Text);
    }

    [Fact]
    public async Task A_missing_client_secret_variable_fails_with_ENV_VARIABLE_NOT_FOUND_before_any_token_request()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, OAuth(""","clientSecretIsEnvVar":true""").Replace("\"s3cret\"", "\"oauth.gone\""));

        var outcome = await Client.TriggerAsync(configId, sync: true);

        Assert.Equal("ENV_VARIABLE_NOT_FOUND", outcome["code"]!.GetValue<string>());
        Assert.Contains("auth.oauthConfig.clientSecret", outcome["message"]!.GetValue<string>());
        Assert.Empty(_tokens.Received);
        Assert.Empty(Receiver.Received);
    }

    [Fact]
    public async Task Test_oauth_runs_the_exchange_uncached_and_sends_nothing_to_the_receiver()
    {
        _tokens.Enqueue(Token("tok-1"), Token("tok-2", expiresIn: null));
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, OAuth());

        var first = await Client.PostAsync($"/v1/webhooks/configs/{configId}/test-oauth", null, Ct);
        var second = await Client.PostAsync($"/v1/webhooks/configs/{configId}/test-oauth", null, Ct);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"success":true,"message":"OAuth token exchange successful","expires_in":3600,"token_type":"Bearer"}"""), await first.ReadAsync()));
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"success":true,"message":"OAuth token exchange successful","token_type":"Bearer"}"""), await second.ReadAsync()));
        Assert.Equal(2, _tokens.Received.Count);
        Assert.DoesNotContain("tok-", await first.Content.ReadAsStringAsync(Ct));
        Assert.Empty(Receiver.Received);
    }

    [Fact]
    public async Task Test_oauth_reports_a_failed_exchange_as_a_500_with_the_endpoints_reason()
    {
        _tokens.Enqueue(new Answer.Status(401, """{"error":"invalid_client"}"""));
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, OAuth());

        var response = await Client.PostAsync($"/v1/webhooks/configs/{configId}/test-oauth", null, Ct);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var body = await response.ReadAsync();
        Assert.False(body["success"]!.GetValue<bool>());
        Assert.Equal("""OAuth token exchange failed: Token endpoint answered 401: {"error":"invalid_client"}""", body["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Test_oauth_is_a_400_for_configs_without_oauth_or_that_cannot_make_the_request_and_a_404_for_unknown_ones()
    {
        var (basic, _) = await Client.CreateConfigAsync(Receiver.Url, """ "auth":{"authType":"BASIC","basicAuthConfig":{"username":"u","password":"p"}} """);
        var (none, _) = await Client.CreateConfigAsync(Receiver.Url);
        var (missingVariable, _) = await Client.CreateConfigAsync(Receiver.Url, OAuth().Replace("\"herald\"", "\"{{ env.oauth.nobody }}\""));
        var (oauth, _) = await Client.CreateConfigAsync(Receiver.Url, OAuth());

        var basicAnswer = await Client.PostAsync($"/v1/webhooks/configs/{basic}/test-oauth", null, Ct);
        var noneAnswer = await Client.PostAsync($"/v1/webhooks/configs/{none}/test-oauth", null, Ct);
        var missingAnswer = await Client.PostAsync($"/v1/webhooks/configs/{missingVariable}/test-oauth", null, Ct);
        var unknown = await Client.PostAsync("/v1/webhooks/configs/no-such-config/test-oauth", null, Ct);
        var otherOrg = await App.Client(HeraldApp.TokenB).PostAsync($"/v1/webhooks/configs/{oauth}/test-oauth", null, Ct);

        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.NotFound, HttpStatusCode.NotFound],
            [basicAnswer.StatusCode, noneAnswer.StatusCode, missingAnswer.StatusCode, unknown.StatusCode, otherOrg.StatusCode]);
        Assert.Equal($"Webhook config {basic} does not use OAUTH_CLIENT_CREDENTIALS auth", await basicAnswer.MessageAsync());
        Assert.Contains("auth.oauthConfig.clientId refers to environment variable 'oauth.nobody'", await missingAnswer.MessageAsync());
        Assert.Empty(_tokens.Received);
    }

    [Fact]
    public async Task A_token_endpoint_the_guard_blocks_fails_with_DESTINATION_BLOCKED_and_no_retry()
    {
        // The receiver's network is allowed; the token endpoint on IPv6 loopback is not.
        await using var blockedTokens = await Receiver.StartAsync(IPAddress.IPv6Loopback);
        using var guarded = new HeraldApp(new Dictionary<string, string?> { ["Delivery:AllowedNetworks:0"] = "127.0.0.0/8" });
        var client = guarded.Client();
        var (configId, _) = await client.CreateConfigAsync(Receiver.Url, $$$"""
            "auth":{"authType":"OAUTH_CLIENT_CREDENTIALS","oauthConfig":{"endpoint":"http://[::1]:{{{blockedTokens.Url.Port}}}/token","httpMethod":"POST","clientId":"c","clientSecret":"s"}}
            """);

        var outcome = await client.TriggerAsync(configId, sync: true);
        var tested = await client.PostAsync($"/v1/webhooks/configs/{configId}/test-oauth", null, Ct);

        Assert.Equal("failed", outcome["status"]!.GetValue<string>());
        Assert.Equal("DESTINATION_BLOCKED", outcome["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, tested.StatusCode);
        Assert.Empty(blockedTokens.Received);
        Assert.Empty(Receiver.Received);
    }
}

/// <summary>The same scenarios with Herald on PostgreSQL.</summary>
public sealed class PostgresOAuthScenarios(PostgresServer server) : OAuthScenarios
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => server.StorageAsync();
}

/// <summary>The tokens a node keeps, with the receiver of the scenario as the token endpoint.</summary>
public sealed class OAuthTokenBoundTests : ReceiverScenario
{
    private const int Size = 100;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Delivery:TokenCacheSize"] = $"{Size}" };

    /// <summary>
    /// The node's tokens and the gates that make one exchange per config stay within <c>Delivery:TokenCacheSize</c>
    /// configs however many fetched a token (an organization may make and delete configs without end): past it, the
    /// expired tokens go, then the least recently used down to half the size, and the idle gates. A token used lately
    /// stays and is not fetched again.
    /// </summary>
    [Fact]
    public async Task The_tokens_and_gates_of_many_configs_stay_within_the_cache_size_and_the_recently_used_stay()
    {
        Receiver.Default = new Answer.Status(200, """{"access_token":"tok","token_type":"Bearer","expires_in":3600}""");
        var tokens = App.Services.GetRequiredService<OAuthTokens>();
        var request = new TokenRequest(new Uri(Receiver.Url, "/oauth/token"), "POST", [], "grant_type=client_credentials");
        var orgId = OrganizationId.From("org-many-configs");
        async Task FetchAsync(int config) =>
            Assert.NotNull((await tokens.GetAsync(new TokenScope(orgId, ConfigId.From($"config-{config}"), 1), request, null, new SecretMask(), Ct)).Grant);
        for (var config = 0; config < Size; config++)
        {
            await FetchAsync(config);
        }
        Assert.Equal((Size, Size), tokens.Held);
        await FetchAsync(0);
        Assert.Equal(Size, Receiver.Received.Count);

        await FetchAsync(Size);

        Assert.Equal((Size / 2 + 1, 1), tokens.Held);
        await FetchAsync(0);
        Assert.Equal(Size + 1, Receiver.Received.Count);
        await FetchAsync(1);
        Assert.Equal(Size + 2, Receiver.Received.Count);
    }
}
