namespace Jsonata.Tests.Functions;

public class StringFunctionTests
{
    [Theory]
    [InlineData("$length('h\U0001F600llo')", "5")]
    [InlineData("$substring('h\U0001F600llo', 1, 2)", "\"\U0001F600l\"")]
    [InlineData("$substring('hello', -3)", "\"llo\"")]
    [InlineData("$pad('7', -3, '0')", "\"007\"")]
    [InlineData("$trim('  a \\n  b ')", "\"a b\"")]
    [InlineData("$uppercase('stra\u00DFe')", "\"STRASSE\"")]
    [InlineData("$lowercase('\u039F\u0394\u039F\u03A3')", "\"\u03BF\u03B4\u03BF\u03C2\"")]
    [InlineData("$substringBefore('a-b-c', '-')", "\"a\"")]
    [InlineData("$substringAfter('a-b-c', '-')", "\"b-c\"")]
    public void Counts_code_points_and_transforms_text(string expression, string expected)
    {
        Assert.Equal(expected, TestEval.Run(expression));
    }

    [Theory]
    [InlineData("$split('a, b,c', /,\\s*/)", "[\"a\",\"b\",\"c\"]")]
    [InlineData("$replace('2024-05-06', /(\\d+)-(\\d+)-(\\d+)/, '$3.$2.$1')", "\"06.05.2024\"")]
    [InlineData("$match('a1b22', /\\d+/).match", "[\"1\",\"22\"]")]
    [InlineData("$contains('Hello', /^h/i)", "true")]
    [InlineData("$replace('abc', /b/, function($m){ $uppercase($m.match) })", "\"aBc\"")]
    [InlineData("$match('caf\u00e9 x', /\\b\\w+\\b/).match", "[\"caf\",\"x\"]")]
    [InlineData("$match('xx', /(a)?\\1x/).index", "[0,1]")]
    [InlineData("$match('a\\r\\nb', /a$/m).match", "\"a\"")]
    public void Regular_expressions_follow_javascript_semantics(string expression, string expected)
    {
        Assert.Equal(expected, TestEval.Run(expression));
    }

    [Theory]
    [InlineData("$string(1e21)", "\"1e+21\"")]
    [InlineData("$string(0.0000001)", "\"1e-7\"")]
    [InlineData("$string(5890840712243076)", "\"5890840712243076\"")]
    [InlineData("$string({'a': [1, true, null]})", "\"{\\\"a\\\":[1,true,null]}\"")]
    [InlineData("$string(function(){1})", "\"\"")]
    public void String_conversion_matches_javascript(string expression, string expected)
    {
        Assert.Equal(expected, TestEval.Run(expression));
    }

    [Fact]
    public void Url_and_base64_round_trip()
    {
        Assert.Equal("\"a%20b%26c\"", TestEval.Run("$encodeUrlComponent('a b&c')"));
        Assert.Equal("\"a b&c\"", TestEval.Run("$decodeUrlComponent('a%20b%26c')"));
        Assert.Equal("\"aGk=\"", TestEval.Run("$base64encode('hi')"));
        Assert.Equal("\"hi\"", TestEval.Run("$base64decode('aGk=')"));
    }
}
