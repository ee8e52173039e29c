namespace Jsonata.Tests.Errors;

public class ErrorCodeTests
{
    [Theory]
    [InlineData("1 +", "S0207")]
    [InlineData("(1", "S0203")]
    [InlineData("[1 2]", "S0202")]
    [InlineData("'abc", "S0101")]
    [InlineData("1 ! 2", "S0204")]
    [InlineData("a.1", "S0213")]
    [InlineData("%.a", "S0217")]
    [InlineData("function($x, y){1}", "S0208")]
    [InlineData("a@b", "S0214")]
    public void Syntax_errors_are_raised_when_compiling(string expression, string code)
    {
        var error = Assert.Throws<JsonataException>(() => JsonataExpression.Compile(expression));
        Assert.Equal(code, error.Code);
    }

    [Theory]
    [InlineData("1 + 'a'", "T2002", "+")]
    [InlineData("'a' * 2", "T2001", "*")]
    [InlineData("1 < 'a'", "T2009", "<")]
    [InlineData("$sum(1, 2)", "T0410", "sum")]
    [InlineData("$sum(['a'])", "T0412", "sum")]
    [InlineData("$nope()", "T1006", "nope")]
    [InlineData("[1..'x']", "T2004", "..")]
    public void Evaluation_errors_carry_code_and_token(string expression, string code, string token)
    {
        var error = TestEval.Error(expression);
        Assert.Equal(code, error.Code);
        Assert.Equal(token, error.Token);
    }

    [Fact]
    public void Error_function_uses_the_given_message()
    {
        var error = TestEval.Error("$error('stop here')");
        Assert.Equal("D3137", error.Code);
        Assert.Equal("stop here", error.Message);
    }

    [Fact]
    public void Messages_describe_the_failure()
    {
        var error = TestEval.Error("$decodeUrl('%E0%A4%A')");
        Assert.Equal("Malformed URL passed to $decodeUrl(): \"%E0%A4%A\"", error.Message);
    }

    [Fact]
    public void Oversized_ranges_are_rejected()
    {
        Assert.Equal("D2014", TestEval.Error("[1..10000001]").Code);
    }

    [Fact]
    public void Infinite_results_are_rejected_where_the_reference_rejects_them()
    {
        Assert.Equal("D1001", TestEval.Error("$string({'x': 1/0})").Code);
        Assert.Equal("D3001", TestEval.Error("$string(1/0)").Code);
    }
}
