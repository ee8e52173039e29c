using Herald.Server.Configs;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Configs;

/// <summary>An incomplete config says why: <c>statusReason</c> names the missing fields on every answer that shows it.</summary>
public sealed class StatusReasonTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("""{"name":"n","eventName":"e"}""", "url is missing")]
    [InlineData("""{"name":"n","eventName":"e","url":"https://r.example","auth":{"authType":"BASIC","basicAuthConfig":{"username":"u"}}}""",
        "auth.basicAuthConfig.password is missing")]
    [InlineData("""{"name":"n","eventName":"e","auth":{"authType":"API_KEY","apiKeyConfig":{"keyName":"X-Key"}}}""",
        "url and auth.apiKeyConfig.keyValue are missing")]
    [InlineData("""{"name":"n","eventName":"e","url":"https://r.example","auth":{"authType":"OAUTH_CLIENT_CREDENTIALS","oauthConfig":{"clientId":"c","endpoint":"https://idp.example/token","httpMethod":"POST"}}}""",
        "auth.oauthConfig.clientSecret is missing")]
    public async Task Create_get_and_list_carry_the_reason_of_an_incomplete_config(string body, string reason)
    {
        using var app = new HeraldApp();
        var client = app.Client();

        var created = await (await client.PostJsonAsync("/v1/webhooks/configs", body)).ReadAsync();
        var id = created["id"]!.GetValue<string>();
        var read = await (await client.GetAsync($"/v1/webhooks/configs/{id}", Ct)).ReadAsync();
        var listed = (await (await client.GetAsync("/v1/webhooks/configs", Ct)).ReadAsync()).AsArray().Single(c => c!["id"]!.GetValue<string>() == id)!;

        foreach (var answer in new[] { created, read, listed })
        {
            Assert.Equal("incomplete", answer["status"]!.GetValue<string>());
            Assert.Equal(reason, answer["statusReason"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task An_update_that_completes_the_config_drops_the_reason_and_one_that_leaves_out_a_secret_names_it()
    {
        using var app = new HeraldApp();
        var client = app.Client();
        var id = (await (await client.PostJsonAsync("/v1/webhooks/configs", """{"name":"n","eventName":"e"}""")).ReadAsync())["id"]!.GetValue<string>();

        var completed = await (await client.PutJsonAsync($"/v1/webhooks/configs/{id}", """{"name":"n","eventName":"e","url":"https://r.example"}""")).ReadAsync();
        var broken = await (await client.PutJsonAsync($"/v1/webhooks/configs/{id}",
            """{"name":"n","eventName":"e","url":"https://r.example","auth":{"authType":"BASIC","basicAuthConfig":{"username":"u"}}}""")).ReadAsync();

        Assert.Equal("active", completed["status"]!.GetValue<string>());
        Assert.False(completed.AsObject().ContainsKey("statusReason"));
        Assert.Equal("incomplete", broken["status"]!.GetValue<string>());
        Assert.Equal("auth.basicAuthConfig.password is missing", broken["statusReason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_reason_sent_by_the_client_is_ignored()
    {
        using var app = new HeraldApp();
        var created = await (await app.Client().PostJsonAsync("/v1/webhooks/configs",
            """{"name":"n","eventName":"e","url":"https://r.example","statusReason":"made up"}""")).ReadAsync();

        Assert.Equal("active", created["status"]!.GetValue<string>());
        Assert.False(created.AsObject().ContainsKey("statusReason"));
    }

    [Theory]
    [InlineData("""{"status":"incomplete"}""", "url is missing")]
    [InlineData("""{"status":"incomplete","url":"https://r.example","auth":{"authType":"BASIC","basicAuthConfig":{"username":"u"}}}""", "auth.basicAuthConfig.password is missing")]
    [InlineData("""{"status":"incomplete","url":"https://r.example","auth":{"authType":"BASIC","basicAuthConfig":{}}}""", "auth.basicAuthConfig.username is missing")]
    [InlineData("""{"status":"active","url":"https://r.example"}""", null)]
    public void A_config_stored_without_a_reason_gets_one_from_its_document(string document, string? reason)
    {
        var config = System.Text.Json.JsonSerializer.Deserialize<WebhookConfig>(document)!;

        ConfigStatus.FillReason(config);

        Assert.Equal(reason, config.StatusReason);
    }
}
