using Jsonata.Functions.Pictures;

namespace Jsonata.Tests.Pictures;

public class FormatNumberTests
{
    private static string Format(double value, string picture, params (string Key, string Value)[] options) =>
        PictureFormat.FormatNumber(value, picture, options.Length == 0 ? null : options.ToDictionary(o => o.Key, o => o.Value));

    [Theory]
    [InlineData(98765.4321, "#,##0.00", "98,765.43")]
    [InlineData(1234567.5, "#,##0.0", "1,234,567.5")]
    [InlineData(0.5, "0.00", "0.50")]
    [InlineData(3.14159, "0.###", "3.142")]
    [InlineData(3, "0.###", "3")]
    [InlineData(0.25, ".00", ".25")]
    [InlineData(25, "#", "25")]
    [InlineData(0, "#", "0")]
    [InlineData(0, "#.##", ".0")]
    [InlineData(42, "0000", "0042")]
    [InlineData(1234.5678, "#,##0.0#,#", "1,234.56,8")]
    public void Integer_and_fraction_parts(double value, string picture, string expected) =>
        Assert.Equal(expected, Format(value, picture));

    [Theory]
    [InlineData(7, "[#]", "[7]")]
    [InlineData(7.5, "Total: #,##0.00 units", "Total: 7.50 units")]
    [InlineData(-3.5, "0.0", "-3.5")]
    [InlineData(-3.5, "0.0;(0.0)", "(3.5)")]
    [InlineData(3.5, "0.0;(0.0)", "3.5")]
    public void Prefix_suffix_and_negative_sub_picture(double value, string picture, string expected) =>
        Assert.Equal(expected, Format(value, picture));

    [Theory]
    [InlineData(0.075, "0%", "8%")]
    [InlineData(0.0125, "0.0\u2030", "12.5\u2030")]
    [InlineData(-0.5, "0%", "-50%")]
    public void Percent_and_per_mille(double value, string picture, string expected) =>
        Assert.Equal(expected, Format(value, picture));

    [Theory]
    [InlineData(2.5, "0", "2")]
    [InlineData(3.5, "0", "4")]
    [InlineData(0.125, "0.00", "0.12")]
    [InlineData(0.135, "0.00", "0.14")]
    [InlineData(1.005, "0.00", "1.00")]
    [InlineData(1.015, "0.00", "1.02")]
    [InlineData(-2.5, "0", "-2")]
    public void Rounding_is_half_to_even_on_the_decimal_text(double value, string picture, string expected) =>
        Assert.Equal(expected, Format(value, picture));

    [Theory]
    [InlineData(98765.4321, "0.00e0", "9.88e4")]
    [InlineData(98765.4321, "#.00e00", "0.99e05")]
    [InlineData(0.000123, "0.0e0", "1.2e-4")]
    [InlineData(-0.000123, "0.0e0", "-1.2e-4")]
    [InlineData(0, "0.0e0", "0.0e0")]
    [InlineData(-1234.5, "0.0e0", "-1.2e3")]
    [InlineData(100, "0.0e0", "10.0e1")]
    [InlineData(12345, "#e0", "0.e5")]
    public void Exponent(double value, string picture, string expected) =>
        Assert.Equal(expected, Format(value, picture));

    [Fact]
    public void Exponent_after_a_prefix() =>
        Assert.Equal("$5.0e0", Format(5, "$0.0e0"));

    [Fact]
    public void Options_replace_the_decimal_format_symbols()
    {
        Assert.Equal("98.765,43", Format(98765.4321, "#.##0,00", ("decimal-separator", ","), ("grouping-separator", ".")));
        Assert.Equal("\u22125", Format(-5, "0", ("minus-sign", "\u2212")));
        Assert.Equal("50pct", Format(0.5, "0pct", ("percent", "pct")));
        Assert.Equal("\u0660\u0661\u0662\u0663", Format(123, "\u0660\u0660\u0660\u0660", ("zero-digit", "\u0660")));
        Assert.Equal("5E0", Format(5, "0E0", ("exponent-separator", "E")));
        Assert.Equal("2", Format(1.5, "0x0", ("pattern-separator", "x")));
        Assert.Equal("7.0", Format(7, "@0.0@", ("digit", "@")));
    }

    [Fact]
    public void Numbers_from_1e21_keep_the_JavaScript_exponent_form() =>
        Assert.Equal("1e+21", Format(1e21, "0"));

    [Theory]
    [InlineData("#;#;#", "D3080")]
    [InlineData("0.0.0", "D3081")]
    [InlineData("0%%", "D3082")]
    [InlineData("0\u2030\u2030", "D3083")]
    [InlineData("0%\u2030", "D3084")]
    [InlineData("", "D3085")]
    [InlineData(".e0", "D3085")]
    [InlineData("0 0", "D3086")]
    [InlineData("%%", "D3086")]
    [InlineData("#,.0", "D3087")]
    [InlineData("#,", "D3088")]
    [InlineData("#,,##0", "D3089")]
    [InlineData("0#", "D3090")]
    [InlineData("0.#0", "D3091")]
    [InlineData("0.0e0%", "D3092")]
    [InlineData("0.0e", "D3093")]
    [InlineData("0.0e0,0", "D3093")]
    public void Invalid_pictures(string picture, string code)
    {
        var error = Assert.Throws<JsonataException>(() => Format(1, picture));
        Assert.Equal(code, error.Code);
    }

    [Fact]
    public void Error_messages_follow_the_reference()
    {
        var error = Assert.Throws<JsonataException>(() => Format(1, "0#"));
        Assert.Equal("The integer part of the sub-picture must not contain a member of the 'decimal digit family' that is followed by an instance of the 'optional digit character'", error.Message);
    }
}
