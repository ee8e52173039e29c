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

    /// <summary>Cancels the evaluation (throws <see cref="OperationCanceledException"/>).</summary>
    public CancellationToken CancellationToken { get; init; }
}
