using System.Diagnostics;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Durability;

/// <summary>
/// A server killed outright (SIGKILL) in the middle of a stream of triggers loses nothing it accepted: restarted on
/// the same SQLite file, it delivers every event it answered 2xx for. A receiver sees an event twice only when the
/// killed process had sent it without recording the attempt, and the job came back once its lease expired.
/// </summary>
[Collection(nameof(DurabilityCollection))]
public sealed class CrashScenarios(ITestOutputHelper output)
{
    private const int Clients = 4;
    private const int TriggersPerClient = 300;

    /// <summary>The kill comes once 40% of the triggers were accepted.</summary>
    private const int KillAfterAccepted = Clients * TriggersPerClient * 2 / 5;

    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = 180_000)]
    public async Task A_server_killed_mid_stream_delivers_every_accepted_event_after_a_restart_and_repeats_only_reclaimed_ones()
    {
        var clock = Stopwatch.StartNew();
        await using var receiver = await Receiver.StartAsync();
        // Slow enough that the kill finds attempts in flight, some of them already seen by the receiver.
        receiver.Latency = TimeSpan.FromMilliseconds(100);
        using var data = new TempDirectory("herald-crash");
        var database = Path.Combine(data.Path, "herald.db");
        var settings = DurabilityNodes.Settings(data.Path);
        // A lease is never shorter than the attempt timeout plus the lease margin: with these, 8 s, which the restart
        // waits out before it reclaims the killed server's leased jobs. The attempt timeout stays well above the
        // receiver's latency even on a loaded machine, so that no attempt times out and is retried.
        settings["Delivery:AttemptTimeout"] = "00:00:05";
        settings["Delivery:LeaseDuration"] = "00:00:05";
        settings["Delivery:LeaseMargin"] = "00:00:03";
        // Every slot may send to the one receiver: while a backlog lasts the worker always has attempts in flight.
        settings["Workers:Concurrency"] = "16";
        settings["Delivery:MaxConcurrentPerDestination"] = "16";

        await using var servers = new HeraldProcesses();
        try
        {
            // The first server takes a stream of triggers and is killed partway through.
            var first = await servers.StartAsync("first", settings, Ct);
            string configId;
            using (var admin = first.Client(DurabilityNodes.Token))
            {
                configId = (await admin.CreateConfigAsync(receiver.Url)).Id;
            }
            var killPoint = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var stream = TriggerStream.FireAsync(Enumerable.Repeat(first, Clients).ToList(), DurabilityNodes.Token, configId, TriggersPerClient,
                accepted =>
                {
                    if (accepted >= KillAfterAccepted)
                    {
                        killPoint.TrySetResult();
                    }
                }, Ct);
            await Task.WhenAny(killPoint.Task, stream).WaitAsync(TimeSpan.FromSeconds(60), Ct);
            if (!killPoint.Task.IsCompleted)
            {
                var early = await stream;
                Assert.Fail($"The stream ended before {KillAfterAccepted} triggers were accepted: {early.Accepted.Count} accepted, {early.LostInTransit} lost, "
                    + $"refused: {string.Join("; ", early.Refused.Take(5))}\n{first.Tail()}");
            }
            // The kill comes while the receiver holds requests of the first server: attempts are in flight.
            var held = await Eventually.ReturnsAsync(() => Task.FromResult(receiver.Held), h => h > 0, "an attempt in flight",
                TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(1));
            await first.KillAsync();
            var killedAt = clock.Elapsed;
            var fired = await stream.WaitAsync(TimeSpan.FromSeconds(30), Ct);
            var attemptsLoggedBeforeKill = first.AttemptedEventIds().Count;
            Assert.True(fired.Refused.Count == 0, $"Triggers answered other than 2xx: {string.Join("; ", fired.Refused.Take(5))}");
            var accepted = fired.Accepted;

            // The second server, on the same file, delivers what the first accepted.
            var second = await servers.StartAsync("second", settings, Ct);
            TimeSpan recovery;
            using (var client = second.Client(DurabilityNodes.Token))
            {
                recovery = await client.WaitForStatusAsync(configId, accepted, "succeeded", RecoveryBound);
                // Events committed whose answer the kill cut off are delivered too: wait until the queue is empty.
                await Eventually.ReturnsAsync(() => QueueSnapshot.ReadSqliteAsync(database, Ct),
                    s => s.JobsLeft == 0 && !s.EventStatus.Values.Contains("in_progress"), "the queue to empty", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(250));
            }
            var exitCode = await second.StopAsync(TimeSpan.FromSeconds(30));
            Assert.True(exitCode == 0, $"The second server did not stop cleanly on SIGTERM (exit code {exitCode?.ToString() ?? "none: killed"}).\n{second.Tail()}");
            var snapshot = await QueueSnapshot.ReadSqliteAsync(database, Ct);

            var outcome = CrashOutcome.Of(snapshot, receiver);
            var (received, reclaimed) = (outcome.Received, outcome.Reclaimed);
            output.WriteLine($"triggers sent {fired.Sent}, accepted {accepted.Count}, lost in transit by the kill {fired.LostInTransit}; "
                + $"events stored {snapshot.EventStatus.Count} (committed but unanswered {snapshot.EventStatus.Count - accepted.Count})");
            output.WriteLine($"killed after {killedAt.TotalSeconds:0.0} s with {attemptsLoggedBeforeKill} attempts logged and {held} held by the receiver; "
                + $"every accepted event succeeded {recovery.TotalSeconds:0.0} s after the second server was ready; total {clock.Elapsed.TotalSeconds:0.0} s");
            output.WriteLine($"delivered {received.Count} distinct events in {outcome.Requests} requests: duplicates {outcome.Duplicated.Count} "
                + $"({outcome.Requests - received.Count} extra requests); jobs reclaimed after an expired lease {reclaimed.Count}");

            // Nothing accepted was lost, nothing is left half done, and only events the first server may have committed
            // exist at all.
            outcome.AssertNothingLost(fired);
            var stored = snapshot.EventStatus.Keys.Select(WebhookSteps.MessageIdOf).ToHashSet(StringComparer.Ordinal);
            CrashOutcome.AssertNone(received.Keys.Where(id => !stored.Contains(id)), "webhook-ids received for no stored event");

            // A second send of an event comes only from a job reclaimed after its lease expired; and every send but the
            // one the killed process made without recording it is an attempt row.
            outcome.AssertDuplicatesOnlyFromReclaims();
            CrashOutcome.AssertNone(snapshot.EventStatus.Keys
                .Where(id => outcome.TimesReceived(id) > outcome.Attempts[id].Count() + (reclaimed.Contains(id) ? 1 : 0))
                .Select(id => $"{id}: received {outcome.TimesReceived(id)} times, attempts {outcome.Describe(id)}"), "sends that no attempt row accounts for");
            // The kill did catch deliveries in flight, so the reclaim path was exercised.
            Assert.True(reclaimed.Count > 0, "No job was reclaimed: the kill caught no delivery in flight, and the test proved less than it should");
        }
        catch (Exception) when (servers.WriteTails(output))
        {
            throw; // never reached: the filter writes the servers' output and declines
        }
    }
}
