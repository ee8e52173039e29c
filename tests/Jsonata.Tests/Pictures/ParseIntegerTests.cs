using Jsonata.Functions.Pictures;

namespace Jsonata.Tests.Pictures;

public class ParseIntegerTests
{
    [Theory]
    [InlineData("42", "0", 42)]
    [InlineData("0042", "0000", 42)]
    [InlineData("987,654", "#,##0", 987654)]
    [InlineData("9876:543,210", "#:###,##0", 9876543210)]
    [InlineData("7 654 321", "# ##0", 7654321)]
    [InlineData("22nd", "0;o", 22)]
    [InlineData("1,002nd", "#,##0;o", 1002)]
    [InlineData("\u0663\u0660\u0665", "#\u0660", 305)]
    [InlineData("\U0001D7CF\U0001D7D0", "\U0001D7CE", 12)]
    public void Decimal(string text, string picture, double expected) =>
        Assert.Equal(expected, PictureFormat.ParseInteger(text, picture));

    [Theory]
    [InlineData("seven", "w", 7)]
    [InlineData("SIXTY-EIGHT", "W", 68)]
    [InlineData("Two Hundred and Eight", "Ww", 208)]
    [InlineData("two thousand, one hundred", "w", 2100)]
    [InlineData("nineteen hundred and ninety-nine", "w", 1999)]
    [InlineData("six million and one", "w", 6000001)]
    [InlineData("two thousand trillion", "w", 2e15)]
    [InlineData("forty-second", "w;o", 42)]
    [InlineData("three hundredth", "w;o", 300)]
    public void Words(string text, string picture, double expected) =>
        Assert.Equal(expected, PictureFormat.ParseInteger(text, picture));

    [Theory]
    [InlineData("", "I", 0)]
    [InlineData("XIV", "I", 14)]
    [InlineData("mmxxiv", "i", 2024)]
    [InlineData("MMMMI", "I", 4001)]
    [InlineData("c", "a", 3)]
    [InlineData("AB", "A", 28)]
    [InlineData("aaa", "a", 703)]
    public void Roman_and_letters(string text, string picture, double expected) =>
        Assert.Equal(expected, PictureFormat.ParseInteger(text, picture));

    [Theory]
    [InlineData("seven and a half", "w")]
    [InlineData("XQ", "I")]
    [InlineData("abc", "0")]
    public void Unreadable_text_gives_NaN(string text, string picture) =>
        Assert.True(double.IsNaN(PictureFormat.ParseInteger(text, picture)!.Value));

    [Fact]
    public void Round_trips_through_formatting()
    {
        string[] pictures = ["0", "#,##0", "0;o", "w", "W;o", "Ww", "I", "i", "a", "A", "#\u0966"];
        foreach (string picture in pictures)
        {
            foreach (double value in new double[] { 1, 9, 12, 21, 99, 100, 111, 1234, 56789, 1000001 })
            {
                string text = PictureFormat.FormatInteger(value, picture);
                Assert.Equal(value, PictureFormat.ParseInteger(text, picture));
            }
        }
    }

    [Fact]
    public void Unsupported_sequence_raises_D3130()
    {
        var error = Assert.Throws<JsonataException>(() => PictureFormat.ParseInteger("5", "#"));
        Assert.Equal("D3130", error.Code);
    }
}
