using Herald.Server.Tests.Support;

namespace Herald.Server.Tests.Delivery;

/// <summary>
/// A config's <c>rateLimit</c> holds a burst to that many deliveries per second, measured at the receiver on the real
/// clock; every event is still delivered. The app runs on the system clock: the rate is what the receiver sees.
/// </summary>
public class RateLimitScenarios : ReceiverScenario
{
    protected override bool SystemClock => true;

    /// <summary>
    /// Arrivals a one-second window may hold beyond the limit: sends start at least 1/rateLimit s apart, but one that
    /// waited its turn behind another send, and the network between, can bring a few closer at the receiver when the
    /// machine is busy (the whole suite runs in parallel on 2 cores: a 200 ms stall bunches 4). Over three seconds
    /// the same jitter counts for less, so that window is held tighter.
    /// </summary>
    private const int Tolerance = 5;

    [Fact]
    public async Task A_burst_of_200_to_a_config_limited_to_20_per_second_arrives_at_most_20_a_second_and_whole()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url, """ "rateLimit":20 """);
        var eventIds = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 200), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (i, _) =>
            eventIds.Add((await Client.TriggerAsync(configId, """{"metadata":{},"entity":{"_id":"e-""" + i + "\"}}"))["event_id"]!.GetValue<string>()));

        var received = await Receiver.WaitForAsync(200, TimeSpan.FromSeconds(60));
        await Client.WaitForStatusAsync(configId, eventIds.ToList(), "succeeded", TimeSpan.FromSeconds(30));

        Assert.Equal(200, received.Select(r => r.Header("webhook-id")).Distinct().Count());
        var arrivals = received.Select(r => r.ArrivedAt).Order().ToList();
        int Busiest(double seconds) =>
            arrivals.Select((at, i) => arrivals.Skip(i).TakeWhile(next => next - at < TimeSpan.FromSeconds(seconds)).Count()).Max();
        Assert.True(Busiest(1) <= 20 + Tolerance, $"{Busiest(1)} deliveries arrived within one second");
        Assert.True(Busiest(3) <= 60 + Tolerance, $"{Busiest(3)} deliveries arrived within three seconds");
        // 200 at 20 a second cannot take much less than 9.5 s from the first to the last.
        Assert.True(arrivals[^1] - arrivals[0] >= TimeSpan.FromSeconds(8.5), $"the burst drained in {(arrivals[^1] - arrivals[0]).TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task Another_config_to_the_same_receiver_is_not_held_by_a_limited_one()
    {
        var (limited, _) = await Client.CreateConfigAsync(Receiver.Url, """ "rateLimit":1 """);
        var (free, _) = await Client.CreateConfigAsync(Receiver.Url);
        for (var i = 0; i < 5; i++)
        {
            await Client.TriggerAsync(limited);
        }
        var started = DateTimeOffset.UtcNow;
        var quick = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            quick.Add((await Client.TriggerAsync(free))["event_id"]!.GetValue<string>());
        }
        await Client.WaitForStatusAsync(free, quick, "succeeded", TimeSpan.FromSeconds(3));
        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(3));
    }
}

/// <summary>The same scenarios with Herald on PostgreSQL.</summary>
public sealed class PostgresRateLimitScenarios(PostgresServer server) : RateLimitScenarios
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => server.StorageAsync();
}
