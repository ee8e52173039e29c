using Jsonata.Functions.Pictures;

namespace Jsonata.Tests.Pictures;

public class JsNumberTests
{
    [Theory]
    [InlineData(0, "0")]
    [InlineData(123.456, "123.456")]
    [InlineData(-0.5, "-0.5")]
    [InlineData(1e-6, "0.000001")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(1.5e-10, "1.5e-10")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(1e21, "1e+21")]
    [InlineData(123456789012345678901d, "123456789012345680000")]
    [InlineData(0.1 + 0.2, "0.30000000000000004")]
    public void ToString_matches_JavaScript(double value, string expected) =>
        Assert.Equal(expected, Jsonata.Json.NumberFormatter.ToJsString(value));

    [Theory]
    [InlineData(1.005, 2, "1.00")] // 1.005 is stored just below 1.005
    [InlineData(1.5, 0, "2")]
    [InlineData(2.5, 0, "3")]
    [InlineData(0.000001, 7, "0.0000010")]
    [InlineData(123.456, 1, "123.5")]
    [InlineData(1e21, 2, "1e+21")]
    public void ToFixed_rounds_the_exact_binary_value(double value, int digits, string expected) =>
        Assert.Equal(expected, JsNumber.ToFixed(value, digits));

    [Theory]
    [InlineData(2.5, 0, 2)]
    [InlineData(3.5, 0, 4)]
    [InlineData(-2.5, 0, -2)]
    [InlineData(1.005, 2, 1)]
    [InlineData(1.015, 2, 1.02)]
    [InlineData(0.125, 2, 0.12)]
    [InlineData(1234.5678, 2, 1234.57)]
    public void RoundHalfEven_shifts_through_decimal_text(double value, int precision, double expected) =>
        Assert.Equal(expected, JsNumber.RoundHalfEven(value, precision));

    [Theory]
    [InlineData("42", 42)]
    [InlineData("  -17abc", -17)]
    [InlineData("+0530", 530)]
    [InlineData("12.9", 12)]
    public void ParseInt_reads_a_leading_integer(string text, double expected) =>
        Assert.Equal(expected, JsNumber.ParseInt(text));

    [Fact]
    public void ParseInt_without_digits_is_NaN() => Assert.True(double.IsNaN(JsNumber.ParseInt("x1")));
}
