using Jsonata.Functions.Pictures;

namespace Jsonata.Tests.Pictures;

public class FormatIntegerTests
{
    [Theory]
    [InlineData(7, "0", "7")]
    [InlineData(7, "000", "007")]
    [InlineData(-42, "0000", "-0042")]
    [InlineData(9.99, "0", "9")]
    [InlineData(-9.5, "0", "-10")]
    [InlineData(56, "#0", "56")]
    [InlineData(987654321, "#,##0", "987,654,321")]
    [InlineData(987654321, "0,000", "987,654,321")]
    [InlineData(987, "#,##0", "987")]
    [InlineData(7654321, "# ##0", "7 654 321")]
    [InlineData(7654321, "0,0", "7,6,5,4,3,2,1")]
    [InlineData(7654321, "00,00", "7,65,43,21")]
    public void Decimal_patterns(double value, string picture, string expected) =>
        Assert.Equal(expected, PictureFormat.FormatInteger(value, picture));

    [Theory]
    [InlineData(9876543210, "#:###,##0", "9876:543,210")]
    [InlineData(9876543210, "##,##,##0", "98765,43,210")]
    [InlineData(7654321, "#,#,#0", "7654,3,21")]
    // A separator with no digit to its left is left out.
    [InlineData(5, "#,##0,00", "0,05")]
    [InlineData(12345, "#,##0,00", "123,45")]
    public void Irregular_grouping_keeps_the_picture_positions(double value, string picture, string expected) =>
        Assert.Equal(expected, PictureFormat.FormatInteger(value, picture));

    [Theory]
    [InlineData(305, "#\u0660", "\u0663\u0660\u0665")]
    [InlineData(305, "\u0966\u0966\u0966\u0966", "\u0966\u0969\u0966\u096B")]
    [InlineData(2024, "#,##\uFF10", "\uFF12,\uFF10\uFF12\uFF14")]
    [InlineData(47, "\U0001D7CE\U0001D7CE\U0001D7CE", "\U0001D7CE\U0001D7D2\U0001D7D5")]
    public void Other_digit_families(double value, string picture, string expected) =>
        Assert.Equal(expected, PictureFormat.FormatInteger(value, picture));

    [Theory]
    [InlineData(1, "0;o", "1st")]
    [InlineData(2, "0;o", "2nd")]
    [InlineData(3, "0;o", "3rd")]
    [InlineData(4, "0;o", "4th")]
    [InlineData(11, "0;o", "11th")]
    [InlineData(12, "0;o", "12th")]
    [InlineData(13, "0;o", "13th")]
    [InlineData(21, "0;o", "21st")]
    [InlineData(112, "0;o", "112th")]
    [InlineData(1002, "#,##0;o", "1,002nd")]
    [InlineData(5, "000;o", "005th")]
    [InlineData(5, "0;c", "5")]
    public void Ordinal_suffixes(double value, string picture, string expected) =>
        Assert.Equal(expected, PictureFormat.FormatInteger(value, picture));

    [Theory]
    [InlineData(0, "w", "zero")]
    [InlineData(7, "w", "seven")]
    [InlineData(15, "W", "FIFTEEN")]
    [InlineData(40, "w", "forty")]
    [InlineData(68, "Ww", "Sixty-Eight")]
    [InlineData(200, "w", "two hundred")]
    [InlineData(208, "w", "two hundred and eight")]
    [InlineData(2100, "w", "two thousand, one hundred")]
    [InlineData(2008, "w", "two thousand and eight")]
    [InlineData(6000000, "w", "six million")]
    [InlineData(5000000000, "w", "five billion")]
    [InlineData(2e15, "w", "two thousand trillion")]
    [InlineData(-3, "w", "-three")]
    public void Cardinal_words(double value, string picture, string expected) =>
        Assert.Equal(expected, PictureFormat.FormatInteger(value, picture));

    [Theory]
    [InlineData(0, "w;o", "zeroth")]
    [InlineData(3, "w;o", "third")]
    [InlineData(40, "w;o", "fortieth")]
    [InlineData(42, "Ww;o", "Forty-Second")]
    [InlineData(300, "W;o", "THREE HUNDREDTH")]
    [InlineData(2011, "w;o", "two thousand and eleventh")]
    [InlineData(7000000, "w;o", "seven millionth")]
    public void Ordinal_words(double value, string picture, string expected) =>
        Assert.Equal(expected, PictureFormat.FormatInteger(value, picture));

    [Theory]
    [InlineData(0, "I", "")]
    [InlineData(4, "I", "IV")]
    [InlineData(14, "i", "xiv")]
    [InlineData(2024, "I", "MMXXIV")]
    [InlineData(3999, "i", "mmmcmxcix")]
    [InlineData(4001, "I", "MMMMI")]
    [InlineData(-9, "I", "-IX")]
    public void Roman_numerals(double value, string picture, string expected) =>
        Assert.Equal(expected, PictureFormat.FormatInteger(value, picture));

    [Theory]
    [InlineData(0, "a", "")]
    [InlineData(3, "a", "c")]
    [InlineData(26, "A", "Z")]
    [InlineData(28, "A", "AB")]
    [InlineData(702, "a", "zz")]
    [InlineData(703, "a", "aaa")]
    [InlineData(-2, "A", "-B")]
    public void Letters(double value, string picture, string expected) =>
        Assert.Equal(expected, PictureFormat.FormatInteger(value, picture));

    [Fact]
    public void Values_of_1e21_and_above_keep_the_JavaScript_exponent_form() =>
        Assert.Equal("1e+21", PictureFormat.FormatInteger(1e21, "0"));

    [Fact]
    public void Large_values_print_the_shortest_digits() =>
        Assert.Equal("123456789012345680000", PictureFormat.FormatInteger(123456789012345678901d, "0"));

    [Theory]
    [InlineData("#", "#")]
    [InlineData("", "")]
    [InlineData("n", "n")]
    [InlineData("\u03B1", "\u03B1")]
    [InlineData(";o", "")]
    public void Unsupported_sequences_raise_D3130(string picture, string token)
    {
        var error = Assert.Throws<JsonataException>(() => PictureFormat.FormatInteger(5, picture));
        Assert.Equal("D3130", error.Code);
        Assert.Equal($"Formatting or parsing an integer as a sequence starting with \"{token}\" is not supported by this implementation", error.Message);
    }

    [Fact]
    public void Mixed_digit_families_raise_D3131()
    {
        var error = Assert.Throws<JsonataException>(() => PictureFormat.FormatInteger(5, "0\u0660"));
        Assert.Equal("D3131", error.Code);
    }
}
