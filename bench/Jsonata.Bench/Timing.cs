using System.Diagnostics;

namespace Jsonata.Bench;

/// <summary>The samples of one engine on one expression: microseconds per evaluation, each from a timed batch.</summary>
internal sealed record Measurement(int Batch, IReadOnlyList<double> Micros)
{
    public double Median
    {
        get
        {
            var sorted = Micros.Order().ToArray();
            var middle = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        }
    }
}

/// <summary>
/// Times one way of evaluating with this engine the way <c>runner.mjs</c> times jsonata-js: warm up for a while, double
/// a batch until it lasts the batch time, then time one batch per <see cref="Sample"/>.
/// </summary>
internal sealed class Timing<T>(Func<T> evaluate)
{
    private readonly List<double> _micros = [];
    private int _batch = 1;

    /// <summary>Keeps the last result reachable, so no evaluation can be treated as unused.</summary>
    public T? Last { get; private set; }

    public Measurement Measurement => new(_batch, _micros);

    public void Prepare(Settings settings)
    {
        var warmupEnd = Stopwatch.GetTimestamp() + (settings.WarmupMilliseconds * Stopwatch.Frequency / 1000);
        while (Stopwatch.GetTimestamp() < warmupEnd)
        {
            RunBatch(16);
        }

        _batch = 1;
        while (RunBatch(_batch).TotalMilliseconds < settings.BatchMilliseconds && _batch < 1 << 24)
        {
            _batch *= 2;
        }
    }

    public void Sample() => _micros.Add(RunBatch(_batch).TotalMicroseconds / _batch);

    private TimeSpan RunBatch(int count)
    {
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            Last = evaluate();
        }

        return Stopwatch.GetElapsedTime(started);
    }
}
