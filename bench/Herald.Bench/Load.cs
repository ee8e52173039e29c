using System.Diagnostics;
using System.Net;

namespace Herald.Bench;

/// <summary>Closed-loop load: <c>concurrency</c> loops each take the next index until <c>count</c> are done.</summary>
public static class Load
{
    /// <summary>Runs <paramref name="operation"/> for indexes 0..count-1 with that many in flight; returns the elapsed time.</summary>
    public static async Task<TimeSpan> RunAsync(int count, int concurrency, Func<int, CancellationToken, Task> operation, CancellationToken cancellationToken)
    {
        var next = -1;
        var started = Stopwatch.GetTimestamp();
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var loops = Enumerable.Range(0, Math.Min(concurrency, count)).Select(_ => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < count)
            {
                failed.Token.ThrowIfCancellationRequested();
                try
                {
                    await operation(index, failed.Token);
                }
                catch
                {
                    await failed.CancelAsync();
                    throw;
                }
            }
        }, CancellationToken.None)).ToArray();
        try
        {
            await Task.WhenAll(loops);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // One loop failed and stopped the others: report its error, not their cancellation.
            throw loops.Select(l => l.Exception?.InnerException).FirstOrDefault(e => e is not OperationCanceledException and not null)
                ?? new InvalidOperationException("The load stopped early");
        }
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>Latencies of <paramref name="count"/> operations run one after the other.</summary>
    public static async Task<double[]> SequentialAsync(int count, Func<int, CancellationToken, Task> operation, CancellationToken cancellationToken)
    {
        var latencies = new double[count];
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await operation(i, cancellationToken);
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        return latencies;
    }

    /// <summary>A client for one loopback server, keeping up to <paramref name="connections"/> connections open.</summary>
    public static HttpClient Client(Uri baseAddress, int connections) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>The value below which <paramref name="quantile"/> of the sorted samples fall (nearest rank).</summary>
    public static double Percentile(double[] samples, double quantile)
    {
        var sorted = samples.Order().ToArray();
        var rank = (int)Math.Ceiling(quantile * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}
