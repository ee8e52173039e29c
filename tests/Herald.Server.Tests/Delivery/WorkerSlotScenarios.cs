using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Delivery;

/// <summary>The worker keeps its slots when a claim fills every free one.</summary>
public sealed class WorkerSlotScenarios : ReceiverScenario
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Workers:Concurrency"] = "1" };

    [Fact]
    public async Task More_events_than_worker_slots_are_all_delivered()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url);

        for (var i = 0; i < 4; i++)
        {
            await Client.TriggerAsync(configId);
        }

        var received = await Receiver.WaitForAsync(4);
        Assert.Equal(4, received.Select(r => r.Header("webhook-id")).Distinct().Count());
    }
}
