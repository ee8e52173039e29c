using System.Text;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Delivery;

/// <summary><c>enableStaticIP</c> and <c>secureProxy</c> deliveries leave through the operator's CONNECT proxies.</summary>
public sealed class EgressScenarios : IAsyncLifetime
{
    private const string Integration = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

    private Receiver _receiver = null!;
    private ConnectProxy _staticIp = null!;
    private ConnectProxy _secure = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _receiver = await Receiver.StartAsync();
        _staticIp = ConnectProxy.Start();
        _secure = ConnectProxy.Start();
    }

    public async ValueTask DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _staticIp.DisposeAsync();
        await _secure.DisposeAsync();
    }

    private HeraldApp App(bool allowPrivate = true, bool proxies = true, string? staticCredentials = null)
    {
        var settings = new Dictionary<string, string?> { ["Delivery:AllowPrivateNetworks"] = allowPrivate ? "true" : "false" };
        if (proxies)
        {
            settings["Delivery:StaticIpProxy"] = _staticIp.Url(staticCredentials).ToString();
            settings[$"Delivery:SecureProxies:{Integration}"] = _secure.Url().ToString();
        }
        return new HeraldApp(settings);
    }

    private string ReceiverTarget => $"127.0.0.1:{_receiver.Url.Port}";

    [Fact]
    public async Task A_static_ip_config_tunnels_through_the_static_ip_proxy_and_others_go_direct()
    {
        using var app = App(staticCredentials: "herald:proxy-pass");
        var client = app.Client();
        var (viaProxy, _) = await client.CreateConfigAsync(new Uri(_receiver.Url, "/hooks/static"), "\"enableStaticIP\":true");
        var (direct, _) = await client.CreateConfigAsync(new Uri(_receiver.Url, "/hooks/direct"));

        var proxied = await client.TriggerAsync(viaProxy, sync: true);
        var straight = await client.TriggerAsync(direct, sync: true);

        Assert.Equal(["succeeded", "succeeded"], [proxied["status"]!.GetValue<string>(), straight["status"]!.GetValue<string>()]);
        Assert.Equal(["/hooks/static", "/hooks/direct"], _receiver.Received.Select(r => r.Path));
        var connect = Assert.Single(_staticIp.Seen);
        Assert.Equal($"CONNECT {ReceiverTarget} HTTP/1.1", connect.RequestLine);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("herald:proxy-pass")), connect.ProxyAuthorization);
        Assert.Empty(_secure.Seen);
    }

    [Fact]
    public async Task A_secure_proxy_config_takes_its_secure_proxy_even_with_static_ip_on()
    {
        using var app = App();
        var client = app.Client();
        var (configId, _) = await client.CreateConfigAsync(_receiver.Url,
            $$"""
            "enableStaticIP":true,"secureProxy":{"integration_id":"{{Integration}}","use_case_slug":"erp-sap"}
            """);

        var outcome = await client.TriggerAsync(configId, sync: true);

        Assert.Equal("succeeded", outcome["status"]!.GetValue<string>());
        Assert.Single(_receiver.Received);
        Assert.Equal(ReceiverTarget, Assert.Single(_secure.Seen).Target);
        Assert.Null(_secure.Seen[0].ProxyAuthorization);
        Assert.Empty(_staticIp.Seen);
    }

    [Fact]
    public async Task The_oauth_token_request_of_a_static_ip_config_takes_the_same_proxy()
    {
        await using var tokens = await Receiver.StartAsync();
        tokens.Default = new Answer.Status(200, """{"access_token":"tok-1","expires_in":3600}""");
        using var app = App();
        var client = app.Client();
        var (configId, _) = await client.CreateConfigAsync(_receiver.Url, $$$"""
            "enableStaticIP":true,
            "auth":{"authType":"OAUTH_CLIENT_CREDENTIALS","oauthConfig":{"endpoint":"{{{tokens.Url}}}token","httpMethod":"POST","clientId":"c","clientSecret":"s"}}
            """);

        var outcome = await client.TriggerAsync(configId, sync: true);

        Assert.Equal("succeeded", outcome["status"]!.GetValue<string>());
        Assert.Equal("Bearer tok-1", Assert.Single(_receiver.Received).Header("authorization"));
        Assert.Equal([$"127.0.0.1:{tokens.Url.Port}", ReceiverTarget], _staticIp.Seen.Select(c => c.Target));
    }

    [Theory]
    [InlineData("\"enableStaticIP\":true", "enableStaticIP asks for the static IP egress proxy")]
    [InlineData("\"secureProxy\":{\"integration_id\":\"" + Integration + "\",\"use_case_slug\":\"erp-sap\"}", "secureProxy (integration_id")]
    public async Task A_config_asking_for_a_proxy_that_is_not_configured_fails_with_STATIC_IP_UNAVAILABLE_and_no_retry(string extra, string message)
    {
        using var app = App(proxies: false);
        var client = app.Client();
        var (configId, _) = await client.CreateConfigAsync(_receiver.Url, extra);

        var outcome = await client.TriggerAsync(configId, sync: true);

        Assert.Equal("failed", outcome["status"]!.GetValue<string>());
        Assert.Equal("STATIC_IP_UNAVAILABLE", outcome["code"]!.GetValue<string>());
        Assert.StartsWith(message, outcome["message"]!.GetValue<string>());
        var eventId = outcome["event_id"]!.GetValue<string>();
        await client.EventWithStatusAsync(configId, eventId, "failed");
        app.Clock.Advance(TimeSpan.FromHours(6));
        await Task.Delay(300, Ct);
        Assert.Empty(_receiver.Received);
        Assert.Equal("failed", (await client.EventAsync(configId, eventId))["status"]!.GetValue<string>());
    }

    [Fact]
    public void A_malformed_proxy_url_stops_the_start()
    {
        var error = HeraldApp.StartFailure(new Dictionary<string, string?> { ["Delivery:StaticIpProxy"] = "socks5://127.0.0.1:1080" });

        Assert.Contains("Delivery:StaticIpProxy must be an http://", error.ToString());
    }

    [Fact]
    public async Task The_guard_still_vets_the_receiver_behind_a_trusted_proxy()
    {
        // The proxy sits on loopback and is trusted as configured; the loopback receiver behind it is not.
        using var app = App(allowPrivate: false);
        var client = app.Client();
        var (configId, _) = await client.CreateConfigAsync(_receiver.Url, "\"enableStaticIP\":true");

        var outcome = await client.TriggerAsync(configId, sync: true);

        Assert.Equal("DESTINATION_BLOCKED", outcome["code"]!.GetValue<string>());
        Assert.Empty(_staticIp.Seen);
        Assert.Empty(_receiver.Received);
    }

    [Fact]
    public async Task A_proxy_refusing_the_tunnel_is_a_retryable_connection_error()
    {
        _staticIp.RefuseWith = 502;
        using var app = App();
        var client = app.Client();
        var (configId, _) = await client.CreateConfigAsync(_receiver.Url, "\"enableStaticIP\":true");

        var outcome = await client.TriggerAsync(configId, sync: true);

        Assert.Equal("CONNECTION_ERROR", outcome["code"]!.GetValue<string>());
        Assert.Contains("refused CONNECT", outcome["message"]!.GetValue<string>());
        Assert.DoesNotContain("proxy-pass", outcome["message"]!.GetValue<string>());
        await client.EventWithStatusAsync(configId, outcome["event_id"]!.GetValue<string>(), "in_progress");
        Assert.Empty(_receiver.Received);
    }
}
