using System.Diagnostics;
using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Delivery;

/// <summary>
/// One organization's hostile transforms cannot hold the workers: forty events whose transform runs a catastrophic
/// regex each end at the evaluation's time limit, so another organization's event, triggered right after them, is
/// delivered within seconds.
/// </summary>
public class NoisyNeighbourScenarios(ITestOutputHelper output) : ReceiverScenario
{
    private const int HostileEvents = 40;

    [Fact]
    public async Task Another_organizations_event_is_delivered_while_forty_catastrophic_regex_transforms_wait_for_workers()
    {
        var (hostile, _) = await Client.CreateConfigAsync(Receiver.Url, """ "jsonataExpression": "$match(entity.text, /^(a+)+$/)" """);
        using var other = App.Client(HeraldApp.TokenB);
        var (healthy, _) = await other.CreateConfigAsync(Receiver.Url);
        var payload = """{"metadata":{},"entity":{"text":"TEXT"}}""".Replace("TEXT", new string('a', 32) + "!", StringComparison.Ordinal);

        var triggering = Stopwatch.StartNew();
        // all at once, so every worker slot is taken and more wait when organization B's event arrives
        var hostileIds = (await Task.WhenAll(Enumerable.Range(0, HostileEvents).Select(async _ =>
            (await Client.TriggerAsync(hostile, payload))["event_id"]!.GetValue<string>()))).ToList();
        output.WriteLine($"the {HostileEvents} hostile triggers took {triggering.Elapsed.TotalSeconds:0.00} s");
        var clock = Stopwatch.StartNew();
        var eventId = (await other.TriggerAsync(healthy))["event_id"]!.GetValue<string>();
        var accepted = clock.Elapsed;
        await Eventually.ReturnsAsync(() => other.EventAsync(healthy, eventId), e => e["status"]?.GetValue<string>() == "succeeded",
            "organization B's event to be delivered", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(50));
        var delivered = clock.Elapsed;
        output.WriteLine($"organization B's trigger answered after {accepted.TotalSeconds:0.00} s, its event delivered after {delivered.TotalSeconds:0.00} s");

        Assert.True(delivered < TimeSpan.FromSeconds(5), $"Organization B's event took {delivered.TotalSeconds:0.0} s behind {HostileEvents} hostile transforms");
        var ended = await WaitUntilEndedAsync(hostile, hostileIds);
        output.WriteLine($"the {HostileEvents} hostile events had all ended {ended.TotalSeconds:0.0} s after organization B's event was delivered");
        foreach (var id in hostileIds)
        {
            var failed = await Client.EventAsync(hostile, id);
            Assert.Equal("failed", failed["status"]!.GetValue<string>());
            Assert.Contains("timeout", failed["http_response"]!["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>Waits until every hostile event has ended; returns how long that took.</summary>
    private async Task<TimeSpan> WaitUntilEndedAsync(string configId, IReadOnlyList<string> ids)
    {
        var clock = Stopwatch.StartNew();
        foreach (var id in ids)
        {
            await Eventually.ReturnsAsync(() => Client.EventAsync(configId, id), e => e["status"]?.GetValue<string>() is "failed" or "succeeded",
                $"event {id} to end", TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));
        }
        return clock.Elapsed;
    }
}

/// <summary>The same scenario with Herald on PostgreSQL.</summary>
public sealed class PostgresNoisyNeighbourScenarios(PostgresServer server, ITestOutputHelper output) : NoisyNeighbourScenarios(output)
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => server.StorageAsync();
}
