using Jsonata.Functions.Pictures;

namespace Jsonata.Tests.Pictures;

public class FormatDateTimeTests
{
    // Tuesday 2023-11-14 22:13:20 UTC.
    private const double Instant = 1_700_000_000_000;

    [Theory]
    [InlineData(null, "2023-11-14T22:13:20.000Z")]
    [InlineData("+0200", "2023-11-15T00:13:20.000+02:00")]
    [InlineData("-0700", "2023-11-14T15:13:20.000-07:00")]
    [InlineData("0000", "2023-11-14T22:13:20.000Z")]
    public void Default_picture_is_ISO_8601(string? timezone, string expected) =>
        Assert.Equal(expected, PictureFormat.FormatDateTime(Instant, null, timezone));

    [Theory]
    [InlineData(-62_198_755_200_001, "-0002-12-31T23:59:59.999Z")]
    [InlineData(253_402_300_800_000, "0000-01-01T00:00:00.000Z")]
    [InlineData(1.7, "1970-01-01T00:00:00.001Z")]
    [InlineData(-1.7, "1969-12-31T23:59:59.999Z")]
    public void Years_outside_four_digits_and_fractional_millis(double millis, string expected) =>
        Assert.Equal(expected, PictureFormat.FormatDateTime(millis, null, null));

    [Theory]
    [InlineData("[FNn], [D1o] [MNn] [Y]", "Tuesday, 14th November 2023")]
    [InlineData("[FNn,*-3] [Dwo] [MN,*-3] [Yw]", "Tue fourteenth NOV two thousand and twenty-three")]
    [InlineData("[F] [Fn] [FN] [F1]", "tuesday tuesday TUESDAY 2")]
    [InlineData("[h]:[m01] [PN]", "10:13 PM")]
    [InlineData("[Y,2]/[M,2]/[D,2]", "23/11/14")]
    [InlineData("[Y0001,2-2] [Y01] [Y9,999,*]", "23 23 2,023")]
    [InlineData("[YI] [Mi] [Da]", "MMXXIII xi n")]
    [InlineData("[d] [dwo]", "318 three hundred and eighteenth")]
    [InlineData("[H01]:[m]:[s] [f001] [f]", "22:13:20 000 0")]
    [InlineData("[C] [E]", "ISO ISO")]
    [InlineData("[D#1,2]", "14")]
    public void Markers_and_presentation_modifiers(string picture, string expected) =>
        Assert.Equal(expected, PictureFormat.FormatDateTime(Instant, picture, null));

    [Theory]
    [InlineData("Plain text", "Plain text")]
    [InlineData("[[[Y]]] ]] [ M ]", "[2023] ] 11")]
    [InlineData("[Y0001]-[ M 0 1 ]", "2023-11")]
    public void Literals_brackets_and_whitespace(string picture, string expected) =>
        Assert.Equal(expected, PictureFormat.FormatDateTime(Instant, picture, null));

    [Theory]
    [InlineData(1_700_000_000_000, "2023-W46-2", "November week 3")]
    [InlineData(1_609_459_200_000, "2020-W53-5", "December week 5")] // Friday 2021-01-01
    [InlineData(1_735_516_800_000, "2025-W01-1", "January week 1")] // Monday 2024-12-30
    [InlineData(1_767_225_600_000, "2026-W01-4", "January week 1")] // Thursday 2026-01-01
    [InlineData(1_451_606_400_000, "2015-W53-5", "December week 5")] // Friday 2016-01-01
    [InlineData(1_514_764_800_000, "2018-W01-1", "January week 1")] // Monday 2018-01-01
    public void ISO_week_dates(double millis, string weekDate, string monthWeek)
    {
        Assert.Equal(weekDate, PictureFormat.FormatDateTime(millis, "[X0001]-W[W01]-[F1]", null));
        Assert.Equal(monthWeek, PictureFormat.FormatDateTime(millis, "[xNn] week [w]", null));
    }

    [Theory]
    [InlineData(null, "+00:00 +0 +00 +0000 GMT+00:00 Z")]
    [InlineData("+0530", "+05:30 +5:30 +05:30 +0530 GMT+05:30 +05:30")]
    [InlineData("-1000", "-10:00 -10 -10 -1000 GMT-10:00 -10:00")]
    // The minutes keep the sign of the offset (the reference reads -0530 as -06:30).
    [InlineData("-0530", "-05:30 -5:30 -05:30 -0530 GMT-05:30 -05:30")]
    [InlineData("-0030", "-00:30 -0:30 -00:30 -0030 GMT-00:30 -00:30")]
    public void Timezones(string? timezone, string expected) =>
        Assert.Equal(expected, PictureFormat.FormatDateTime(Instant, "[Z] [Z0] [Z01] [Z0101] [z] [Z01:01t]", timezone));

    [Fact]
    public void Timezone_shifts_the_local_fields() =>
        Assert.Equal("2:13 am", PictureFormat.FormatDateTime(Instant, "[h]:[m01] [P]", "+0400"));

    [Theory]
    [InlineData("[Y]-[q]", "D3132")]
    [InlineData("[]", "D3132")]
    [InlineData("[YN]", "D3133")]
    [InlineData("[DNn]", "D3133")]
    [InlineData("[Z010101]", "D3134")]
    [InlineData("[Y]-[M", "D3135")]
    [InlineData("[D#]", "D3130")]
    [InlineData("[D0\u0660]", "D3131")]
    public void Invalid_pictures(string picture, string code)
    {
        var error = Assert.Throws<JsonataException>(() => PictureFormat.FormatDateTime(Instant, picture, null));
        Assert.Equal(code, error.Code);
    }

    [Fact]
    public void Unknown_component_message_names_it()
    {
        var error = Assert.Throws<JsonataException>(() => PictureFormat.FormatDateTime(Instant, "[q]", null));
        Assert.Equal("Unknown component specifier \"q\" in date/time picture string", error.Message);
    }
}
