using System.Text;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.ReceiverAuth;

/// <summary><c>{{ env.NAME }}</c> references resolve from the organization's variables on every attempt.</summary>
public sealed class EnvReferenceScenarios : ReceiverScenario
{
    [Fact]
    public async Task The_url_a_header_and_the_basic_credentials_resolve_from_variables()
    {
        await Client.SetVariableAsync("erp.base-url", Receiver.Url.ToString().TrimEnd('/'));
        await Client.SetVariableAsync("erp.tenant", "acme");
        await Client.SetVariableAsync("erp.user", "herald");
        await Client.SetVariableAsync("erp.password", "pa$$-from-env", secret: true);
        var created = await Client.PostJsonAsync("/v1/webhooks/configs", """
            {"name":"Env","eventName":"order_created",
             "url":"{{ env.erp.base-url }}/hooks/{{env.erp.tenant}}",
             "payloadConfiguration":{"custom_headers":{"X-Tenant":"tenant={{ env.erp.tenant }}"}},
             "auth":{"authType":"BASIC","basicAuthConfig":{"username":"{{ env.erp.user }}","password":"{{ env.erp.password }}","passwordIsEnvVar":true}}}
            """);
        var configId = (await created.ReadAsync())["id"]!.GetValue<string>();

        var outcome = await Client.TriggerAsync(configId, sync: true);

        Assert.Equal("succeeded", outcome["status"]!.GetValue<string>());
        var request = Assert.Single(Receiver.Received);
        Assert.Equal("/hooks/acme", request.Path);
        Assert.Equal("tenant=acme", request.Header("x-tenant"));
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("herald:pa$$-from-env")), request.Header("authorization"));
    }

    [Fact]
    public async Task A_changed_variable_takes_effect_on_the_next_attempt()
    {
        await Client.SetVariableAsync("api.key", "first", secret: true);
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, """
            "auth":{"authType":"API_KEY","apiKeyConfig":{"keyName":"X-Api-Key","keyValue":"api.key","keyValueIsEnvVar":true}}
            """);

        await Client.TriggerAsync(configId, sync: true);
        await Client.SetVariableAsync("api.key", "second", secret: true);
        await Client.TriggerAsync(configId, sync: true);

        Assert.Equal(["first", "second"], Receiver.Received.Select(r => r.Header("x-api-key")));
    }

    [Fact]
    public async Task A_missing_variable_fails_the_event_with_ENV_VARIABLE_NOT_FOUND_and_no_retry()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, """
            "payloadConfiguration":{"custom_headers":{"X-Tenant":"{{ env.not.defined }}"}}
            """);

        var outcome = await Client.TriggerAsync(configId, sync: true);

        Assert.Equal("failed", outcome["status"]!.GetValue<string>());
        Assert.Equal("ENV_VARIABLE_NOT_FOUND", outcome["code"]!.GetValue<string>());
        Assert.Contains("payloadConfiguration.custom_headers.X-Tenant refers to environment variable 'not.defined'", outcome["message"]!.GetValue<string>());
        var eventId = outcome["event_id"]!.GetValue<string>();
        var recorded = await Client.EventWithStatusAsync(configId, eventId, "failed");
        Assert.Equal("ENV_VARIABLE_NOT_FOUND", recorded["http_response"]!["code"]!.GetValue<string>());
        App.Clock.Advance(TimeSpan.FromHours(6));
        await Task.Delay(300, Ct);
        Assert.Empty(Receiver.Received);
        Assert.Equal(0, (await Client.EventAsync(configId, eventId))["retry_attempt"]!.GetValue<int>());
    }

    [Fact]
    public async Task Another_organizations_variable_of_the_same_name_is_not_used()
    {
        var stranger = App.Client(HeraldApp.TokenB);
        await stranger.SetVariableAsync("shared.secret", "theirs", secret: true);
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, """
            "auth":{"authType":"API_KEY","apiKeyConfig":{"keyName":"X-Api-Key","keyValue":"{{ env.shared.secret }}"}}
            """);

        var outcome = await Client.TriggerAsync(configId, sync: true);

        Assert.Equal("ENV_VARIABLE_NOT_FOUND", outcome["code"]!.GetValue<string>());
        Assert.Empty(Receiver.Received);
    }
}
