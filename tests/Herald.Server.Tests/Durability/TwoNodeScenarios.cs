using System.Diagnostics;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Durability;

/// <summary>
/// Two Herald processes on one PostgreSQL database share the queue: triggers taken by either are delivered by
/// whichever claims them, each exactly once while no lease expires.
/// </summary>
[Collection(nameof(DurabilityCollection))]
public sealed class TwoNodeScenarios(PostgresServer postgres, ITestOutputHelper output)
{
    /// <summary>Two clients per node.</summary>
    private const int ClientsPerNode = 2;
    private const int TriggersPerClient = 100;
    private const int Events = 2 * ClientsPerNode * TriggersPerClient;

    private static readonly TimeSpan DeliveryBound = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = 180_000)]
    public async Task Two_nodes_sharing_one_PostgreSQL_database_deliver_a_burst_split_between_them_exactly_once()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var clock = Stopwatch.StartNew();
        await using var receiver = await Receiver.StartAsync();
        using var dataA = new TempDirectory("herald-node-a");
        using var dataB = new TempDirectory("herald-node-b");
        Dictionary<string, string> On(TempDirectory data)
        {
            var settings = DurabilityNodes.Settings(data.Path);
            settings["Storage:Provider"] = "Postgres";
            settings["Storage:ConnectionString"] = connectionString;
            return settings;
        }

        await using var servers = new HeraldProcesses();
        try
        {
            // Started together: both migrate the fresh database at once.
            var startA = servers.StartAsync("A", On(dataA), Ct);
            var startB = servers.StartAsync("B", On(dataB), Ct);
            await Task.WhenAll(startA, startB);
            var (a, b) = (await startA, await startB);
            var started = clock.Elapsed;

            using var clientA = a.Client(DurabilityNodes.Token);
            using var clientB = b.Client(DurabilityNodes.Token);
            var (configId, _) = await clientA.CreateConfigAsync(receiver.Url);
            var burst = Stopwatch.StartNew();
            var fired = await TriggerStream.FireAsync([a, b, a, b], DurabilityNodes.Token, configId, TriggersPerClient, null, Ct)
                .WaitAsync(TimeSpan.FromSeconds(60), Ct);
            Assert.True(fired.Accepted.Count == Events, $"{fired.Accepted.Count} of {Events} triggers accepted, {fired.LostInTransit} lost, "
                + $"refused: {string.Join("; ", fired.Refused.Take(5))}");

            // Each node reads half of the events, whichever node took them.
            var halves = fired.Accepted.Chunk(Events / 2).ToArray();
            await Task.WhenAll(
                clientA.WaitForStatusAsync(configId, halves[0], "succeeded", DeliveryBound),
                clientB.WaitForStatusAsync(configId, halves[1], "succeeded", DeliveryBound));
            var delivered = burst.Elapsed;
            await Eventually.ReturnsAsync(() => QueueSnapshot.ReadPostgresAsync(connectionString, Ct), s => s.JobsLeft == 0, "the queue to empty",
                TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(250));

            // Stopped gracefully, so that their logs of the attempts they made are complete.
            var exits = await Task.WhenAll(a.StopAsync(TimeSpan.FromSeconds(30)), b.StopAsync(TimeSpan.FromSeconds(30)));
            Assert.True(exits.All(code => code == 0), $"The nodes did not stop cleanly on SIGTERM (exit codes {string.Join(", ", exits.Select(c => c?.ToString() ?? "none: killed"))})");
            var snapshot = await QueueSnapshot.ReadPostgresAsync(connectionString, Ct);

            var received = receiver.Received.GroupBy(r => r.Header("webhook-id")).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            var duplicates = received.Count(r => r.Value > 1);
            var byA = a.AttemptedEventIds();
            var byB = b.AttemptedEventIds();
            output.WriteLine($"nodes ready after {started.TotalSeconds:0.0} s; {fired.Accepted.Count} triggers accepted ({Events / 2} through each node) "
                + $"and all succeeded {delivered.TotalSeconds:0.0} s after the first was sent; total {clock.Elapsed.TotalSeconds:0.0} s");
            output.WriteLine($"delivered {received.Count} distinct events in {receiver.Received.Count} requests: duplicates {duplicates}; "
                + $"attempts made by node A {byA.Count}, by node B {byB.Count}");

            // Every event delivered, once, by one node.
            var accepted = fired.Accepted.ToHashSet(StringComparer.Ordinal);
            Assert.Equal(accepted.Select(WebhookSteps.MessageIdOf).Order(), received.Keys.Order());
            Assert.Equal(0, duplicates);
            Assert.Equal(accepted.Order(), snapshot.EventStatus.Keys.Order());
            Assert.All(snapshot.EventStatus.Values, status => Assert.Equal("succeeded", status));
            Assert.Equal(0, snapshot.JobsLeft);
            Assert.All(snapshot.AttemptsByEvent, attempts =>
            {
                var attempt = Assert.Single(attempts);
                Assert.Equal(200, attempt.StatusCode);
                Assert.False(attempt.AfterReclaim, $"event {attempt.EventId} was reclaimed although no node died");
            });
            Assert.Equal(Events, snapshot.Attempts.Count);

            // The work was shared: each node made attempts, and together exactly one per event.
            Assert.Equal(accepted.Order(), byA.Concat(byB).Order());
            Assert.True(byA.Count > 0 && byB.Count > 0, $"one node did all the work: A {byA.Count}, B {byB.Count}");
        }
        catch (Exception) when (servers.WriteTails(output))
        {
            throw; // never reached: the filter writes the servers' output and declines
        }
    }
}
