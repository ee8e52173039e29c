namespace Jsonata.Tests.Guards;

/// <summary>
/// Expressions and values nested deeper than the stack allows fail with a catchable error in the parser, the tree
/// processing and the conversions, instead of overflowing the stack (which would end the process).
/// </summary>
public class NestingTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    public static TheoryData<string, string> DeepExpressions => new()
    {
        { "minus signs", new string('-', 14_999) + "1" },
        { "parentheses", new string('(', 400_000) + "1" + new string(')', 400_000) },
        { "unbalanced brackets", new string('[', 200_000) },
        { "object constructors", string.Concat(Enumerable.Repeat("{'a':", 50_000)) + "1" + new string('}', 50_000) },
        { "an operator chain", string.Join("+", Enumerable.Repeat("1", 30_000)) },
        { "a path", string.Join(".", Enumerable.Repeat("a", 30_000)) },
        { "predicates", "a" + string.Concat(Enumerable.Repeat("[0]", 30_000)) },
        { "conditions", string.Concat(Enumerable.Repeat("a ? ", 30_000)) + "1" + string.Concat(Enumerable.Repeat(" : 2", 30_000)) },
        { "function calls", string.Concat(Enumerable.Repeat("$f(", 30_000)) + "1" + new string(')', 30_000) },
    };

    [Theory]
    [MemberData(nameof(DeepExpressions))]
    public async Task A_deeply_nested_expression_fails_to_compile_with_U1001(string shape, string expression)
    {
        var (error, _) = await GuardRun.FailsWithin(Bound, () => JsonataExpression.Compile(expression));

        Assert.True(error.Code == "U1001", $"{shape}: {error.Code} {error.Message}");
        Assert.Contains("nested too deeply", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Operands_copied_by_elvis_operators_cannot_grow_the_tree_exponentially()
    {
        var expression = "a";
        for (var i = 0; i < 40; i++)
        {
            expression = $"({expression} ?: a)";
        }

        var (error, _) = await GuardRun.FailsWithin(Bound, () => JsonataExpression.Compile(expression));

        Assert.Equal("U1001", error.Code);
    }

    [Fact]
    public void Nesting_within_the_limit_still_compiles_and_evaluates()
    {
        var expression = new string('(', 400) + "1" + new string(')', 400);
        Assert.Equal(1, JsonataExpression.Compile(expression).Evaluate().AsNumber());
        var chain = string.Join("+", Enumerable.Repeat("1", 400));
        Assert.Equal(400, JsonataExpression.Compile(chain).Evaluate().AsNumber());
    }

    [Fact]
    public async Task A_value_built_deeper_than_the_stack_allows_fails_catchably_when_converted()
    {
        var compiled = JsonataExpression.Compile("$reduce([1..200000], function($a, $i){ {'a': $a} }, {})");

        var (error, _) = await GuardRun.FailsWithin(Bound, () => compiled.Evaluate(options: new JsonataOptions { TimeLimit = TimeSpan.FromSeconds(10) }).ToJsonNode());

        Assert.Equal("U1001", error.Code);
    }

    [Fact]
    public async Task Stringifying_a_value_deeper_than_the_stack_allows_fails_catchably()
    {
        var compiled = JsonataExpression.Compile("$string($reduce([1..200000], function($a, $i){ [[$a]] }, []))");

        var (error, _) = await GuardRun.FailsWithin(Bound, () => compiled.Evaluate(options: new JsonataOptions { TimeLimit = TimeSpan.FromSeconds(10) }));

        Assert.Equal("U1001", error.Code);
    }
}
