using System.Globalization;

namespace Herald.Bench;

/// <summary>
/// Warm-up rounds of a process until its cost per operation has settled: at least five rounds, then until the tiered
/// JIT is nearly idle (under 3% of the round's CPU, on the same compilation threads as before) in the last two and the
/// last three rounds cost the same within 5%; at most <see cref="MaxRounds"/>. The JIT keeps recompiling hot code at
/// its next tier for a while; a round whose cost looks stable can still have it busy, and its work would then land in
/// the timed part.
/// </summary>
/// <param name="CostsMs">CPU ms per operation, per round.</param>
/// <param name="JitShares">The tiered JIT's share of each round's CPU (<see cref="TieredJit.Share"/>).</param>
public sealed record WarmUp(IReadOnlyList<double> CostsMs, IReadOnlyList<double> JitShares)
{
    public const int MaxRounds = 40;

    /// <summary>
    /// Runs rounds of <paramref name="round"/> operations each until settled, reading the process's CPU time with
    /// <paramref name="cpuTime"/> and its JIT threads with <paramref name="jitThreads"/>.
    /// </summary>
    public static Task<WarmUp> RunAsync(
        int round, Func<Task> runRound, Func<TimeSpan> cpuTime, Func<IReadOnlyDictionary<int, TimeSpan>> jitThreads, int maxRounds = MaxRounds) =>
        RunAsync(() => round, _ => runRound(), cpuTime, jitThreads, maxRounds);

    /// <summary>
    /// As above, with rounds whose size <paramref name="nextRound"/> chooses before each (a round's cost is per
    /// operation, so rounds of different sizes compare).
    /// </summary>
    public static async Task<WarmUp> RunAsync(
        Func<int> nextRound, Func<int, Task> runRound, Func<TimeSpan> cpuTime, Func<IReadOnlyDictionary<int, TimeSpan>> jitThreads, int maxRounds = MaxRounds)
    {
        var costs = new List<double>();
        var shares = new List<double>();
        while (costs.Count < maxRounds && !Settled(costs, shares))
        {
            var round = nextRound();
            var cpu = cpuTime();
            var jit = jitThreads();
            await runRound(round);
            var spent = cpuTime() - cpu;
            costs.Add(spent.TotalMilliseconds / round);
            shares.Add(TieredJit.Share(jit, jitThreads(), spent));
        }
        return new WarmUp(costs, shares);
    }

    /// <summary>The rounds' CPU ms per operation, for the log.</summary>
    public string Costs => string.Join(", ", CostsMs.Select(c => c.ToString("0.000", CultureInfo.InvariantCulture)));

    /// <summary>The JIT's share of each round, for the log.</summary>
    public string Shares => string.Join(", ", JitShares.Select(s => s.ToString("P0", CultureInfo.InvariantCulture)));

    private static bool Settled(List<double> costs, List<double> jitShares) =>
        costs.Count >= 5 && jitShares[^2..].All(s => s < 0.03) && costs[^3..].Max() <= 1.05 * costs[^3..].Min();
}
