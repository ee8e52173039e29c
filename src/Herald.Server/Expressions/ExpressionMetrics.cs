using System.Diagnostics.Metrics;

namespace Herald.Server.Expressions;

/// <summary>
/// The JSONata runtime's instruments on the <c>Herald.Expressions</c> meter: how long evaluations take, and how many
/// fail (by JSONata error code: a bounded set).
/// </summary>
public sealed class ExpressionMetrics
{
    public const string MeterName = "Herald.Expressions";

    private readonly Histogram<double> _duration;
    private readonly Counter<long> _failures;

    public ExpressionMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _duration = meter.CreateHistogram<double>("herald.jsonata.duration", "s", "How long one JSONata evaluation took",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5] });
        _failures = meter.CreateCounter<long>("herald.jsonata.failures", "{evaluation}", "JSONata evaluations that ended in an error");
    }

    public void Evaluated(TimeSpan took) => _duration.Record(took.TotalSeconds);

    public void Failed(string code) => _failures.Add(1, new KeyValuePair<string, object?>("code", code));
}
