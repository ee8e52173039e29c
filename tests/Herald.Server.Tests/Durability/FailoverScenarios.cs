using System.Diagnostics;
using Herald.Server.Tests.Support;
using Npgsql;

namespace Herald.Server.Tests.Durability;

/// <summary>
/// Three Herald processes on one PostgreSQL database; one is killed outright (SIGKILL) in the middle of a stream of
/// triggers spread over all three. The two left deliver everything that was accepted, the killed node's jobs included,
/// which they reclaim once its leases run out; an event is sent twice only when its job's lease expired with the node.
/// </summary>
[Collection(nameof(DurabilityCollection))]
public sealed class FailoverScenarios(PostgresServer postgres, ITestOutputHelper output)
{
    private const int ClientsPerNode = 2;
    private const int TriggersPerClient = 80;
    private const int Triggers = 3 * ClientsPerNode * TriggersPerClient;
    private const int KillAfterAccepted = Triggers * 2 / 5;

    /// <summary>The lease the nodes take: the attempt timeout (5 s) plus the lease margin (3 s), as the lease setting is shorter.</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(8);

    /// <summary>A reclaim comes within the lease, plus the claim loop's poll and a loaded machine's delays.</summary>
    private static readonly TimeSpan ReclaimSlack = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = 240_000)]
    public async Task A_node_killed_mid_stream_leaves_its_jobs_to_the_other_two_which_deliver_every_accepted_event_within_the_lease()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var clock = Stopwatch.StartNew();
        await using var receiver = await Receiver.StartAsync();
        // Slow enough that the kill finds attempts in flight, some of them already seen by the receiver.
        receiver.Latency = TimeSpan.FromMilliseconds(100);
        using var dataA = new TempDirectory("herald-node-a");
        using var dataB = new TempDirectory("herald-node-b");
        using var dataC = new TempDirectory("herald-node-c");
        Dictionary<string, string> On(TempDirectory data)
        {
            var settings = DurabilityNodes.Settings(data.Path);
            settings["Storage:Provider"] = "Postgres";
            settings["Storage:ConnectionString"] = connectionString;
            settings["Roles"] = "api,worker";
            settings["Delivery:AttemptTimeout"] = "00:00:05";
            settings["Delivery:LeaseDuration"] = "00:00:05";
            settings["Delivery:LeaseMargin"] = "00:00:03";
            settings["Workers:Concurrency"] = "16";
            settings["Delivery:MaxConcurrentPerDestination"] = "16";
            return settings;
        }

        await using var servers = new HeraldProcesses();
        try
        {
            var starts = new[] { servers.StartAsync("A", On(dataA), Ct), servers.StartAsync("B", On(dataB), Ct), servers.StartAsync("C", On(dataC), Ct) };
            await Task.WhenAll(starts);
            var (a, b, c) = (await starts[0], await starts[1], await starts[2]);
            using var clientB = b.Client(DurabilityNodes.Token);
            var (configId, _) = await clientB.CreateConfigAsync(receiver.Url);

            var killPoint = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var stream = TriggerStream.FireAsync([a, b, c, a, b, c], DurabilityNodes.Token, configId, TriggersPerClient, accepted =>
            {
                if (accepted >= KillAfterAccepted)
                {
                    killPoint.TrySetResult();
                }
            }, Ct);
            await Task.WhenAny(killPoint.Task, stream).WaitAsync(TimeSpan.FromSeconds(90), Ct);
            Assert.True(killPoint.Task.IsCompleted, $"The stream ended before {KillAfterAccepted} triggers were accepted");
            // The kill comes while the receiver holds requests: attempts are in flight.
            var held = await Eventually.ReturnsAsync(() => Task.FromResult(receiver.Held), h => h > 0, "an attempt in flight",
                TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(1));
            var attemptsByAOnTheWire = a.AttemptedEventIds().Count;
            await a.KillAsync();
            var killedAt = DateTimeOffset.UtcNow;
            var fired = await stream.WaitAsync(TimeSpan.FromSeconds(90), Ct);
            Assert.True(fired.Refused.Count == 0, $"Triggers answered other than 2xx: {string.Join("; ", fired.Refused.Take(5))}");
            var accepted = fired.Accepted;

            // The two left deliver everything, the killed node's jobs once their leases have run out.
            var recovery = await clientB.WaitForStatusAsync(configId, accepted, "succeeded", Lease + TimeSpan.FromSeconds(60));
            await Eventually.ReturnsAsync(() => QueueSnapshot.ReadPostgresAsync(connectionString, Ct),
                s => s.JobsLeft == 0 && !s.EventStatus.Values.Contains("in_progress"), "the queue to empty", TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(250));
            var exits = await Task.WhenAll(b.StopAsync(TimeSpan.FromSeconds(30)), c.StopAsync(TimeSpan.FromSeconds(30)));
            Assert.True(exits.All(code => code == 0), $"The nodes left did not stop cleanly (exit codes {string.Join(", ", exits.Select(e => e?.ToString() ?? "none: killed"))})");
            var snapshot = await QueueSnapshot.ReadPostgresAsync(connectionString, Ct);
            var (firstReclaim, lastReclaim) = await ReclaimWindowAsync(connectionString);

            var outcome = CrashOutcome.Of(snapshot, receiver);
            var (byB, byC) = (b.AttemptedEventIds().Count, c.AttemptedEventIds().Count);
            output.WriteLine($"3 nodes; triggers sent {fired.Sent}, accepted {accepted.Count}, lost in transit by the kill {fired.LostInTransit}; "
                + $"events stored {snapshot.EventStatus.Count}");
            output.WriteLine($"node A killed {clock.Elapsed.TotalSeconds:0.0} s in, with {attemptsByAOnTheWire} attempts logged and {held} requests held by the receiver; "
                + $"every accepted event succeeded {recovery.TotalSeconds:0.0} s after the kill; attempts by B {byB}, by C {byC}");
            output.WriteLine($"delivered {outcome.Received.Count} distinct events in {outcome.Requests} requests: duplicates {outcome.Duplicated.Count}; "
                + $"jobs reclaimed after an expired lease {outcome.Reclaimed.Count}, their attempts started {Since(firstReclaim, killedAt)} to {Since(lastReclaim, killedAt)} after the kill (lease {Lease.TotalSeconds:0} s)");

            // Nothing accepted was lost, nothing is left half done.
            outcome.AssertNothingLost(fired);
            // Duplicates only from leases that expired with the killed node.
            outcome.AssertDuplicatesOnlyFromReclaims();
            // The killed node's jobs were reclaimed, and within the lease (plus the poll) of the kill.
            Assert.True(outcome.Reclaimed.Count > 0, "No job was reclaimed: the kill caught no job of node A, and the test proved less than it should");
            Assert.True(lastReclaim - killedAt <= Lease + ReclaimSlack,
                $"the last reclaimed job started {Since(lastReclaim, killedAt)} after the kill, beyond the lease of {Lease.TotalSeconds:0} s and {ReclaimSlack.TotalSeconds:0} s of slack");
            Assert.True(byB > 0 && byC > 0, $"one node did all the work: B {byB}, C {byC}");
        }
        catch (Exception) when (servers.WriteTails(output))
        {
            throw; // never reached: the filter writes the servers' output and declines
        }
    }

    private static async Task<(DateTimeOffset First, DateTimeOffset Last)> ReclaimWindowAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT MIN(started_at), MAX(started_at) FROM delivery_attempts WHERE after_reclaim", connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        await reader.ReadAsync(Ct);
        return reader.IsDBNull(0) ? (DateTimeOffset.MinValue, DateTimeOffset.MinValue) : (reader.GetFieldValue<DateTimeOffset>(0), reader.GetFieldValue<DateTimeOffset>(1));
    }

    private static string Since(DateTimeOffset at, DateTimeOffset killedAt) => $"{(at - killedAt).TotalSeconds:0.0} s";
}
