namespace Jsonata;

/// <summary>Limits for one evaluation.</summary>
public sealed record JsonataOptions
{
    /// <summary>
    /// Maximum nesting of evaluation steps before the evaluation fails with <c>U1001</c>; 0 means no
    /// limit other than the available stack. Tail calls do not add to the nesting.
    /// </summary>
    public int MaxDepth { get; init; }

    /// <summary>Wall-clock limit; exceeding it fails the evaluation with <c>U1001</c>.</summary>
    public TimeSpan? TimeLimit { get; init; }

    /// <summary>
    /// Largest string or array one step of the evaluation may build, in bytes: a string counts one byte per UTF-16
    /// character (the least it takes as UTF-8), an array 8 bytes per item. Built-ins that could grow without bound
    /// (<c>$pad</c>, <c>$join</c>, <c>$string</c>, <c>$replace</c>, <c>&amp;</c>, ranges, picture widths) check the size
    /// before they allocate; every other built-in's result is checked as it returns. Exceeding it fails the evaluation
    /// with <c>U1003</c>. 0 means no limit.
    /// </summary>
    public long MaxResultBytes { get; init; }

    /// <summary>Cancels the evaluation (throws <see cref="OperationCanceledException"/>).</summary>
    public CancellationToken CancellationToken { get; init; }
}
