using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.ReceiverAuth;

/// <summary>
/// The headers Herald builds for one attempt are capped (<c>Delivery:MaxRequestHeaderBytes</c>): a variable that
/// is referenced over and over cannot make Herald build and send megabytes of headers.
/// </summary>
public sealed class HeaderLimitScenarios : ReceiverScenario
{
    internal static string References(string name, int count) => string.Concat(Enumerable.Repeat($"{{{{env.{name}}}}}", count));

    [Fact]
    public async Task A_large_variable_referenced_many_times_fails_the_attempt_naming_the_limit_and_is_not_retried()
    {
        await Client.SetVariableAsync("big", new string('x', 32_768));
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, $$$"""
            "payloadConfiguration":{"custom_headers":{"X-Big":"{{{References("big", 2_000)}}}"}}
            """);

        var outcome = await Client.TriggerAsync(configId, sync: true);

        Assert.Equal("failed", outcome["status"]!.GetValue<string>());
        Assert.Equal("INTERNAL_ERROR", outcome["code"]!.GetValue<string>());
        var message = outcome["message"]!.GetValue<string>();
        Assert.Contains("payloadConfiguration.custom_headers.X-Big", message);
        Assert.Contains("65536 bytes", message);
        Assert.Contains("Delivery:MaxRequestHeaderBytes", message);
        var eventId = outcome["event_id"]!.GetValue<string>();
        Assert.Equal("failed", (await Client.EventAsync(configId, eventId))["status"]!.GetValue<string>());
        App.Clock.Advance(TimeSpan.FromHours(6));
        await Task.Delay(300, Ct);
        Assert.Empty(Receiver.Received);
        Assert.Equal(0, (await Client.EventAsync(configId, eventId))["retry_attempt"]!.GetValue<int>());
    }
}

/// <summary>A lower cap set by the operator applies, auth headers included.</summary>
public sealed class ConfiguredHeaderLimitScenarios : ReceiverScenario
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Delivery:MaxRequestHeaderBytes"] = "1024",
    };

    [Fact]
    public async Task An_api_key_beyond_a_configured_limit_fails_the_attempt()
    {
        await Client.SetVariableAsync("api.key", new string('k', 2_000), secret: false);
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, """
            "auth":{"authType":"API_KEY","apiKeyConfig":{"keyName":"X-Api-Key","keyValue":"api.key","keyValueIsEnvVar":true}}
            """);

        var outcome = await Client.TriggerAsync(configId, sync: true);

        Assert.Equal("failed", outcome["status"]!.GetValue<string>());
        var message = outcome["message"]!.GetValue<string>();
        Assert.Contains("auth.apiKeyConfig.keyValue", message);
        Assert.Contains("1024 bytes", message);
        Assert.Empty(Receiver.Received);
    }

    [Fact]
    public async Task Headers_within_the_limit_are_sent_and_the_limit_counts_every_header_together()
    {
        // Two headers of 600 characters: each alone fits in 1 KiB, both together do not.
        await Client.SetVariableAsync("part", new string('y', 300));
        var (fits, _) = await Client.CreateConfigAsync(Receiver.Url, $$$"""
            "payloadConfiguration":{"custom_headers":{"X-One":"{{{HeaderLimitScenarios.References("part", 2)}}}"}}
            """);
        var (tooMuch, _) = await Client.CreateConfigAsync(Receiver.Url, $$$"""
            "payloadConfiguration":{"custom_headers":{"X-One":"{{{HeaderLimitScenarios.References("part", 2)}}}","X-Two":"{{{HeaderLimitScenarios.References("part", 2)}}}"}}
            """);

        var sent = await Client.TriggerAsync(fits, sync: true);
        var refused = await Client.TriggerAsync(tooMuch, sync: true);

        Assert.Equal("succeeded", sent["status"]!.GetValue<string>());
        Assert.Equal(600, Assert.Single(Receiver.Received).Header("x-one").Length);
        Assert.Equal("failed", refused["status"]!.GetValue<string>());
        Assert.Contains("payloadConfiguration.custom_headers.X-Two", refused["message"]!.GetValue<string>());
    }
}
