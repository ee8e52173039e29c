using Herald.Server.Delivery;
using Herald.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Server.Tests.Delivery;

/// <summary>A stopping node gives back at once the jobs waiting for their turn; sends in flight get the grace.</summary>
public sealed class WaitingJobStopScenarios : ReceiverScenario
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Workers:Concurrency"] = "4",
        ["Workers:ShutdownGrace"] = "00:00:10",
    };

    private async Task<long> JobsAsync(string where) => Backlogs.Count(await App.ScalarAsync($"SELECT COUNT(*) FROM delivery_jobs WHERE {where}"));

    [Fact]
    public async Task Jobs_waiting_for_their_turn_are_given_back_at_once_while_sends_in_flight_finish()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Receiver.Default = new Answer.Gated(release.Task);
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url);
        try
        {
            for (var i = 0; i < 6; i++)
            {
                await Client.TriggerAsync(configId);
            }
            // Four sends hold the node's slots; the other two jobs wait on this node, leased to it.
            await Receiver.WaitForAsync(4);
            await Eventually.ReturnsAsync(() => JobsAsync("lease_owner IS NOT NULL"), n => n == 6, "every job to be held by the node");

            var stopping = App.Services.GetRequiredService<DeliveryWorker>().StopAsync(Ct);
            await Eventually.ReturnsAsync(() => JobsAsync("lease_owner IS NULL AND lease_until IS NULL"), n => n == 2, "the waiting jobs to be given back",
                TimeSpan.FromSeconds(3));
            // Due at once (the clock stands still): none is due later than the others.
            Assert.Equal(0, await JobsAsync("due_at > (SELECT MIN(due_at) FROM delivery_jobs)"));
            Assert.Equal(4, await JobsAsync("lease_owner IS NOT NULL"));
            Assert.False(stopping.IsCompleted);

            release.SetResult();
            await stopping;
            Assert.Equal(2, await JobsAsync("lease_owner IS NULL"));
            Assert.Equal(2, await JobsAsync("1 = 1"));
            Assert.Equal(4, Receiver.Received.Count);
        }
        finally
        {
            release.TrySetResult();
        }
    }
}
