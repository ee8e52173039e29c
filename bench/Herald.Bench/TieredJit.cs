using System.Globalization;

namespace Herald.Bench;

/// <summary>
/// How busy the runtime's tiered JIT is in a process: it recompiles hot code at its next tier for a long while after a
/// start, and its work lands in whatever is being timed unless a warm-up waits for it to go quiet.
/// </summary>
public static class TieredJit
{
    /// <summary>
    /// CPU time (user and system, from <c>/proc/&lt;pid&gt;/task/&lt;tid&gt;/stat</c>) of the runtime's tiered-compilation
    /// threads now alive, by thread id: the JIT recompiling hot code at its next tier. The runtime ends the thread when
    /// it has nothing to do and starts another when it does, so a changed set of ids also means the JIT ran.
    /// </summary>
    public static IReadOnlyDictionary<int, TimeSpan> ThreadCpuTime(int processId)
    {
        var found = new Dictionary<int, TimeSpan>();
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{processId}/task"))
            {
                try
                {
                    if (!File.ReadAllText(Path.Combine(task, "comm")).StartsWith(".NET Tiered Com", StringComparison.Ordinal))
                    {
                        continue;
                    }
                    // Fields after the parenthesised name: state is the 3rd field, utime the 14th, stime the 15th.
                    var stat = File.ReadAllText(Path.Combine(task, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                    found[int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture)] = TimeSpan.FromMilliseconds(ticks * 10);
                }
                catch (IOException)
                {
                    // The thread ended while being read.
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return found;
    }

    /// <summary>The tiered JIT's share of a round's CPU; 1 when its threads changed (one ended and another began).</summary>
    public static double Share(IReadOnlyDictionary<int, TimeSpan> before, IReadOnlyDictionary<int, TimeSpan> after, TimeSpan spent)
    {
        if (after.Keys.Any(tid => !before.ContainsKey(tid)) || before.Keys.Any(tid => !after.ContainsKey(tid)))
        {
            return 1;
        }
        var jit = after.Sum(t => (t.Value - before[t.Key]).TotalMilliseconds);
        return spent > TimeSpan.Zero ? jit / spent.TotalMilliseconds : 0;
    }
}
