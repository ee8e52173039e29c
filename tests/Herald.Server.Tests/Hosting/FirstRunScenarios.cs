using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Hosting;

/// <summary>
/// A first run teaches: in Development (the environment <c>dotnet run</c> starts in) a receiver on the same machine
/// works; elsewhere a blocked delivery says which settings open the way.
/// </summary>
public sealed class FirstRunScenarios : IAsyncLifetime
{
    private Receiver _receiver = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _receiver = await Receiver.StartAsync();

    public async ValueTask DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task In_Development_a_trigger_reaches_a_receiver_on_127_0_0_1()
    {
        // Only the environment is chosen: the guard setting comes from appsettings.Development.json.
        using var app = new HeraldApp(new Dictionary<string, string?> { ["environment"] = "Development" });
        var client = app.Client();
        var (configId, _) = await client.CreateConfigAsync(_receiver.Url);

        var outcome = await client.TriggerAsync(configId, sync: true);

        Assert.Equal("succeeded", outcome["status"]!.GetValue<string>());
        Assert.Single(await _receiver.WaitForAsync(1));
    }

    [Fact]
    public async Task Outside_Development_a_blocked_receiver_names_the_settings_that_allow_it()
    {
        using var app = new HeraldApp();
        var client = app.Client();
        var (configId, _) = await client.CreateConfigAsync(_receiver.Url);

        var outcome = await client.TriggerAsync(configId, sync: true);

        Assert.Equal("DESTINATION_BLOCKED", outcome["code"]!.GetValue<string>());
        var message = outcome["message"]!.GetValue<string>();
        Assert.Contains("Delivery:AllowedNetworks", message);
        Assert.Contains("Delivery:AllowPrivateNetworks", message);
        Assert.Empty(_receiver.Received);
    }
}
