using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Delivery;

/// <summary>
/// A sync trigger's job runs through the node's one job runner like every other job: it takes a worker slot and
/// waits for its turn at its destination, so a sync caller cannot send past the node's limits.
/// </summary>
public class SyncRunScenarios : ReceiverScenario
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Workers:Concurrency"] = "1",
        ["Delivery:MaxConcurrentPerDestination"] = "1",
        ["Delivery:MaxConcurrentPerOrganization"] = "1",
        ["Workers:ShutdownGrace"] = "00:00:00.200",
    };

    [Fact]
    public async Task A_sync_trigger_to_a_destination_whose_sends_are_taken_waits_its_turn_then_answers_its_outcome()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Receiver.Default = new Answer.Gated(release.Task);
        var (asyncConfig, _) = await Client.CreateConfigAsync(Receiver.Url);
        var (syncConfig, _) = await Client.CreateConfigAsync(Receiver.Url);
        try
        {
            // The receiver holds the async delivery: the destination's one send, and the node's, are taken.
            await Client.TriggerAsync(asyncConfig);
            await Receiver.WaitForAsync(1);

            var sync = Client.TriggerAsync(syncConfig, sync: true);
            await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
            Assert.False(sync.IsCompleted);
            Assert.Single(Receiver.Received);

            release.SetResult();
            var answer = await sync;
            Assert.Equal("succeeded", answer["status"]!.GetValue<string>());
            Assert.Equal("200", answer["status_code"]!.GetValue<string>());
            await Receiver.WaitForAsync(2);
            Assert.Equal(1, Receiver.MaxInFlight);
        }
        finally
        {
            release.TrySetResult();
        }
    }
}
