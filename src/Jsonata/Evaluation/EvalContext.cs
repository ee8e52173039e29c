using System.Diagnostics;
using System.Runtime.CompilerServices;
using Jsonata.Errors;

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

    public EvalContext(long timestampMillis, int maxDepth, TimeSpan? timeLimit, CancellationToken cancellation, long maxResultBytes = 0)
    {
        TimestampMillis = timestampMillis;
        _maxDepth = maxDepth;
        MaxResultBytes = maxResultBytes;
        _deadline = timeLimit is { } limit ? Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
        _cancellation = cancellation;
        Guarded = maxDepth > 0 || timeLimit != null || cancellation.CanBeCanceled;
    }

    public long TimestampMillis { get; }

    /// <summary>Largest string or array one step may build (strings count a byte per character, arrays 8 per item); 0 means no limit.</summary>
    public long MaxResultBytes { get; }

    /// <summary>Time left until the deadline, or null when the evaluation has none.</summary>
    public TimeSpan? Remaining => _deadline == long.MaxValue
        ? null
        : TimeSpan.FromSeconds((double)(_deadline - Stopwatch.GetTimestamp()) / Stopwatch.Frequency);

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

    /// <summary>
    /// For loops inside one step (a built-in working through a large array): consults the clock and the token every
    /// 32 calls, as the nesting guard does, so no step outlives the deadline by much.
    /// </summary>
    public void Tick()
    {
        if (Guarded)
        {
            CheckTime();
        }
    }

    /// <summary>Fails before a string or array of <paramref name="bytes"/> is built when that is over the limit.</summary>
    public void CheckSize(long bytes, string what)
    {
        if (MaxResultBytes > 0 && bytes > MaxResultBytes)
        {
            throw Limits.ResultTooLarge(what, bytes, MaxResultBytes);
        }
    }

    /// <summary>A string of <paramref name="chars"/> characters may be built.</summary>
    public void CheckString(long chars, string what) => CheckSize(chars, what);

    /// <summary>An array of <paramref name="items"/> items may be built.</summary>
    public void CheckArray(long items, string what) => CheckSize(items * 8, what);

    /// <summary>Checks what a built-in returned, for the built-ins whose growth is not checked before they allocate.</summary>
    public void CheckResult(object? result, string? function)
    {
        if (MaxResultBytes <= 0)
        {
            return;
        }

        switch (result)
        {
            case string s:
                CheckString(s.Length, FunctionResult(function, "string"));
                break;
            case Values.JArray a:
                CheckArray(a.Count, FunctionResult(function, "array"));
                break;
        }
    }

    private static string FunctionResult(string? function, string kind) =>
        function == null ? $"the {kind} a function returned" : $"the {kind} ${function} returned";

    private void Check()
    {
        if (_maxDepth > 0 && _depth > _maxDepth)
        {
            throw new JsonataException("U1001");
        }

        CheckTime();
    }

    private void CheckTime()
    {
        // the clock and the token are consulted every 32 steps: cheap, yet well under a millisecond apart
        if ((++_checks & 0x1F) != 0)
        {
            return;
        }

        if (_deadline != long.MaxValue && Stopwatch.GetTimestamp() > _deadline)
        {
            throw Limits.Timeout();
        }

        _cancellation.ThrowIfCancellationRequested();
    }
}
