using System.Net;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Delivery;

/// <summary>Under the default configuration deliveries never reach loopback, private or metadata addresses.</summary>
public sealed class DestinationGuardScenarios : IAsyncLifetime
{
    private HeraldApp _app = null!;
    private Receiver _receiver = null!;
    private HttpClient _client = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _receiver = await Receiver.StartAsync(IPAddress.IPv6Any);
        _app = new HeraldApp();
        _client = _app.Client();
    }

    public async ValueTask DisposeAsync()
    {
        _app.Dispose();
        await _receiver.DisposeAsync();
    }

    public static TheoryData<string> BlockedDestinations => new()
    {
        "http://127.0.0.1:{port}/hook",
        "http://10.0.0.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:{port}/hook",
        "http://localhost:{port}/hook",
        "http://192.168.1.10/hook",
        "http://[::ffff:127.0.0.1]:{port}/hook",
    };

    [Theory]
    [MemberData(nameof(BlockedDestinations))]
    public async Task A_blocked_destination_fails_with_DESTINATION_BLOCKED_and_is_not_retried(string template)
    {
        var url = new Uri(template.Replace("{port}", _receiver.Url.Port.ToString()));
        var (configId, _) = await _client.CreateConfigAsync(url);

        var outcome = await _client.TriggerAsync(configId, sync: true);

        Assert.Equal("failed", outcome["status"]!.GetValue<string>());
        Assert.Equal("DESTINATION_BLOCKED", outcome["code"]!.GetValue<string>());
        Assert.Null(outcome["status_code"]);
        var recorded = await _client.EventWithStatusAsync(configId, outcome["event_id"]!.GetValue<string>(), "failed");
        Assert.Equal("DESTINATION_BLOCKED", recorded["http_response"]!["code"]!.GetValue<string>());
        _app.Clock.Advance(TimeSpan.FromHours(1));
        await Task.Delay(200, Ct);
        Assert.Empty(_receiver.Received);
        Assert.Equal("failed", (await _client.EventAsync(configId, outcome["event_id"]!.GetValue<string>()))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_operator_allow_list_lets_a_listed_network_through()
    {
        using var allowed = new HeraldApp(new Dictionary<string, string?> { ["Delivery:AllowedNetworks:0"] = "127.0.0.0/8" });
        var client = allowed.Client();
        var (configId, _) = await client.CreateConfigAsync(new Uri($"http://127.0.0.1:{_receiver.Url.Port}/hook"));
        var (ipv6, _) = await client.CreateConfigAsync(new Uri($"http://[::1]:{_receiver.Url.Port}/hook"));

        var outcome = await client.TriggerAsync(configId, sync: true);
        var blocked = await client.TriggerAsync(ipv6, sync: true);

        Assert.Equal("succeeded", outcome["status"]!.GetValue<string>());
        Assert.Equal("DESTINATION_BLOCKED", blocked["code"]!.GetValue<string>());
        Assert.Single(_receiver.Received);
    }
}
