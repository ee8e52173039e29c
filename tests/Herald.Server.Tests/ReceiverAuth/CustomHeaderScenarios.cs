using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.ReceiverAuth;

/// <summary>Custom headers reach the receiver, except names that would override what Herald owns.</summary>
public sealed class CustomHeaderScenarios : ReceiverScenario
{
    [Fact]
    public async Task Allowed_headers_arrive_and_blocked_ones_are_dropped()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, """
            "payloadConfiguration":{"custom_headers":{
              "X-Tenant":"acme", "Accept":"application/json",
              "Authorization":"Bearer forged", "Content-Type":"text/plain", "Host":"evil.example", "User-Agent":"forged",
              "Transfer-Encoding":"chunked", "Connection":"close", "webhook-id":"msg_forged", "X-Forwarded-For":"10.0.0.1",
              "x-amz-date":"forged", "X-Amzn-Trace-Id":"forged", "x-epilot-org-id":"org-b", "X-Api-Key":"shadow"}},
            "auth":{"authType":"API_KEY","apiKeyConfig":{"keyName":"X-Api-Key","keyValue":"real-key"}}
            """);

        var outcome = await Client.TriggerAsync(configId, sync: true);

        Assert.Equal("succeeded", outcome["status"]!.GetValue<string>());
        var request = Assert.Single(Receiver.Received);
        Assert.Equal("acme", request.Header("x-tenant"));
        Assert.Equal("application/json", request.Header("accept"));
        Assert.Equal("real-key", request.Header("x-api-key"));
        Assert.False(request.Headers.ContainsKey("authorization"));
        Assert.Equal("application/json", request.Header("content-type"));
        Assert.Equal($"127.0.0.1:{Receiver.Url.Port}", request.Header("host"));
        Assert.StartsWith("Herald-Webhooks/", request.Header("user-agent"));
        Assert.False(request.Headers.ContainsKey("transfer-encoding"));
        Assert.Equal(request.Body.Length.ToString(), request.Header("content-length"));
        Assert.StartsWith("msg_", request.Header("webhook-id"));
        Assert.NotEqual("msg_forged", request.Header("webhook-id"));
        Assert.DoesNotContain(request.Headers.Keys, k => k.StartsWith("x-forwarded-", StringComparison.Ordinal) || k.StartsWith("x-amz", StringComparison.Ordinal));
        Assert.False(request.Headers.ContainsKey("x-epilot-org-id"));
    }

    [Fact]
    public async Task A_header_value_that_would_split_the_request_fails_the_attempt_and_sends_nothing()
    {
        await Client.SetVariableAsync("injected", "a\r\nX-Injected: 1");
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, """
            "payloadConfiguration":{"custom_headers":{"X-Tenant":"{{ env.injected }}"}}
            """);

        var outcome = await Client.TriggerAsync(configId, sync: true);

        Assert.Equal("failed", outcome["status"]!.GetValue<string>());
        Assert.Equal("INTERNAL_ERROR", outcome["code"]!.GetValue<string>());
        Assert.Contains("X-Tenant", outcome["message"]!.GetValue<string>());
        Assert.Empty(Receiver.Received);
    }
}
