using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Delivery;

/// <summary>
/// <c>Workers:MaxJobsHeld</c> bounds the jobs a node holds from their start until their outcome is committed: beyond
/// it, a new job waits for room before it is prepared, however many slots are free.
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
