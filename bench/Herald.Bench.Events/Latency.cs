namespace Herald.Bench.Events;

/// <summary>Latency samples of one kind of call, and their percentiles.</summary>
public sealed class Latency(string name)
{
    private readonly List<double> _milliseconds = [];

    public string Name { get; } = name;

    public int Count => _milliseconds.Count;

    public void Add(TimeSpan elapsed) => _milliseconds.Add(elapsed.TotalMilliseconds);

    /// <summary>The nearest-rank percentile (0 &lt; <paramref name="p"/> &lt;= 100).</summary>
    public double Percentile(double p)
    {
        var sorted = _milliseconds.Order().ToList();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    public string Row() => $"| {Name,-44} | {Count,7} | {Percentile(50),8:0.00} | {Percentile(99),8:0.00} | {Percentile(100),8:0.00} |";

    public static string Header() =>
        $"| {"measured",-44} | {"pages",7} | {"p50 ms",8} | {"p99 ms",8} | {"max ms",8} |\n|{new string('-', 46)}|{new string('-', 9)}|{new string('-', 10)}|{new string('-', 10)}|{new string('-', 10)}|";
}
