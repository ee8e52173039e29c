using System.Net;
using System.Text;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.ReceiverAuth;

/// <summary>
/// Header values go on the wire only as visible ASCII, space and tab. A literal outside that is refused at save; a
/// value that a variable brings fails the attempt, not retried, naming the header, and sends nothing.
/// </summary>
public sealed class HeaderValueScenarios : ReceiverScenario
{
    [Theory]
    [InlineData("Grüße")]
    [InlineData("a\u0001b")]
    [InlineData("a\u007fb")]
    public async Task A_variable_that_brings_a_character_outside_visible_ASCII_fails_the_attempt_naming_the_header(string value)
    {
        await Client.SetVariableAsync("tenant", value);
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, """
            "payloadConfiguration":{"custom_headers":{"X-Tenant":"t={{ env.tenant }}"}}
            """);

        var outcome = await Client.TriggerAsync(configId, sync: true);

        Assert.Equal("failed", outcome["status"]!.GetValue<string>());
        Assert.Equal("INTERNAL_ERROR", outcome["code"]!.GetValue<string>());
        var message = outcome["message"]!.GetValue<string>();
        Assert.Contains("payloadConfiguration.custom_headers.X-Tenant", message);
        Assert.Contains("visible ASCII", message);
        var eventId = outcome["event_id"]!.GetValue<string>();
        Assert.Equal("failed", (await Client.EventAsync(configId, eventId))["status"]!.GetValue<string>());
        App.Clock.Advance(TimeSpan.FromHours(6));
        await Task.Delay(300, Ct);
        Assert.Empty(Receiver.Received);
    }

    [Fact]
    public async Task An_api_key_from_a_variable_is_checked_the_same_way()
    {
        await Client.SetVariableAsync("api.key", "schlüssel", secret: true);
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, """
            "auth":{"authType":"API_KEY","apiKeyConfig":{"keyName":"X-Api-Key","keyValue":"api.key","keyValueIsEnvVar":true}}
            """);

        var outcome = await Client.TriggerAsync(configId, sync: true);

        Assert.Equal("INTERNAL_ERROR", outcome["code"]!.GetValue<string>());
        Assert.Contains("auth.apiKeyConfig.keyValue", outcome["message"]!.GetValue<string>());
        Assert.Empty(Receiver.Received);
    }

    [Fact]
    public async Task Basic_credentials_travel_base64_encoded_so_a_non_ASCII_username_is_accepted_and_sent_as_UTF8()
    {
        var created = await Client.PostJsonAsync("/v1/webhooks/configs", $$$$"""
            {"name":"n","eventName":"order_created","url":"{{{{Receiver.Url}}}}","auth":{"authType":"BASIC","basicAuthConfig":{"username":"jürgen","password":"p"}}}
            """);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var outcome = await Client.TriggerAsync((await created.ReadAsync())["id"]!.GetValue<string>(), sync: true);

        Assert.Equal("succeeded", outcome["status"]!.GetValue<string>());
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("jürgen:p")), Assert.Single(Receiver.Received).Header("authorization"));
    }
}
