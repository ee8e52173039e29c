using System.Text.Json.Nodes;
using Jsonata;

namespace Herald.Server.Expressions;

/// <summary>
/// Compiles the JSONata expressions of configs and events once per distinct text (kept in a bounded
/// <see cref="ExpressionCache"/>) and evaluates them under the configured depth, time and result-size guards.
/// </summary>
public sealed class JsonataRuntime(TransformOptions options, ExpressionMetrics? metrics = null)
{
    /// <summary>Code of an expression longer than <see cref="TransformOptions.MaxExpressionLength"/>.</summary>
    public const string TooLongCode = "H0001";

    private static readonly JsonataExpression Truthiness = JsonataExpression.Compile("$boolean($v)");

    public JsonataOptions Guards { get; } = new() { MaxDepth = options.MaxDepth, TimeLimit = options.TimeLimit, MaxResultBytes = options.MaxResultBytes };

    internal ExpressionCache Cache { get; } = new(options.CacheMaxEntries, options.CacheMaxBytes);

    /// <summary>
    /// The compiled form of <paramref name="source"/>. Text longer than the configured limit is refused before it is
    /// parsed (stored configs are checked at save; events' downgrade steps and configs saved under a larger limit are
    /// checked here).
    /// </summary>
    public JsonataExpression Compiled(string source)
    {
        if (source.Length > options.MaxExpressionLength)
        {
            throw new JsonataException(TooLongCode, TooLongMessage(source.Length, options.MaxExpressionLength));
        }
        return Cache.GetOrCompile(source);
    }

    public static string TooLongMessage(int length, int limit) =>
        $"The expression is {length} characters long, over the limit of {limit} (setting {TransformOptions.Section}:{nameof(TransformOptions.MaxExpressionLength)})";

    public JsonataValue Evaluate(JsonataExpression expression, JsonNode? input)
    {
        if (metrics is null)
        {
            return expression.Evaluate(input, options: Guards);
        }
        // Wall-clock time on purpose: what an evaluation costs this process, whatever the domain clock says.
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            return expression.Evaluate(input, options: Guards);
        }
        catch (JsonataException e)
        {
            metrics.Failed(e.Code);
            throw;
        }
        finally
        {
            metrics.Evaluated(System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>JSONata's <c>$boolean</c> of a result: undefined, false, 0, "", empty arrays and objects are false.</summary>
    public static bool IsTruthy(JsonataValue value) =>
        !value.IsUndefined && Truthiness.Evaluate(new JsonataBindings().Bind("v", value)).AsBoolean() == true;

    /// <summary>Describes a compile or evaluation error the way a config author can act on it.</summary>
    public static string Describe(JsonataException error) =>
        (error.Position >= 0 ? $"{error.Code} at position {error.Position}: {error.Message}" : $"{error.Code}: {error.Message}") + SettingHint(error);

    /// <summary>Which setting governs a limit error, so the message says what changes it.</summary>
    private static string SettingHint(JsonataException error) => error.Code switch
    {
        // U1001 covers several guards; only some of them are Herald settings.
        "U1001" when error.Message.Contains("timeout", StringComparison.OrdinalIgnoreCase) =>
            $" (setting {TransformOptions.Section}:{nameof(TransformOptions.TimeLimit)})",
        "U1001" when error.Message.StartsWith("Expression", StringComparison.Ordinal) =>
            " (a fixed limit of the JSONata engine: write the expression with less nesting)",
        "U1001" => $" (limits: {TransformOptions.Section}:{nameof(TransformOptions.MaxDepth)}, {TransformOptions.Section}:{nameof(TransformOptions.TimeLimit)})",
        "U1003" => $" (setting {TransformOptions.Section}:{nameof(TransformOptions.MaxResultBytes)})",
        _ => "",
    };
}
