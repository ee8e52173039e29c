using System.Text.Json.Nodes;

namespace Jsonata.Tests.Guards;

/// <summary>
/// Strings and arrays that built-ins, operators and constructors build stop at <see cref="JsonataOptions.MaxResultBytes"/>
/// with <c>U1003</c>, checked before the allocation, so one call cannot take the memory of the process.
/// </summary>
public class ResultSizeTests
{
    private const long Limit = 1 << 20;

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private static readonly JsonataOptions Options = new() { MaxResultBytes = Limit, TimeLimit = TimeSpan.FromSeconds(5), MaxDepth = 500 };

    private static async Task AssertTooLarge(string expression)
    {
        var compiled = JsonataExpression.Compile(expression);
        var (error, _) = await GuardRun.FailsWithin(Bound, () => compiled.Evaluate(JsonNode.Parse("{}"), options: Options).ToJsonNode());
        Assert.Equal("U1003", error.Code);
        Assert.Contains("MaxResultBytes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("$pad('', 1e8)")]
    [InlineData("$pad('', -2e9, 'xy')")]
    [InlineData("$pad('', 2e9)")]
    [InlineData("$join($map([1..2000], function($i){ $pad('', 1000, 'x') }))")]
    [InlineData("$string({'a': $pad('', 600000), 'b': $pad('', 600000)})")]
    [InlineData("$replace($pad('', 1000, 'a'), 'a', $pad('', 2000, 'b'))")]
    [InlineData("$replace($pad('', 1000, 'a'), /a/, $pad('', 2000, 'b'))")]
    [InlineData("$pad('', 600000) & $pad('', 600000)")]
    [InlineData("$count([1..200000])")]
    [InlineData("$fromMillis(0, '[Y,2000000000]')")]
    [InlineData("$reduce([1..30], function($a, $i){ [$a, $a] }, [1])")]
    [InlineData("$reduce([1..30], function($a, $i){ $append($a, $a) }, [1])")]
    [InlineData("$reduce([1..30], function($a, $i){ $a & $a }, 'x')")]
    [InlineData("$reduce([1..80], function($a, $i){ $base64encode($a) }, 'xyz')")]
    public Task A_built_string_or_array_over_the_limit_fails_with_U1003(string expression) => AssertTooLarge(expression);

    [Fact]
    public Task A_result_that_shares_one_object_many_times_over_stops_at_the_limit_when_converted() =>
        AssertTooLarge("$reduce([1..40], function($a, $i){ {'a': $a, 'b': $a} }, {})");

    [Fact]
    public void Results_within_the_limit_are_built_as_before()
    {
        var result = JsonataExpression.Compile("$pad('x', 5, '-') & $join(['a', 'b'], ',') & $string([1, 2])").Evaluate(options: Options);
        Assert.Equal("x----a,b[1,2]", result.AsString());
    }

    [Fact]
    public void Padding_with_several_characters_repeats_them_by_code_point()
    {
        var result = JsonataExpression.Compile("$pad('a', -6, '\uD83D\uDE00b')").Evaluate(options: Options);
        Assert.Equal("\uD83D\uDE00b\uD83D\uDE00b\uD83D\uDE00a", result.AsString());
    }
}
