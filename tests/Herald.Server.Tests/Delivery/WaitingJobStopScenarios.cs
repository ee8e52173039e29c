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

/// <summary>
/// A stopping node on PostgreSQL gives back its waiting jobs together, in a few statements: with one transaction each, a
/// node holding a hundred or more took as many connections from its pool at the same moment (up to its
/// <c>Max Pool Size</c>, 100), which other nodes of the same server may need.
/// </summary>
public sealed class PostgresWaitingJobStopScenarios(PostgresServer server) : ReceiverScenario
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => server.StorageAsync();

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Workers:ShutdownGrace"] = "00:00:10" };

    private async Task<long> JobsAsync(string where) => Backlogs.Count(await App.ScalarAsync($"SELECT COUNT(*) FROM delivery_jobs WHERE {where}"));

    private async Task<long> ConnectionsAsync() =>
        Backlogs.Count(await App.ScalarAsync("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()"));

    [Fact]
    public async Task A_stopping_node_gives_back_a_hundred_waiting_jobs_on_no_more_connections_than_it_had()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Receiver.Default = new Answer.Gated(release.Task);
        // Three configs to one receiver: each has its own room for handed-over jobs on the node.
        var configs = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            configs.Add((await Client.CreateConfigAsync(Receiver.Url)).Id);
        }
        try
        {
            await Client.TriggerAllAsync(Enumerable.Range(0, 300).Select(i => configs[i % configs.Count]).ToList());
            await Receiver.WaitForAsync(32);
            await Eventually.ReturnsAsync(() => JobsAsync("lease_owner IS NOT NULL"), n => n >= 132, "a hundred jobs or more to wait on the node, leased to it");
            var waiting = await JobsAsync("lease_owner IS NOT NULL") - 32;
            var before = await ConnectionsAsync();

            var stopping = App.Services.GetRequiredService<DeliveryWorker>().StopAsync(Ct);
            await Eventually.ReturnsAsync(() => JobsAsync("lease_owner IS NOT NULL"), n => n == 32, "the waiting jobs to be given back", TimeSpan.FromSeconds(10));
            var after = await ConnectionsAsync();
            Assert.True(after <= before + 1, $"giving back {waiting} jobs took the node from {before} to {after} connections");
            Assert.Equal(0, await JobsAsync("lease_owner IS NULL AND due_at > (SELECT MIN(due_at) FROM delivery_jobs)"));

            release.SetResult();
            await stopping;
            Assert.Equal(32, Receiver.Received.Count);
        }
        finally
        {
            release.TrySetResult();
        }
    }
}
