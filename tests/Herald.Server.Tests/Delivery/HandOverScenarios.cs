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
public sealed class HandOverScenarios : IAsyncLifetime
{
    private HeraldApp _app = null!;
    private Receiver _receiver = null!;
    private HttpClient _client = null!;
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _counts = new();

    public async ValueTask InitializeAsync()
    {
        _receiver = await Receiver.StartAsync();
        _app = new HeraldApp(new Dictionary<string, string?> { ["Delivery:AllowPrivateNetworks"] = "true", ["Workers:Concurrency"] = "4" });
        _client = _app.Client();
        // Only this app's meter: other apps run in the same process.
        var factory = _app.Services.GetRequiredService<IMeterFactory>();
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

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        _app.Dispose();
        await _receiver.DisposeAsync();
    }

    private long Count(string name) => _counts.GetValueOrDefault(name);

    [Fact]
    public async Task A_free_slot_takes_the_event_without_a_claim_and_a_full_worker_leaves_it_to_the_queue()
    {
        var (configId, _) = await _client.CreateConfigAsync(_receiver.Url);

        for (var i = 1; i <= 3; i++)
        {
            await _client.TriggerAsync(configId);
            await _receiver.WaitForAsync(i);
        }

        Assert.Equal(3, Count("herald.jobs.handed_over"));
        Assert.Equal(0, Count("herald.jobs.claimed"));

        var worker = _app.Services.GetRequiredService<DeliveryWorker>();
        var reserved = 0;
        while (worker.TryReserve())
        {
            reserved++;
        }
        Assert.Equal(4, reserved);
        var queued = (await _client.TriggerAsync(configId))["event_id"]!.GetValue<string>();
        Assert.Equal("in_progress", (await _client.EventAsync(configId, queued))["status"]!.GetValue<string>());

        worker.CancelReservation();
        await _receiver.WaitForAsync(4);
        await _client.EventWithStatusAsync(configId, queued, "succeeded");

        Assert.Equal(3, Count("herald.jobs.handed_over"));
        Assert.Equal(1, Count("herald.jobs.claimed"));
        Assert.Equal(Webhooks.MessageIdOf(queued), _receiver.Received[3].Header("webhook-id"));
        for (var i = 1; i < reserved; i++)
        {
            worker.CancelReservation();
        }
    }
}
