using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Delivery;

/// <summary>The worker keeps its slots when a claim fills every free one.</summary>
public sealed class WorkerSlotScenarios : IAsyncLifetime
{
    private HeraldApp _app = null!;
    private Receiver _receiver = null!;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        _receiver = await Receiver.StartAsync();
        _app = new HeraldApp(new Dictionary<string, string?>
        {
            ["Delivery:AllowPrivateNetworks"] = "true",
            ["Workers:Concurrency"] = "1",
        });
        _client = _app.Client();
    }

    public async ValueTask DisposeAsync()
    {
        _app.Dispose();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task More_events_than_worker_slots_are_all_delivered()
    {
        var (configId, _) = await _client.CreateConfigAsync(_receiver.Url);

        for (var i = 0; i < 4; i++)
        {
            await _client.TriggerAsync(configId);
        }

        var received = await _receiver.WaitForAsync(4);
        Assert.Equal(4, received.Select(r => r.Header("webhook-id")).Distinct().Count());
    }
}
