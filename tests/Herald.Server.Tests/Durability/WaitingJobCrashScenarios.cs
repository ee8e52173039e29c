using System.Diagnostics;
using Herald.Server.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Herald.Server.Tests.Durability;

/// <summary>
/// A server killed outright (SIGKILL) while jobs wait on it in per-destination queues for a send permit loses none of
/// them: they are leased to the dead node, not in the queue, and a restart on the same SQLite file reclaims them once
/// their leases run out and delivers every event the first server accepted.
/// </summary>
[Collection(nameof(DurabilityCollection))]
public sealed class WaitingJobCrashScenarios(ITestOutputHelper output)
{
    private const int Slots = 4;
    private const int Share = 2;
    private const int HeldTriggers = 12;
    private const int SecondTriggers = 8;

    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(45);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = 120_000)]
    public async Task A_server_killed_while_jobs_wait_for_their_destination_delivers_every_accepted_event_after_a_restart()
    {
        var clock = Stopwatch.StartNew();
        // Both receivers hold every request until the gate opens: what the first server sends stays in flight, and
        // whatever it accepted beyond the sends it is allowed waits.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var held = await Receiver.StartAsync();
        await using var second = await Receiver.StartAsync();
        held.Default = new Answer.Gated(gate.Task);
        second.Default = new Answer.Gated(gate.Task);
        using var data = new TempDirectory("herald-waiting-crash");
        var database = Path.Combine(data.Path, "herald.db");
        var settings = DurabilityNodes.Settings(data.Path);
        // The attempt timeout outlasts the seconds the gate stays shut, so no held send times out and is retried before
        // the kill; the lease is then 10 s + 3 s, which the restart waits out before it reclaims the leased jobs.
        settings["Delivery:AttemptTimeout"] = "00:00:10";
        settings["Delivery:LeaseDuration"] = "00:00:05";
        settings["Delivery:LeaseMargin"] = "00:00:03";
        settings["Delivery:MaxLeaseExpiries"] = "10";
        settings["Workers:Concurrency"] = Slots.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Delivery:MaxConcurrentPerDestination"] = Share.ToString(System.Globalization.CultureInfo.InvariantCulture);

        await using var servers = new HeraldProcesses();
        try
        {
            var first = await servers.StartAsync("first", settings, Ct);
            string heldConfig, secondConfig;
            var accepted = new List<string>();
            using (var client = first.Client(DurabilityNodes.Token))
            {
                heldConfig = (await client.CreateConfigAsync(held.Url)).Id;
                secondConfig = (await client.CreateConfigAsync(second.Url)).Id;

                // Alone, the held receiver borrows every slot of the node; the rest of its events wait.
                accepted.AddRange(await TriggerAsync(client, heldConfig, HeldTriggers));
                await SettlesAtAsync(held, Slots, "the held receiver alone");
                // The second destination, below its share, overtakes the borrowed slots up to its share; the rest wait.
                var secondAccepted = await TriggerAsync(client, secondConfig, SecondTriggers);
                accepted.AddRange(secondAccepted);
                await SettlesAtAsync(second, Share, "the second destination");
                Assert.Equal(Slots, held.InFlight);
            }

            // At the kill: every accepted event has a job, none has an attempt, and both destinations have jobs leased
            // to the node (waiting on it for a send permit) beyond the sends their receivers hold.
            var sentBeforeKill = held.Received.Concat(second.Received).Select(r => r.Header("webhook-id")).ToHashSet(StringComparer.Ordinal);
            var leased = await LeasedJobsByConfigAsync(database);
            var before = await QueueSnapshot.ReadSqliteAsync(database, Ct);
            Assert.Equal(accepted.Count, before.JobsLeft);
            Assert.Empty(before.Attempts);
            Assert.True(leased.GetValueOrDefault(heldConfig) > Slots && leased.GetValueOrDefault(secondConfig) > Share,
                $"Jobs leased to the node per config: {string.Join(", ", leased.Select(l => $"{l.Key}={l.Value}"))}; no job waited on the node beyond the sends in flight");
            var waitingAtKill = accepted.Count - sentBeforeKill.Count;
            await first.KillAsync();
            var killedAt = clock.Elapsed;
            gate.SetResult();

            // The restart, on the same file, delivers everything the first server accepted.
            var restarted = await servers.StartAsync("restarted", settings, Ct);
            TimeSpan recovery;
            using (var client = restarted.Client(DurabilityNodes.Token))
            {
                recovery = await client.WaitForStatusAsync(heldConfig, accepted.Take(HeldTriggers).ToList(), "succeeded", RecoveryBound);
                recovery += await client.WaitForStatusAsync(secondConfig, accepted.Skip(HeldTriggers).ToList(), "succeeded", RecoveryBound);
            }
            var after = await Eventually.ReturnsAsync(() => QueueSnapshot.ReadSqliteAsync(database, Ct), s => s.JobsLeft == 0, "the queue to empty",
                TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(250));

            var received = held.Received.Concat(second.Received).GroupBy(r => r.Header("webhook-id"))
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            var duplicates = received.Where(r => r.Value > 1).Select(r => r.Key).ToList();
            output.WriteLine($"accepted {accepted.Count} ({HeldTriggers} held, {SecondTriggers} second); at the kill after {killedAt.TotalSeconds:0.0} s: "
                + $"in flight {sentBeforeKill.Count}, waiting {waitingAtKill} (leased to the node: {leased.Values.Sum()})");
            output.WriteLine($"delivered {received.Count} distinct events in {received.Values.Sum()} requests, duplicates {duplicates.Count}; "
                + $"all succeeded {recovery.TotalSeconds:0.0} s after the restart was ready; total {clock.Elapsed.TotalSeconds:0.0} s");

            Assert.Equal(0, after.JobsLeft);
            Assert.Equal(accepted.Count, after.EventStatus.Count);
            Assert.All(after.EventStatus, e => Assert.Equal("succeeded", e.Value));
            Assert.All(accepted, id => Assert.True(received.ContainsKey(WebhookSteps.MessageIdOf(id)), $"event {id} never reached a receiver"));
            // Only a send the kill cut off is repeated: a job that waited had never been sent, and is sent once.
            Assert.All(duplicates, id => Assert.Contains(id, sentBeforeKill));
        }
        catch (Exception) when (servers.WriteTails(output))
        {
            throw; // never reached: the filter writes the servers' output and declines
        }
    }

    private static async Task<List<string>> TriggerAsync(HttpClient client, string configId, int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var answer = await client.TriggerAsync(configId, $$$"""{"metadata":{},"entity":{"_id":"e-{{{i}}}","n":{{{i}}}}}""");
            ids.Add(answer["event_id"]!.GetValue<string>());
        }
        return ids;
    }

    /// <summary>Waits until <paramref name="receiver"/> holds <paramref name="expected"/> requests, then checks no more arrive.</summary>
    private static async Task SettlesAtAsync(Receiver receiver, int expected, string who)
    {
        await Eventually.ReturnsAsync(() => Task.FromResult(receiver.InFlight), n => n >= expected, $"{who} to hold {expected} requests",
            TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(20));
        // The scheduler starts sends at once when it may: a second is ample for one it should not have held back.
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        Assert.True(receiver.InFlight == expected && receiver.Received.Count == expected,
            $"{who}: {receiver.InFlight} requests in flight and {receiver.Received.Count} received, expected {expected}");
    }

    /// <summary>Jobs leased to a node, per config, read straight from the file while the server runs.</summary>
    private static async Task<Dictionary<string, int>> LeasedJobsByConfigAsync(string database)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false, DefaultTimeout = 30 }.ToString();
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT config_id, COUNT(*) FROM delivery_jobs WHERE lease_owner IS NOT NULL GROUP BY config_id";
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var leased = new Dictionary<string, int>(StringComparer.Ordinal);
        while (await reader.ReadAsync(Ct))
        {
            leased[reader.GetString(0)] = reader.GetInt32(1);
        }
        return leased;
    }
}
