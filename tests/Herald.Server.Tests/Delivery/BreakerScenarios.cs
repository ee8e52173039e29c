using System.Text.Json.Nodes;
using Herald.Server.Delivery;
using Herald.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Server.Tests.Delivery;

/// <summary>
/// A destination that resets every connection opens its breaker after <c>Delivery:Breaker:Failures</c>; while it is
/// open nothing connects to it and its jobs wait in the queue without attempts; the probe closes it and the waiting
/// jobs go, in order. One worker slot, so the order of sends is the order on the wire.
/// </summary>
public class BreakerScenarios : ReceiverScenario
{
    private SwitchableDestination _destination = null!;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Delivery:Breaker:Failures"] = "3",
        ["Workers:Concurrency"] = "1",
    };

    public override async ValueTask InitializeAsync()
    {
        _destination = new SwitchableDestination();
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _destination.DisposeAsync();
    }

    private DeliveryScheduler Scheduler => App.Services.GetRequiredService<DeliveryScheduler>();

    private string Destination => DeliveryScheduler.DestinationOf(_destination.Url);

    private async Task<string> TriggerAsync(string configId, int n) =>
        (await Client.TriggerAsync(configId, """{"metadata":{},"entity":{"_id":"e-""" + n + "\"}}"))["event_id"]!.GetValue<string>();

    private async Task<JsonArray> AttemptsAsync(string configId, string eventId) =>
        (await (await Client.GetAsync($"/v1/webhooks/configs/{configId}/events/{eventId}/attempts", Ct)).ReadAsync())["data"]!.AsArray();

    [Fact]
    public async Task An_unreachable_destination_is_left_alone_while_its_breaker_is_open_and_gets_its_waiting_jobs_in_order_after_the_probe()
    {
        var (configId, _) = await Client.CreateConfigAsync(_destination.Url, """ "retryPolicy":{"enabled":false} """);
        var (otherId, _) = await Client.CreateConfigAsync(Receiver.Url);

        var failing = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            failing.Add(await TriggerAsync(configId, i));
        }
        foreach (var eventId in failing)
        {
            var failed = await Client.EventWithStatusAsync(configId, eventId, "failed");
            Assert.True("CONNECTION_ERROR" == failed["http_response"]!["code"]!.GetValue<string>(), failed["http_response"]!.ToJsonString());
        }
        await Eventually.ReturnsAsync(() => Task.FromResult(Scheduler.BreakerOf(Destination)), s => s == BreakerState.Open, "the breaker to open");
        Assert.Equal(3, _destination.Accepts);
        Assert.Equal(1, Scheduler.BreakersOpened);

        // While open: the jobs are taken, prepared and given back to the queue; nothing connects and nothing is attempted.
        var waiting = new List<string>();
        for (var i = 10; i < 15; i++)
        {
            waiting.Add(await TriggerAsync(configId, i));
        }
        var elsewhere = await TriggerAsync(otherId, 99);
        await Client.EventWithStatusAsync(otherId, elsewhere, "succeeded");
        await Task.Delay(300, Ct);
        Assert.Equal(3, _destination.Accepts);
        foreach (var eventId in waiting)
        {
            var held = await Client.EventAsync(configId, eventId);
            Assert.Equal("in_progress", held["status"]!.GetValue<string>());
            Assert.Empty(await AttemptsAsync(configId, eventId));
        }
        // Back in the queue, unleased, their attempt counts unchanged.
        var queued = await App.ScalarAsync($"SELECT COUNT(*) FROM delivery_jobs WHERE config_id = '{configId}' AND attempt = 0 AND lease_owner IS NULL");
        Assert.Equal(5, Convert.ToInt32(queued, System.Globalization.CultureInfo.InvariantCulture));

        // The destination comes back. Shortly before the probe the jobs are due again and line up; nothing goes before it.
        _destination.Down = false;
        App.Clock.Advance(TimeSpan.FromSeconds(25));
        await Eventually.ReturnsAsync(() => Task.FromResult(Scheduler.WaitingByDestination().GetValueOrDefault(Destination)), n => n >= 1, "a job in line for the probe");
        await Task.Delay(200, Ct);
        Assert.Equal(3, _destination.Accepts);
        Assert.Equal(BreakerState.Open, Scheduler.BreakerOf(Destination));

        // The cool-down (30 s) ends: the probe succeeds, the breaker closes, and every waiting job is delivered in order.
        App.Clock.Advance(TimeSpan.FromSeconds(5));
        await Client.WaitForStatusAsync(configId, waiting, "succeeded", TimeSpan.FromSeconds(30));
        Assert.Equal(BreakerState.Closed, Scheduler.BreakerOf(Destination));
        Assert.Equal(["e-10", "e-11", "e-12", "e-13", "e-14"], _destination.Bodies.Select(b => JsonNode.Parse(b)!["entity"]!["_id"]!.GetValue<string>()));
        Assert.Equal(8, _destination.Accepts);
        foreach (var eventId in waiting)
        {
            var attempt = Assert.Single(await AttemptsAsync(configId, eventId));
            Assert.Equal(1, attempt!["number"]!.GetValue<int>());
        }

        var after = await TriggerAsync(otherId, 100);
        await Client.EventWithStatusAsync(otherId, after, "succeeded");
        var metrics = await (await App.Client(null).GetAsync("/metrics", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.True(metrics.Contains("herald_breakers_opened", StringComparison.Ordinal), string.Join('\n', metrics.Split('\n').Where(l => l.Contains("herald_", StringComparison.Ordinal))));
        Assert.Contains(metrics.Split('\n'), l => l.StartsWith("herald_sends_deferred_total{", StringComparison.Ordinal) && l.Contains("reason=\"breaker\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_probe_that_fails_again_reopens_the_breaker_for_twice_the_cool_down()
    {
        var (configId, _) = await Client.CreateConfigAsync(_destination.Url, """ "retryPolicy":{"enabled":false} """);
        for (var i = 0; i < 3; i++)
        {
            await Client.EventWithStatusAsync(configId, await TriggerAsync(configId, i), "failed");
        }
        await Eventually.ReturnsAsync(() => Task.FromResult(Scheduler.BreakerOf(Destination)), s => s == BreakerState.Open, "the breaker to open");
        var waiting = await TriggerAsync(configId, 10);
        await Task.Delay(200, Ct);

        App.Clock.Advance(TimeSpan.FromSeconds(25));
        await Eventually.ReturnsAsync(() => Task.FromResult(Scheduler.WaitingByDestination().GetValueOrDefault(Destination)), n => n >= 1, "the job in line for the probe");
        App.Clock.Advance(TimeSpan.FromSeconds(5));
        // The probe is a real attempt: it fails, and its job fails as any would (no retry policy here).
        var probed = await Client.EventWithStatusAsync(configId, waiting, "failed");
        Assert.Equal("CONNECTION_ERROR", probed["http_response"]!["code"]!.GetValue<string>());
        Assert.Equal(4, _destination.Accepts);
        Assert.Equal(2, Scheduler.BreakersOpened);
        Assert.Equal(TimeSpan.FromSeconds(60), Assert.Single(Scheduler.OpenBreakers()).CoolDown);

        // Reopened for 60 s: a job now waits for that probe, not the old 30 s.
        _destination.Down = false;
        var next = await TriggerAsync(configId, 11);
        App.Clock.Advance(TimeSpan.FromSeconds(40));
        await Task.Delay(300, Ct);
        Assert.Equal(4, _destination.Accepts);
        App.Clock.Advance(TimeSpan.FromSeconds(20));
        await Client.EventWithStatusAsync(configId, next, "succeeded");
        Assert.Equal(BreakerState.Closed, Scheduler.BreakerOf(Destination));
    }
}

/// <summary>The same scenarios with Herald on PostgreSQL.</summary>
public sealed class PostgresBreakerScenarios(PostgresServer server) : BreakerScenarios
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => server.StorageAsync();
}
