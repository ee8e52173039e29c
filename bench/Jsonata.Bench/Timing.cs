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
/// Times this engine the way <c>runner.mjs</c> times jsonata-js: warm up for a while, double a batch until it
/// lasts the batch time, then time the samples.
/// </summary>
internal static class Timing
{
    public static Measurement Measure<T>(Func<T> evaluate, Settings settings)
    {
        var warmupEnd = Stopwatch.GetTimestamp() + (settings.WarmupMilliseconds * Stopwatch.Frequency / 1000);
        while (Stopwatch.GetTimestamp() < warmupEnd)
        {
            RunBatch(evaluate, 16);
        }

        var batch = 1;
        while (RunBatch(evaluate, batch).TotalMilliseconds < settings.BatchMilliseconds && batch < 1 << 24)
        {
            batch *= 2;
        }

        var micros = new double[settings.Samples];
        for (var s = 0; s < micros.Length; s++)
        {
            micros[s] = RunBatch(evaluate, batch).TotalMicroseconds / batch;
        }

        return new Measurement(batch, micros);
    }

    private static TimeSpan RunBatch<T>(Func<T> evaluate, int count)
    {
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            Sink<T>.Last = evaluate();
        }

        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>Keeps the last result reachable, so no evaluation can be treated as unused.</summary>
    private static class Sink<T>
    {
        public static T? Last;
    }
}
