using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Herald.Server.Delivery;
using Herald.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Server.Tests.Delivery;

/// <summary>
/// An async trigger accepted by a node whose worker has a free slot is committed leased to that node and run at
/// once, without a claim; with every slot busy it waits in the queue and a worker claims it.
/// </summary>
public class HandOverScenarios : ReceiverScenario
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _counts = new();

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Workers:Concurrency"] = "4" };

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        // Only this app's meter: other apps run in the same process.
        var factory = App.Services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == DeliveryMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => _counts.AddOrUpdate(instrument.Name, value, (_, total) => total + value));
        _listener.Start();
    }

    public override async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        await base.DisposeAsync();
    }

    private long Count(string name) => _counts.GetValueOrDefault(name);

    [Fact]
    public async Task A_fan_out_hands_each_event_to_a_free_slot_and_queues_the_rest()
    {
        var configs = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            configs.Add((await Client.CreateConfigAsync(new Uri(Receiver.Url, $"/hook-{i}"))).Id);
        }
        // One slot stays busy the whole time: of six events, the first three find a slot and the rest queue.
        var worker = App.Services.GetRequiredService<DeliveryWorker>();
        Assert.True(worker.TryReserve());
        try
        {
            var response = await Client.PostJsonAsync("/v1/webhooks/events", """{"eventName":"order_created","payload":{"entity":{"_id":"e-1"}}}""");
            Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
            var eventIds = (await response.ReadAsync())["event_ids"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();

            // The clock stands still, so the configs tie on creation time: find each event's config by asking.
            foreach (var eventId in eventIds)
            {
                var owner = await Eventually.ReturnsAsync(async () =>
                {
                    foreach (var configId in configs)
                    {
                        using var read = await Client.GetAsync($"/v1/webhooks/configs/{configId}/events/{eventId}", Ct);
                        if (read.IsSuccessStatusCode && (await read.ReadAsync())["status"]!.GetValue<string>() == "succeeded")
                        {
                            return configId;
                        }
                    }
                    return null;
                }, found => found is not null, $"event {eventId} to succeed");
                Assert.NotNull(owner);
            }
            Assert.Equal(6, Receiver.Received.Select(r => r.Path).Distinct().Count());
            Assert.Equal(3, Count("herald.jobs.handed_over"));
            Assert.Equal(3, Count("herald.jobs.claimed"));
        }
        finally
        {
            worker.CancelReservation();
        }
    }

    [Fact]
    public async Task A_free_slot_takes_the_event_without_a_claim_and_a_full_worker_leaves_it_to_the_queue()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url);

        for (var i = 1; i <= 3; i++)
        {
            var eventId = (await Client.TriggerAsync(configId))["event_id"]!.GetValue<string>();
            // Recorded: the attempt is over and its slot free again.
            await Client.EventWithStatusAsync(configId, eventId, "succeeded");
        }

        Assert.Equal(3, Count("herald.jobs.handed_over"));
        Assert.Equal(0, Count("herald.jobs.claimed"));

        var worker = App.Services.GetRequiredService<DeliveryWorker>();
        var reserved = 0;
        try
        {
            while (worker.TryReserve())
            {
                reserved++;
            }
            Assert.Equal(4, reserved);
            var queued = (await Client.TriggerAsync(configId))["event_id"]!.GetValue<string>();
            Assert.Equal("in_progress", (await Client.EventAsync(configId, queued))["status"]!.GetValue<string>());

            worker.CancelReservation();
            reserved--;
            await Client.EventWithStatusAsync(configId, queued, "succeeded");

            Assert.Equal(3, Count("herald.jobs.handed_over"));
            Assert.Equal(1, Count("herald.jobs.claimed"));
            Assert.Equal(Webhooks.MessageIdOf(queued), Receiver.Received[3].Header("webhook-id"));
        }
        finally
        {
            // Reservations left open would keep the stopping worker waiting for them.
            for (; reserved > 0; reserved--)
            {
                worker.CancelReservation();
            }
        }
    }
}

/// <summary>The same scenarios with Herald on PostgreSQL.</summary>
public sealed class PostgresHandOverScenarios(PostgresServer server) : HandOverScenarios
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => server.StorageAsync();
}
