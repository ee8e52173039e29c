using System.Diagnostics;
using System.Diagnostics.Metrics;
using Herald.Server.Files;
using Herald.Server.Http;
using Herald.Server.Telemetry;

namespace Herald.Server.Delivery;

/// <summary>
/// Delivery's instruments on the <c>Herald.Delivery</c> meter, for <c>/metrics</c>, OTLP or <c>dotnet-counters</c>:
/// how jobs reach a worker (claimed, or handed over by the trigger that committed them leased to this node), how
/// deliveries end (<c>outcome</c>: succeeded, failed, retrying, skipped), how long attempts take, retries scheduled,
/// jobs deferred without an attempt (breakers, rates, the database, the spool), configs disabled for failing, and,
/// read when collected, the queue's depth and oldest due job, the jobs waiting per destination, the node's open
/// breakers and what its file spools hold. The
/// organization is an attribute only with <see cref="MetricsOptions.OrganizationAttribute"/>.
/// </summary>
public sealed class DeliveryMetrics
{
    public const string MeterName = "Herald.Delivery";

    private readonly Counter<long> _claimed;
    private readonly Counter<long> _handedOver;
    private readonly Counter<long> _deliveries;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _deferred;
    private readonly Counter<long> _disabled;
    private readonly bool _byOrganization;

    public DeliveryMetrics(IMeterFactory meters, MetricsOptions? options = null, QueueGauges? queue = null, FileStore? files = null)
    {
        var meter = meters.Create(MeterName);
        _byOrganization = options?.OrganizationAttribute ?? false;
        _claimed = meter.CreateCounter<long>("herald.jobs.claimed", "{job}", "Jobs a worker leased from the queue");
        _handedOver = meter.CreateCounter<long>("herald.jobs.handed_over", "{job}", "Jobs committed leased to this node and run at once, without a claim");
        _deliveries = meter.CreateCounter<long>("herald.deliveries", "{delivery}", "Ended runs of a delivery job, by outcome: succeeded, failed, retrying (a retry is scheduled), skipped");
        _duration = meter.CreateHistogram<double>("herald.attempt.duration", "s", "How long one attempt took, from its send to its answer",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        _retries = meter.CreateCounter<long>("herald.retries.scheduled", "{retry}", "Retries scheduled after a failed attempt");
        _deferred = meter.CreateCounter<long>("herald.sends.deferred", "{job}",
            "Prepared jobs given back to the queue without an attempt, by reason: breaker (their destination's breaker is open), rate (their config's rateLimit), "
            + "database (the database could not serve the attempt before its send), spool (no room in the node's binary_multipart spools)");
        _disabled = meter.CreateCounter<long>("herald.configs.auto_disabled", "{config}", "Configs disabled because their deliveries kept failing (Delivery:AutoDisable)");
        if (files is not null)
        {
            meter.CreateObservableGauge("herald.files.spool", () => files.Spool.Held, "By",
                "What this node's binary_multipart spools hold on disk now (at most Files:MaxSpoolBytesPerNode)");
        }
        if (queue is not null)
        {
            meter.CreateObservableGauge("herald.queue.depth", () => queue.Read().Depth, "{job}", "Jobs not yet finished: due, scheduled for later, or running");
            meter.CreateObservableGauge("herald.queue.oldest_due_age", () => queue.Read().OldestDueAge.TotalSeconds, "s",
                "How long the oldest due job not leased by a worker has been due (0 when none waits)");
            meter.CreateObservableGauge("herald.destination.waiting", queue.WaitingByDestination, "{job}",
                "This node's prepared jobs waiting for their turn to send, per destination (scheme://host:port) that has any");
            meter.CreateObservableGauge("herald.breakers.open", queue.OpenBreakers, "{destination}",
                "Destinations whose breaker is open (or probing) on this node");
            meter.CreateObservableCounter("herald.breakers.opened", queue.BreakersOpened, "{open}",
                "Breakers opened or reopened on this node since it started");
            meter.CreateObservableCounter("herald.sends.let_through", queue.LetThrough, "{organization}",
                "Organizations whose send started beyond the node's bound after they waited Delivery:FullNodeWait with none in flight, since the node started");
            meter.CreateObservableGauge("herald.breaker.cool_down", queue.BreakerCoolDowns, "s",
                $"The current cool-down of each destination whose breaker is open on this node (at most {QueueGauges.MaxBreakerSeries} destinations, the longest cool-downs)");
        }
    }

    public void Claimed(int count)
    {
        if (count > 0)
        {
            _claimed.Add(count);
        }
    }

    public void HandedOver() => _handedOver.Add(1);

    /// <summary>One ended run: its outcome, the attempt's duration when one was made, and the retry it scheduled.</summary>
    public void Ended(OrganizationId orgId, string outcome, TimeSpan? duration)
    {
        var tags = new TagList { { "outcome", outcome } };
        if (_byOrganization)
        {
            tags.Add("organization", orgId.Value);
        }
        _deliveries.Add(1, tags);
        if (duration is { } took)
        {
            _duration.Record(took.TotalSeconds, tags);
        }
        if (outcome == Outcomes.Retrying)
        {
            _retries.Add(1, _byOrganization ? new TagList { { "organization", orgId.Value } } : default);
        }
    }

    /// <summary>A prepared job went back to the queue without an attempt (<see cref="SendDeferredException.Reasons"/>).</summary>
    public void Deferred(string reason) => _deferred.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>A config was disabled because its deliveries kept failing.</summary>
    public void AutoDisabled(OrganizationId orgId) =>
        _disabled.Add(1, _byOrganization ? new TagList { { "organization", orgId.Value } } : default);

    /// <summary>The values of the <c>outcome</c> attribute.</summary>
    public static class Outcomes
    {
        public const string Succeeded = "succeeded";
        public const string Failed = "failed";
        public const string Retrying = "retrying";
        public const string Skipped = "skipped";
    }
}
