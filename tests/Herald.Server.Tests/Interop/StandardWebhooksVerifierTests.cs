using System.Text.Json.Nodes;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Interop;

/// <summary>Herald's v1 signatures verify with the reference Standard Webhooks library, which shares no code with Herald.</summary>
public sealed class StandardWebhooksVerifierTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_delivered_request_verifies_with_the_npm_standardwebhooks_library()
    {
        await using var receiver = await Receiver.StartAsync();
        using var app = new HeraldApp(new Dictionary<string, string?> { ["Delivery:AllowPrivateNetworks"] = "true" });
        // The library checks the timestamp against the real clock: deliver at the real time.
        app.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        var client = app.Client();
        var (configId, secret) = await client.CreateConfigAsync(receiver.Url);
        await client.TriggerAsync(configId, """{"metadata":{},"entity":{"name":"Zoë","amount":1e3}}""", sync: true);
        var request = (await receiver.WaitForAsync(1))[0];
        Assert.Contains("Zoë", request.Text);

        var signed = new JsonObject
        {
            ["secret"] = secret,
            ["body"] = request.Text,
            ["headers"] = new JsonObject
            {
                ["webhook-id"] = request.Header("webhook-id"),
                ["webhook-timestamp"] = request.Header("webhook-timestamp"),
                ["webhook-signature"] = request.Header("webhook-signature"),
            },
        };
        var tampered = signed.DeepClone();
        tampered["body"] = request.Text.Replace("\"entity\"", "\"entitx\"", StringComparison.Ordinal);
        Assert.NotEqual(request.Text, tampered["body"]!.GetValue<string>());

        var verdict = await EpilotSdk.RunAsync("verify-standard-webhooks.mjs", "verify", app.BaseAddress, HeraldApp.TokenA, HeraldApp.OrgA, Ct,
            new Dictionary<string, string> { ["HERALD_SIGNED_REQUEST"] = signed.ToJsonString() });
        var refused = await EpilotSdk.RunAsync("verify-standard-webhooks.mjs", "verify", app.BaseAddress, HeraldApp.TokenA, HeraldApp.OrgA, Ct,
            new Dictionary<string, string> { ["HERALD_SIGNED_REQUEST"] = tampered.ToJsonString() });

        Assert.True(verdict["verified"]!.GetValue<bool>(), verdict.ToJsonString());
        Assert.False(refused["verified"]!.GetValue<bool>());
    }
}
