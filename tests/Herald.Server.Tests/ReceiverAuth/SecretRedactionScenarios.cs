using System.Net;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.ReceiverAuth;

/// <summary>
/// The values of <c>SecretString</c> variables never appear in what Herald records or answers: event and attempt
/// messages and <c>testOAuth</c> answers show <c>***</c> where a secret stood.
/// </summary>
public sealed class SecretRedactionScenarios : ReceiverScenario
{
    private async Task<string> CreateAsync(string url)
    {
        var created = await Client.PostJsonAsync("/v1/webhooks/configs", $$"""{"name":"n","eventName":"order_created","url":"{{url}}"}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.ReadAsync())["id"]!.GetValue<string>();
    }

    private async Task<string> EverythingRecordedAsync(string configId, string eventId)
    {
        var recorded = await Client.EventAsync(configId, eventId);
        var attempts = await (await Client.GetAsync($"/v1/webhooks/configs/{configId}/events/{eventId}/attempts", Ct)).ReadAsync();
        Assert.NotEmpty(attempts["data"]!.AsArray());
        return recorded.ToJsonString() + attempts.ToJsonString();
    }

    [Fact]
    public async Task A_secret_url_that_is_not_a_url_is_masked_in_the_invalid_url_message()
    {
        await Client.SetVariableAsync("target", "not-a-url-s3cr3t-value", secret: true);
        await Client.SetVariableAsync("path", "visible-path");
        var configId = await CreateAsync("{{ env.target }}/{{ env.path }}");

        var outcome = await Client.TriggerAsync(configId, sync: true);

        var message = outcome["message"]!.GetValue<string>();
        Assert.Equal("failed", outcome["status"]!.GetValue<string>());
        Assert.Contains("***/visible-path", message);
        var everything = await EverythingRecordedAsync(configId, outcome["event_id"]!.GetValue<string>());
        Assert.DoesNotContain("s3cr3t", everything, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("s3cr3t", message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_secret_host_name_is_masked_in_the_connection_error_message()
    {
        await Client.SetVariableAsync("erp.host", "S3cr3t-Host", secret: true);
        var configId = await CreateAsync("http://{{ env.erp.host }}.invalid/hook");

        var outcome = await Client.TriggerAsync(configId, sync: true);

        var message = outcome["message"]!.GetValue<string>();
        Assert.Equal("CONNECTION_ERROR", outcome["code"]!.GetValue<string>());
        Assert.Contains("***", message);
        Assert.DoesNotContain("s3cr3t", message, StringComparison.OrdinalIgnoreCase);
        var everything = await EverythingRecordedAsync(configId, outcome["event_id"]!.GetValue<string>());
        Assert.DoesNotContain("s3cr3t", everything, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Test_oauth_masks_a_secret_endpoint_in_its_answers()
    {
        await Client.SetVariableAsync("idp.endpoint", "idp-s3cr3t-not-a-url", secret: true);
        await Client.SetVariableAsync("idp.host", "idp-S3cr3t-host", secret: true);
        var (invalid, _) = await Client.CreateConfigAsync(Receiver.Url, """
            "auth":{"authType":"OAUTH_CLIENT_CREDENTIALS","oauthConfig":{"endpoint":"{{ env.idp.endpoint }}","httpMethod":"POST","clientId":"c","clientSecret":"s"}}
            """);
        var (unreachable, _) = await Client.CreateConfigAsync(Receiver.Url, """
            "auth":{"authType":"OAUTH_CLIENT_CREDENTIALS","oauthConfig":{"endpoint":"http://{{ env.idp.host }}.invalid/token","httpMethod":"POST","clientId":"c","clientSecret":"s"}}
            """);

        var invalidAnswer = await Client.PostAsync($"/v1/webhooks/configs/{invalid}/test-oauth", null, Ct);
        var unreachableAnswer = await Client.PostAsync($"/v1/webhooks/configs/{unreachable}/test-oauth", null, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, invalidAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, unreachableAnswer.StatusCode);
        foreach (var message in (string[])[await invalidAnswer.MessageAsync(), await unreachableAnswer.MessageAsync()])
        {
            Assert.Contains("***", message);
            Assert.DoesNotContain("s3cr3t", message, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task A_secret_the_receiver_echoes_back_is_masked_in_the_recorded_answer()
    {
        await Client.SetVariableAsync("api.key", "echoed-s3cr3t-key", secret: true);
        Receiver.Enqueue(
            new Answer.Status(401, """{"error":"invalid key echoed-s3cr3t-key"}"""),
            new Answer.Status(403, "key echoed-s3cr3t-key is not allowed", "text/plain"));
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, """
            "auth":{"authType":"API_KEY","apiKeyConfig":{"keyName":"X-Api-Key","keyValue":"api.key","keyValueIsEnvVar":true}}
            """);

        var json = await Client.TriggerAsync(configId, sync: true);
        var text = await Client.TriggerAsync(configId, sync: true);

        Assert.Equal("invalid key ***", json["body"]!["error"]!.GetValue<string>());
        Assert.Equal("key *** is not allowed", text["message"]!.GetValue<string>());
        Assert.DoesNotContain("s3cr3t", await EverythingRecordedAsync(configId, json["event_id"]!.GetValue<string>()), StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", await EverythingRecordedAsync(configId, text["event_id"]!.GetValue<string>()), StringComparison.Ordinal);
    }
}
