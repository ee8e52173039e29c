using Herald.Server.Http;

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

    /// <summary>This section, or the reason Herald cannot start with it.</summary>
    public TransformOptions Validated() =>
        MaxDepth < 10 ? throw Invalid(nameof(MaxDepth), "at least 10", MaxDepth)
        : TimeLimit <= TimeSpan.Zero ? throw Invalid(nameof(TimeLimit), "positive", TimeLimit)
        : MaxResultBytes < 1024 ? throw Invalid(nameof(MaxResultBytes), "at least 1024", MaxResultBytes)
        : MaxExpressionLength < 1 ? throw Invalid(nameof(MaxExpressionLength), "at least 1", MaxExpressionLength)
        : CacheMaxEntries < 1 ? throw Invalid(nameof(CacheMaxEntries), "at least 1", CacheMaxEntries)
        : CacheMaxBytes < 1 ? throw Invalid(nameof(CacheMaxBytes), "at least 1", CacheMaxBytes)
        : this;

    private static InvalidSettingException Invalid(string name, string rule, object value) =>
        new($"{Section}:{name} must be {rule} (got {value})");
}
