using System.Text.Json;
using System.Text.Json.Nodes;
using Jsonata.Evaluation;
using Jsonata.Functions;
using Jsonata.Json;
using Jsonata.Parsing;
using Jsonata.Values;

namespace Jsonata;

/// <summary>
/// A compiled JSONata expression. Compile once, then evaluate as often as needed, from any number of
/// threads at the same time: the compiled form is never modified by evaluation.
/// </summary>
/// <example>
/// <code>
/// var expr = JsonataExpression.Compile("$sum(order.items.(price * quantity))");
/// var total = expr.Evaluate(JsonNode.Parse(json)).AsNumber();
/// </code>
/// </example>
public sealed class JsonataExpression
{
    private readonly Node _ast;

    private JsonataExpression(string source, Node ast)
    {
        Source = source;
        _ast = ast;
    }

    /// <summary>The expression text.</summary>
    public string Source { get; }

    /// <summary>
    /// Deepest nesting an expression may have (brackets, unary operators, operands of operator chains, path steps);
    /// deeper expressions fail to compile with <c>U1001</c> rather than exhausting the stack.
    /// </summary>
    public const int MaxNesting = Errors.Limits.MaxExpressionNesting;

    /// <summary>
    /// Parses and compiles an expression. Syntax errors throw <see cref="JsonataException"/> (codes S0xxx), and so
    /// does nesting deeper than <see cref="MaxNesting"/> (<c>U1001</c>).
    /// </summary>
    public static JsonataExpression Compile(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        return new JsonataExpression(expression, Parser.Parse(expression));
    }

    /// <summary>Evaluates against a JSON document; a null node means JSON <c>null</c> input.</summary>
    /// <remarks>
    /// The document is read as the expression goes: objects it never reaches are not converted. Whatever the
    /// result holds of the document has been read in full before this returns, so later changes to the document do
    /// not show in the result.
    /// </remarks>
    public JsonataValue Evaluate(JsonNode? input, JsonataBindings? bindings = null, JsonataOptions? options = null)
    {
        try
        {
            return new(JsonConvert.Settle(EvaluateRaw(JsonConvert.FromNodeLazily(input), bindings?.Values, options)), Limit(options));
        }
        catch (JsonataException e)
        {
            // an error's value may be part of the document too
            JsonConvert.Settle(e.RawValue);
            throw;
        }
    }

    /// <summary>Evaluates against a JSON document.</summary>
    public JsonataValue Evaluate(JsonElement input, JsonataBindings? bindings = null, JsonataOptions? options = null) =>
        new(EvaluateRaw(JsonConvert.FromElement(input), bindings?.Values, options), Limit(options));

    /// <summary>Evaluates against a value; <see cref="JsonataValue.Undefined"/> means no input at all.</summary>
    public JsonataValue Evaluate(JsonataValue input, JsonataBindings? bindings = null, JsonataOptions? options = null) =>
        new(EvaluateRaw(input.Raw, bindings?.Values, options), Limit(options));

    /// <summary>Evaluates with no input document.</summary>
    public JsonataValue Evaluate(JsonataBindings? bindings = null, JsonataOptions? options = null) =>
        new(EvaluateRaw(null, bindings?.Values, options), Limit(options));

    private static long Limit(JsonataOptions? options) => options?.MaxResultBytes ?? 0;

    internal object? EvaluateRaw(object? input, IReadOnlyDictionary<string, object?>? bindings, JsonataOptions? options)
    {
        var ctx = new EvalContext(
            DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            options?.MaxDepth ?? 0,
            options?.TimeLimit,
            options?.CancellationToken ?? CancellationToken.None,
            options?.MaxResultBytes ?? 0);
        var env = new Frame(Builtins.Frame, ctx);
        if (bindings != null)
        {
            foreach (var (name, value) in bindings)
            {
                env.Bind(name, value);
            }
        }

        env.Bind("$", input);
        if (input is JArray { Sequence: false } array)
        {
            var wrapped = JArray.CreateSequence(array);
            wrapped.OuterWrapper = true;
            input = wrapped;
        }

        return Evaluator.Instance.Evaluate(_ast, input, env);
    }
}
