namespace Jsonata.Tests.Functions;

public class NumericAndArrayFunctionTests
{
    [Theory]
    [InlineData("$round(2.5)", "2")]
    [InlineData("$round(3.5)", "4")]
    [InlineData("$round(1.005, 2)", "1")]
    [InlineData("$round(1234.5, -2)", "1200")]
    [InlineData("$formatBase(255, 16)", "\"ff\"")]
    [InlineData("$number('0x1F')", "31")]
    [InlineData("$sum([1, 2.5])", "3.5")]
    [InlineData("$average([1, 2])", "1.5")]
    [InlineData("$max([])", "undefined")]
    [InlineData("$power(2, 10)", "1024")]
    public void Numeric_functions(string expression, string expected)
    {
        Assert.Equal(expected, TestEval.Run(expression));
    }

    [Theory]
    [InlineData("$map([1, 2], function($v, $i){ $v * 10 + $i })", "[10,21]")]
    [InlineData("$filter([1, 2, 3], function($v){ $v > 1 })", "[2,3]")]
    [InlineData("$reduce([1, 2, 3], function($a, $b){ $a + $b }, 10)", "16")]
    [InlineData("$sort([3, 1, 2])", "[1,2,3]")]
    [InlineData("$sort(['b', 'a'], function($x, $y){ $x < $y })", "[\"b\",\"a\"]")]
    [InlineData("$zip([1, 2], ['a', 'b'])", "[[1,\"a\"],[2,\"b\"]]")]
    [InlineData("$distinct([1, 1, [2], [2]])", "[1,[2]]")]
    [InlineData("$reverse([1, 2, 3])", "[3,2,1]")]
    [InlineData("$append([1], 2)", "[1,2]")]
    [InlineData("$single([1, 2, 3], function($v){ $v = 2 })", "2")]
    public void Array_and_higher_order_functions(string expression, string expected)
    {
        Assert.Equal(expected, TestEval.Run(expression));
    }

    [Theory]
    [InlineData("$keys({'a': 1, 'b': 2})", "[\"a\",\"b\"]")]
    [InlineData("$merge([{'a': 1}, {'a': 2, 'b': 3}])", "{\"a\":2,\"b\":3}")]
    [InlineData("$spread({'a': 1, 'b': 2})", "[{\"a\":1},{\"b\":2}]")]
    [InlineData("$each({'a': 1}, function($v, $k){ $k & $v })", "\"a1\"")]
    [InlineData("$sift({'a': 1, 'b': 2}, function($v){ $v > 1 })", "{\"b\":2}")]
    [InlineData("$lookup({'a': 5}, 'a')", "5")]
    [InlineData("$type([])", "\"array\"")]
    [InlineData("$boolean([0, ''])", "false")]
    [InlineData("$exists(nothing)", "false")]
    public void Object_functions(string expression, string expected)
    {
        Assert.Equal(expected, TestEval.Run(expression));
    }

    [Fact]
    public void Dates_without_pictures_use_iso_8601()
    {
        Assert.Equal("\"2018-10-21T13:05:00.000Z\"", TestEval.Run("$fromMillis(1540127100000)"));
        Assert.Equal("\"2018-10-21T08:05:00.000-05:00\"", TestEval.Run("$fromMillis(1540127100000, (), '-0500')"));
        Assert.Equal("1540127100000", TestEval.Run("$toMillis('2018-10-21T13:05:00Z')"));
    }
}
