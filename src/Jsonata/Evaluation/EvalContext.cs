using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Jsonata.Evaluation;

/// <summary>
/// State of one evaluation: the timestamp for <c>$now()</c>, and the guard against runaway
/// expressions. The guard counts nesting of node evaluations the way the reference's test guard does.
/// </summary>
internal sealed class EvalContext
{
    private readonly int _maxDepth;
    private readonly long _deadline;
    private readonly CancellationToken _cancellation;
    private int _depth;
    private int _checks;

    public EvalContext(long timestampMillis, int maxDepth, TimeSpan? timeLimit, CancellationToken cancellation)
    {
        TimestampMillis = timestampMillis;
        _maxDepth = maxDepth;
        _deadline = timeLimit is { } limit ? Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
        _cancellation = cancellation;
        Guarded = maxDepth > 0 || timeLimit != null || cancellation.CanBeCanceled;
    }

    public long TimestampMillis { get; }

    public bool Guarded { get; }

    /// <summary>How many times this evaluation has moved to a fresh thread to get more stack.</summary>
    public int StackHops;

    /// <summary>Nesting level of evaluations that do not count towards the depth (2nd+ items of constructors).</summary>
    public int Parallel;

    /// <summary>
    /// True when one more level of nesting cannot exceed the depth limit (or is not counted), so a shortcut that
    /// evaluates a step without entering it ends the same way as entering it would.
    /// </summary>
    public bool CanNestOnce => Parallel > 0 || _maxDepth <= 0 || _depth < _maxDepth;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Enter()
    {
        if (Parallel > 0)
        {
            return;
        }

        _depth++;
        Check();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Exit()
    {
        if (Parallel > 0)
        {
            return;
        }

        _depth--;
        Check();
    }

    private void Check()
    {
        if (_maxDepth > 0 && _depth > _maxDepth)
        {
            throw new JsonataException("U1001");
        }

        // the clock and the token are consulted every 32 steps: cheap, yet well under a millisecond apart
        if ((++_checks & 0x1F) != 0)
        {
            return;
        }

        if (_deadline != long.MaxValue && Stopwatch.GetTimestamp() > _deadline)
        {
            throw new JsonataException("U1001", "Expression evaluation timeout: Check for infinite loop");
        }

        _cancellation.ThrowIfCancellationRequested();
    }
}
