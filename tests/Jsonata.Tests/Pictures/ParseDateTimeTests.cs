using Jsonata.Functions.Pictures;

namespace Jsonata.Tests.Pictures;

public class ParseDateTimeTests
{
    // 2024-05-15T10:20:30.456Z stands in for "now".
    private const double Now = 1_715_768_430_456;

    private static string? Parse(string text, string picture)
    {
        double? millis = PictureFormat.ParseDateTime(text, picture, Now);
        return millis is double m ? PictureFormat.FormatDateTime(m, null, null) : null;
    }

    [Theory]
    [InlineData("2024-03-15", "[Y0001]-[M01]-[D01]", "2024-03-15T00:00:00.000Z")]
    [InlineData("20240315", "[Y0001][M01][D01]", "2024-03-15T00:00:00.000Z")]
    [InlineData("20240315093007", "[Y0001][M01][D01][H01][m01][s01]", "2024-03-15T09:30:07.000Z")]
    [InlineData("Sunday, 3rd March 2024", "[FNn], [D1o] [MNn] [Y]", "2024-03-03T00:00:00.000Z")]
    [InlineData("Mon, Twelfth November 2018", "[FNn,*-3], [DWwo] [MNn] [Y]", "2018-11-12T00:00:00.000Z")]
    [InlineData("Jun 2024", "[MNn,*-3] [Y]", "2024-06-01T00:00:00.000Z")]
    [InlineData("MMXXIV", "[YI]", "2024-01-01T00:00:00.000Z")]
    [InlineData("one thousand, nine hundred and ninety-nine", "[Yw]", "1999-01-01T00:00:00.000Z")]
    [InlineData("2024--060", "[Y]--[d]", "2024-02-29T00:00:00.000Z")]
    [InlineData("sixtieth day of 2024", "[dwo] day of [Y]", "2024-02-29T00:00:00.000Z")]
    [InlineData("2026-04-08T19:05:04.01987", "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f1]", "2026-04-08T19:05:04.019Z")]
    public void Dates(string text, string picture, string expected) =>
        Assert.Equal(expected, Parse(text, picture));

    [Theory]
    [InlineData("13:45", "[H]:[m]", "2024-05-15T13:45:00.000Z")]
    [InlineData("7:05 pm", "[h]:[m] [P]", "2024-05-15T19:05:00.000Z")]
    [InlineData("12:05 am", "[h]:[m] [P]", "2024-05-15T00:05:00.000Z")]
    [InlineData("03/15", "[M01]/[D01]", "2024-03-15T00:00:00.000Z")]
    public void Leading_components_come_from_now(string text, string picture, string expected) =>
        Assert.Equal(expected, Parse(text, picture));

    [Theory]
    [InlineData("2020-09-09 08:00:00 +02:00", "[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [Z]", "2020-09-09T06:00:00.000Z")]
    [InlineData("2020-09-09 08:00:00 GMT-03:00", "[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [z]", "2020-09-09T11:00:00.000Z")]
    [InlineData("2020-09-09 08:00:00 +0530", "[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [Z0001]", "2020-09-09T02:30:00.000Z")]
    [InlineData("2020-09-09 08:00:00 -0530", "[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [Z0001]", "2020-09-09T13:30:00.000Z")]
    [InlineData("2020-09-09 08:00:00 GMT-5", "[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [z01]", "2020-09-09T13:00:00.000Z")]
    public void Timezones(string text, string picture, string expected) =>
        Assert.Equal(expected, Parse(text, picture));

    [Theory]
    [InlineData("2024-100 10:30", "[Y]-[d] [H]:[m]", "2024-04-09T10:30:00.000Z")]
    [InlineData("15 MARCH 2024", "[D] [MN] [Y]", "2024-03-15T00:00:00.000Z")]
    public void Cases_the_reference_rejects(string text, string picture, string expected) =>
        Assert.Equal(expected, Parse(text, picture));

    [Theory]
    [InlineData("Hello", "Hello")]
    [InlineData("not a date", "[Y]-[M]-[D]")]
    [InlineData("Smarch 2024", "[MNn] [Y]")]
    public void Text_that_does_not_fit_is_undefined(string text, string picture) =>
        Assert.Null(PictureFormat.ParseDateTime(text, picture, Now));

    [Theory]
    [InlineData("2024-22", "[Y]-[D]", "D3136")]
    [InlineData("5-22 23:59", "[M]-[D] [m]:[s]", "D3136")]
    [InlineData("2024 42", "[Y] [s]", "D3136")]
    [InlineData("2024-3-2-5", "[X]-[x]-[w]-[F1]", "D3136")]
    [InlineData("2024-32-5", "[X]-[W]-[F1]", "D3136")]
    [InlineData("2024-05-22", "[Y]-[M]-[q]", "D3132")]
    [InlineData("2024-05-22", "[YN]-[M]-[D]", "D3133")]
    [InlineData("2024", "[Y", "D3135")]
    public void Errors(string text, string picture, string code)
    {
        var error = Assert.Throws<JsonataException>(() => PictureFormat.ParseDateTime(text, picture, Now));
        Assert.Equal(code, error.Code);
    }

    [Fact]
    public void Round_trips_formatted_timestamps()
    {
        string[] pictures =
        [
            "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]",
            "[D1o] [MNn] [Y0001], [h]:[m01]:[s01].[f001] [P]",
            "[FNn], [Dwo] [MNn,*-3] [Y] [H01]:[m01]:[s01].[f001]",
            "[Y0001]-[d001] [H]:[m]:[s].[f001]",
        ];
        for (double millis = -2_000_000_000_000; millis < 4_000_000_000_000; millis += 123_456_789_012)
        {
            foreach (string picture in pictures)
            {
                string text = PictureFormat.FormatDateTime(millis, picture, null);
                Assert.Equal(millis, PictureFormat.ParseDateTime(text, picture, Now));
            }
        }
    }
}
