using System.Diagnostics.Metrics;

namespace Herald.Server.Delivery;

/// <summary>
/// Delivery counters on the <c>Herald.Delivery</c> meter, for any metrics exporter or <c>dotnet-counters</c>: how jobs
/// reach a worker (claimed from the queue, or handed over by the trigger that committed them leased to this node).
/// </summary>
public sealed class DeliveryMetrics
{
    public const string MeterName = "Herald.Delivery";

    private readonly Counter<long> _claimed;
    private readonly Counter<long> _handedOver;

    public DeliveryMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _claimed = meter.CreateCounter<long>("herald.jobs.claimed", "{job}", "Jobs a worker leased from the queue");
        _handedOver = meter.CreateCounter<long>("herald.jobs.handed_over", "{job}", "Jobs committed leased to this node and run at once, without a claim");
    }

    public void Claimed(int count)
    {
        if (count > 0)
        {
            _claimed.Add(count);
        }
    }

    public void HandedOver() => _handedOver.Add(1);
}
