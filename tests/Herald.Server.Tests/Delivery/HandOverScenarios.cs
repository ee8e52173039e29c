using Herald.Server.Http;
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Herald.Server.Delivery;
using Herald.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Server.Tests.Delivery;

/// <summary>
/// An async trigger accepted by a node that runs a worker is committed leased to that node and run in its next free
/// slot, without a claim; once twice as many handed-over jobs of its config wait as the worker has slots (or four times
/// as many of its organization), it waits for one of them to start its send, at most <c>Workers:HandOverWait</c>, and
/// then in the queue, where a worker claims it.
/// </summary>
public class HandOverScenarios : ReceiverScenario
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _counts = new();

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Workers:Concurrency"] = "4",
        // One receiver may take every slot: these scenarios are about the slots, not the destination's limit.
        ["Delivery:MaxConcurrentPerDestination"] = "4",
        ["Workers:ShutdownGrace"] = "00:00:00.200",
        ["Workers:HandOverWait"] = "00:00:02",
        // Far above the few kilobytes of these scenarios' events, below the large one's.
        ["Workers:HandOverMaxBytes"] = "200000",
    };

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

    /// <summary>Four triggers whose attempts hold the worker's four slots until <paramref name="release"/>; their event ids.</summary>
    private async Task<IReadOnlyList<string>> FillEverySlotAsync(string configId, Task release)
    {
        Receiver.Enqueue(Enumerable.Repeat<Answer>(new Answer.Gated(release), 4).ToArray());
        var events = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            events.Add((await Client.TriggerAsync(configId))["event_id"]!.GetValue<string>());
        }
        await Receiver.WaitForAsync(4);
        return events;
    }

    [Fact]
    public async Task A_fan_out_hands_each_event_to_a_free_slot_and_queues_the_rest()
    {
        var configs = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            configs.Add((await Client.CreateConfigAsync(new Uri(Receiver.Url, $"/hook-{i}"))).Id);
        }
        // Thirteen of the organization's sixteen places stay taken the whole time (eight, its config's room, by one
        // config): of six events, the first three are handed over and the rest queue.
        var worker = App.Services.GetRequiredService<JobRunner>();
        var taken = Enumerable.Repeat("elsewhere-1", 8).Concat(Enumerable.Repeat("elsewhere-2", 5)).ToArray();
        foreach (var configId in taken)
        {
            Assert.True(await worker.ReserveAsync(new OrganizationId(HeraldApp.OrgA), new ConfigId(configId), 0, TimeSpan.Zero));
        }
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
            foreach (var configId in taken)
            {
                worker.CancelReservation(new OrganizationId(HeraldApp.OrgA), new ConfigId(configId), 0);
            }
        }
    }

    [Fact]
    public async Task A_free_slot_takes_the_event_without_a_claim()
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
    }

    [Fact]
    public async Task With_every_slot_busy_events_wait_on_this_node_until_twice_as_many_wait_as_it_has_slots_then_queue()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            var events = new List<string>(await FillEverySlotAsync(configId, release.Task));

            // Eight more are committed to this node and wait for a slot; the thirteenth finds them waiting, waits
            // Workers:HandOverWait for one of them to start its send (none does) and queues, and a claim brings it back
            // to wait in line behind them.
            for (var i = 0; i < 9; i++)
            {
                events.Add((await Client.TriggerAsync(configId))["event_id"]!.GetValue<string>());
            }
            Assert.Equal(12, Count("herald.jobs.handed_over"));
            foreach (var eventId in events)
            {
                Assert.Equal("in_progress", (await Client.EventAsync(configId, eventId))["status"]!.GetValue<string>());
            }
            Assert.Equal(4, Receiver.Received.Count);

            release.SetResult();
            foreach (var eventId in events)
            {
                await Client.EventWithStatusAsync(configId, eventId, "succeeded");
            }
            Assert.Equal(12, Count("herald.jobs.handed_over"));
            Assert.Equal(1, Count("herald.jobs.claimed"));
            Assert.Equal(events.Select(WebhookSteps.MessageIdOf).Order(), Receiver.Received.Select(r => r.Header("webhook-id")).Order());
        }
        finally
        {
            release.TrySetResult();
        }
    }

    [Fact]
    public async Task A_trigger_that_finds_its_config_room_full_waits_for_a_job_ahead_to_start_its_send_and_is_handed_over()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            var events = new List<string>(await FillEverySlotAsync(configId, release.Task));
            for (var i = 0; i < 8; i++)
            {
                events.Add((await Client.TriggerAsync(configId))["event_id"]!.GetValue<string>());
            }

            // The room is full and the four sends started just now: the thirteenth trigger waits for a place.
            var thirteenth = Client.TriggerAsync(configId);
            await Task.Delay(300, Ct);
            Assert.False(thirteenth.IsCompleted);

            // The four sends end, four waiting jobs start theirs, and the trigger takes a place they left.
            release.SetResult();
            events.Add((await thirteenth)["event_id"]!.GetValue<string>());
            foreach (var eventId in events)
            {
                await Client.EventWithStatusAsync(configId, eventId, "succeeded");
            }
            Assert.Equal(13, Count("herald.jobs.handed_over"));
            Assert.Equal(0, Count("herald.jobs.claimed"));
        }
        finally
        {
            release.TrySetResult();
        }
    }

    [Fact]
    public async Task An_event_whose_input_would_take_the_held_inputs_past_their_budget_goes_to_the_queue()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            var events = new List<string>(await FillEverySlotAsync(configId, release.Task));
            events.Add((await Client.TriggerAsync(configId))["event_id"]!.GetValue<string>());
            Assert.Equal(5, Count("herald.jobs.handed_over"));

            // About 240 kB held as text, beside the small event waiting: past Workers:HandOverMaxBytes.
            var large = $$$"""{"metadata":{},"entity":{"_id":"e-large","blob":"{{{new string('x', 120_000)}}}"}}""";
            events.Add((await Client.TriggerAsync(configId, large))["event_id"]!.GetValue<string>());
            Assert.Equal(5, Count("herald.jobs.handed_over"));

            release.SetResult();
            foreach (var eventId in events)
            {
                await Client.EventWithStatusAsync(configId, eventId, "succeeded");
            }
            Assert.Equal(1, Count("herald.jobs.claimed"));
            Assert.Contains(Receiver.Received, r => r.Text.Contains("e-large", StringComparison.Ordinal) && r.Body.Length > 120_000);
        }
        finally
        {
            release.TrySetResult();
        }
    }

    [Fact]
    public async Task A_stopping_worker_gives_back_the_jobs_it_runs_and_those_waiting_for_a_slot()
    {
        var (configId, _) = await Client.CreateConfigAsync(Receiver.Url);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await FillEverySlotAsync(configId, release.Task);
            await Client.TriggerAsync(configId);
            await Client.TriggerAsync(configId);
            Assert.Equal(6, Count("herald.jobs.handed_over"));

            // Past the grace, the attempts are cancelled; every job, running or waiting, is due again and leased to no one.
            await App.Services.GetRequiredService<DeliveryWorker>().StopAsync(Ct);
            Assert.Equal(6L, Convert.ToInt64(await App.ScalarAsync("SELECT COUNT(*) FROM delivery_jobs WHERE lease_owner IS NULL AND lease_until IS NULL"), System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(0L, Convert.ToInt64(await App.ScalarAsync("SELECT COUNT(*) FROM delivery_jobs WHERE lease_owner IS NOT NULL"), System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(4, Receiver.Received.Count);
        }
        finally
        {
            release.TrySetResult();
        }
    }
}

/// <summary>The same scenarios with Herald on PostgreSQL.</summary>
public sealed class PostgresHandOverScenarios(PostgresServer server) : HandOverScenarios
{
    protected override Task<Dictionary<string, string?>> StorageAsync() => server.StorageAsync();
}
