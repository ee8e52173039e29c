using System.Diagnostics;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Delivery;

/// <summary>
/// <c>Workers:MaxJobsHeld</c> bounds the attempts a node holds from the start of their send until their outcome is
/// committed: beyond it, a new send waits for room, however many slots are free.
/// </summary>
public sealed class HeldJobsScenarios : ReceiverScenario
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Workers:MaxJobsHeld"] = "3",
        ["Workers:ShutdownGrace"] = "00:00:00.200",
    };

    [Fact]
    public async Task No_more_jobs_than_the_bound_are_held_at_once_and_every_event_is_delivered()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Receiver.Default = new Answer.Gated(release.Task);
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url);
        try
        {
            var eventIds = await Client.TriggerAllAsync(Enumerable.Repeat(configId, 10).ToList());
            await Receiver.WaitForAsync(3);
            // The node has 32 slots and the receiver's share is all of them: only the bound keeps the others back.
            await Task.Delay(TimeSpan.FromMilliseconds(500), TestContext.Current.CancellationToken);
            Assert.Equal(3, Receiver.InFlight);
            Assert.Equal(3, Receiver.Received.Count);

            release.SetResult();
            var received = await Receiver.WaitForAsync(10);
            Assert.Equal(eventIds.Select(WebhookSteps.MessageIdOf).Order(), received.Select(r => r.Header("webhook-id")).Order());
            Assert.Equal(3, Receiver.MaxInFlight);
        }
        finally
        {
            release.TrySetResult();
        }
    }
}

/// <summary>
/// Jobs waiting for their turn hold no room of <c>Workers:MaxJobsHeld</c>: one organization's flood of sync triggers
/// to a receiver that never answers, more than the bound, leaves room for another organization's delivery.
/// </summary>
public sealed class HeldJobsIsolationScenarios : ReceiverScenario
{
    private const int Flood = 100;

    // Room above the node's most sends in flight (twice Workers:Concurrency), below the flood.
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Workers:MaxJobsHeld"] = "70",
        ["Workers:ShutdownGrace"] = "00:00:00.200",
    };

    [Fact]
    public async Task A_flood_of_sync_triggers_to_a_receiver_that_never_answers_leaves_room_for_another_organization()
    {
        OtherReceivers.AddRange(await Backlogs.SilentReceiversAsync(1));
        var (silentConfig, _) = await Client.CreateConfigAsync(OtherReceivers[0].Url);
        using var otherOrg = App.Client(HeraldApp.TokenB);
        var (healthyConfig, _) = await otherOrg.CreateConfigAsync(Receiver.Url);

        // Not awaited: each stays open while its attempt waits for the silent receiver (until its client goes, below).
        using var flooder = App.Client();
        var flood = Enumerable.Range(0, Flood).Select(_ => flooder.TriggerAsync(silentConfig, sync: true)).ToList();
        await Eventually.ReturnsAsync(() => Task.FromResult(OtherReceivers[0].InFlight), n => n >= 32, "the silent receiver to hold the node's slots");

        var clock = Stopwatch.StartNew();
        var eventId = (await otherOrg.TriggerAsync(healthyConfig))["event_id"]!.GetValue<string>();
        var received = await Receiver.WaitForAsync(1, TimeSpan.FromSeconds(2));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"delivered after {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(WebhookSteps.MessageIdOf(eventId), received[0].Header("webhook-id"));
        Assert.All(flood, t => Assert.False(t.IsCompletedSuccessfully));
        flooder.CancelPendingRequests();
    }
}
