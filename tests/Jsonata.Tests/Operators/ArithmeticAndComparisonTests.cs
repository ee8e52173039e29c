namespace Jsonata.Tests.Operators;

public class ArithmeticAndComparisonTests
{
    [Theory]
    [InlineData("1 + 2 * 3", "7")]
    [InlineData("(1 + 2) * 3", "9")]
    [InlineData("7 % 3", "1")]
    [InlineData("-7 % 3", "-1")]
    [InlineData("0.1 + 0.2", "0.30000000000000004")]
    [InlineData("1 / 4", "0.25")]
    [InlineData("-(2)", "-2")]
    [InlineData("nothing + 1", "undefined")]
    public void Computes_numbers_as_doubles(string expression, string expected)
    {
        Assert.Equal(expected, TestEval.Run(expression));
    }

    [Theory]
    [InlineData("1 < 2", "true")]
    [InlineData("'a' < 'b'", "true")]
    [InlineData("'B' < 'a'", "true")]
    [InlineData("1 = 1.0", "true")]
    [InlineData("[1, {'a': 2}] = [1, {'a': 2}]", "true")]
    [InlineData("nothing = nothing", "false")]
    [InlineData("nothing < 1", "undefined")]
    [InlineData("2 in [1, 2]", "true")]
    [InlineData("'x' in 'x'", "true")]
    public void Compares_values(string expression, string expected)
    {
        Assert.Equal(expected, TestEval.Run(expression));
    }

    [Theory]
    [InlineData("'a' & 1 & true", "\"a1true\"")]
    [InlineData("'n=' & 1/3", "\"n=0.333333333333333\"")]
    [InlineData("nothing & 'x'", "\"x\"")]
    [InlineData("'v' & [1, 2]", "\"v[1,2]\"")]
    public void Concatenates_with_string_conversion(string expression, string expected)
    {
        Assert.Equal(expected, TestEval.Run(expression));
    }

    [Theory]
    [InlineData("true and 0", "false")]
    [InlineData("'' or [0, 1]", "true")]
    [InlineData("nothing or false", "false")]
    public void Boolean_operators_use_effective_truth(string expression, string expected)
    {
        Assert.Equal(expected, TestEval.Run(expression));
    }

    [Theory]
    [InlineData("nothing ?: 'default'", "\"default\"")]
    [InlineData("0 ?: 'default'", "\"default\"")]
    [InlineData("0 ?? 'default'", "0")]
    [InlineData("nothing ?? 'default'", "\"default\"")]
    [InlineData("[1,2,3][-1] ?: 42", "3")]
    [InlineData("true ? 'y' : 'n'", "\"y\"")]
    [InlineData("false ? 'y'", "undefined")]
    public void Conditionals_and_defaults(string expression, string expected)
    {
        Assert.Equal(expected, TestEval.Run(expression));
    }

    [Fact]
    public void Ranges_produce_integer_sequences()
    {
        Assert.Equal("[1,2,3]", TestEval.Run("[1..3]"));
        Assert.Equal("undefined", TestEval.Run("[3..1][0]"));
        Assert.Equal("10000000", TestEval.Run("[1..10000000] ~> $count()"));
    }
}
