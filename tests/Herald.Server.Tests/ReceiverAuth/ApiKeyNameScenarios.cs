using System.Net;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.ReceiverAuth;

/// <summary>
/// The API key header name obeys the custom header name rules: refused at save, and a config stored before the rule
/// existed fails its attempts without sending anything instead of losing or forging a header.
/// </summary>
public sealed class ApiKeyNameScenarios : ReceiverScenario
{
    private const string ApiKey = """
        "auth":{"authType":"API_KEY","apiKeyConfig":{"keyName":"X-Api-Key","keyValue":"real-key"}}
        """;

    [Theory]
    [InlineData("Host")]
    [InlineData("Transfer-Encoding")]
    [InlineData("X-Forwarded-For")]
    [InlineData("webhook-signature")]
    [InlineData("Content-Length")]
    [InlineData("X-Key\r\nX-Injected: 1")]
    public async Task A_stored_key_name_Herald_owns_or_that_is_no_token_fails_the_attempt_without_retry(string keyName)
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, ApiKey);
        await App.ExecuteSqlAsync($"UPDATE webhook_configs SET document = json_set(document, '$.auth.apiKeyConfig.keyName', '{keyName}') WHERE id = '{configId}'");

        var outcome = await Client.TriggerAsync(configId, sync: true);

        Assert.Equal("failed", outcome["status"]!.GetValue<string>());
        Assert.Equal("INTERNAL_ERROR", outcome["code"]!.GetValue<string>());
        Assert.Contains("auth.apiKeyConfig.keyName", outcome["message"]!.GetValue<string>());
        var eventId = outcome["event_id"]!.GetValue<string>();
        Assert.Equal("failed", (await Client.EventAsync(configId, eventId))["status"]!.GetValue<string>());
        Assert.Empty(Receiver.Received);
    }

    [Fact]
    public async Task Create_and_update_refuse_the_names_with_a_400_naming_the_field()
    {
        var created = await Client.PostJsonAsync("/v1/webhooks/configs",
            """{"name":"n","eventName":"e","auth":{"authType":"API_KEY","apiKeyConfig":{"keyName":"webhook-signature","keyValue":"v"}}}""");
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, ApiKey);
        var updated = await Client.PutJsonAsync($"/v1/webhooks/configs/{configId}",
            $$$$"""{"name":"n","eventName":"order_created","url":"{{{{Receiver.Url}}}}","auth":{"authType":"API_KEY","apiKeyConfig":{"keyName":"Host"}}}""");

        Assert.Equal(HttpStatusCode.BadRequest, created.StatusCode);
        Assert.Contains("auth.apiKeyConfig.keyName", await created.MessageAsync());
        Assert.Equal(HttpStatusCode.BadRequest, updated.StatusCode);
        Assert.Contains("auth.apiKeyConfig.keyName", await updated.MessageAsync());
        await Client.TriggerAsync(configId, sync: true);
        Assert.Equal("real-key", Assert.Single(Receiver.Received).Header("x-api-key"));
    }
}
