namespace Herald.Server.Expressions;

/// <summary>The <c>Transforms</c> section: the guards every JSONata expression of a config or an event runs under.</summary>
public sealed class TransformOptions
{
    public const string Section = "Transforms";

    /// <summary>Nesting of evaluation steps before an evaluation fails (<c>U1001</c>); tail calls do not count.</summary>
    public int MaxDepth { get; set; } = 500;

    /// <summary>Wall-clock limit of one evaluation (<c>U1001</c>), regex matches included, so a hostile expression cannot stall a worker.</summary>
    public TimeSpan TimeLimit { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Largest string or array one step of an evaluation builds, and largest result (<c>U1003</c>): 5 MiB.</summary>
    public long MaxResultBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>
    /// Longest expression Herald compiles: a config's <c>jsonataExpression</c>, <c>multipartConfig</c> expressions and
    /// <c>filterConditions</c>' <c>jsonata_expression</c> (which the contract caps at 15,000 as well), and the
    /// <c>_downgrades[].jsonata</c> steps events carry.
    /// </summary>
    public int MaxExpressionLength { get; set; } = 64 * 1024;

    /// <summary>Compiled expressions kept for reuse, least recently used dropped first.</summary>
    public int CacheMaxEntries { get; set; } = 4096;

    /// <summary>Estimated memory of the compiled expressions kept for reuse (see <see cref="ExpressionCache"/>).</summary>
    public long CacheMaxBytes { get; set; } = 256L * 1024 * 1024;
}
