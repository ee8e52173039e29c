using Jsonata.Functions.Pictures;

namespace Jsonata.Tests.Pictures;

public class IsoTimestampTests
{
    [Theory]
    [InlineData("1970-01-01T00:00:00.001Z", 1)]
    [InlineData("2024", 1_704_067_200_000)]
    [InlineData("2024-03", 1_709_251_200_000)]
    [InlineData("2024-03-15", 1_710_460_800_000)]
    [InlineData("2024-03-15T10:20:30Z", 1_710_498_030_000)]
    [InlineData("2024-03-15T10:20:30.5Z", 1_710_498_030_500)]
    [InlineData("2024-03-15T10:20:30.123456Z", 1_710_498_030_123)]
    [InlineData("2024-03-15T10:20:30+0100", 1_710_494_430_000)]
    [InlineData("2024-03-15T10:20:30-05:30", 1_710_517_830_000)]
    [InlineData("2024-03-15T24:00:00Z", 1_710_547_200_000)]
    [InlineData("2024-02-30", 1_709_251_200_000)] // overflows into March, as Date.parse does
    [InlineData("2024Z", 1_704_067_200_000)]
    [InlineData("0000", -62_167_219_200_000)]
    // Without an offset a time is read as UTC (Date.parse would use the local zone).
    [InlineData("2024-03-15T10:20:30", 1_710_498_030_000)]
    public void Reads_ISO_8601(string text, double expected) =>
        Assert.Equal(expected, PictureFormat.ParseDateTime(text, null));

    [Theory]
    [InlineData("2024-13-01")]
    [InlineData("2024-00")]
    [InlineData("2024-01-00")]
    [InlineData("2024-01-35")]
    [InlineData("2024-03-15T25:00:00Z")]
    [InlineData("2024-03-15T24:00:01Z")]
    [InlineData("2024-03-15T10:00:00+2400")]
    [InlineData("2024-03-15+01:00")]
    public void Well_formed_but_impossible_gives_NaN(string text) =>
        Assert.True(double.IsNaN(PictureFormat.ParseDateTime(text, null)!.Value));

    [Theory]
    [InlineData("foo")]
    [InlineData("01-02-2018")]
    [InlineData("2018-02-03 11:15:33")]
    [InlineData("2018-02-01T10:00:60Z")]
    [InlineData("")]
    public void Other_text_raises_D3110(string text)
    {
        var error = Assert.Throws<JsonataException>(() => PictureFormat.ParseDateTime(text, null));
        Assert.Equal("D3110", error.Code);
        Assert.Equal($"The argument of the toMillis function must be an ISO 8601 formatted timestamp. Given \"{text}\"", error.Message);
    }
}
