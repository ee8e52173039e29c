using System.Globalization;
using System.Text.RegularExpressions;

namespace Jsonata.Functions.Pictures;

/// <summary>
/// $toMillis without a picture: the text must have the ISO 8601 shape the reference accepts
/// (else D3110), and is then read as JavaScript's Date.parse reads its date-time format.
/// </summary>
internal static partial class IsoTimestamp
{
    /// <summary>Epoch milliseconds, or NaN for text of the right shape that names no valid instant
    /// (month 13, hour 25, ...), as Date.parse gives.</summary>
    public static double Parse(string timestamp)
    {
        var match = Shape().Match(timestamp);
        if (!match.Success)
        {
            throw PictureErrors.NotIsoTimestamp(timestamp);
        }
        long year = long.Parse(match.Groups["year"].Value, CultureInfo.InvariantCulture);
        // Up to two "-nn" groups follow the year: the first is the month, the second the day.
        var fields = new List<int>();
        foreach (string name in new[] { "field1", "field2" })
        {
            if (match.Groups[name].Success)
            {
                fields.Add(int.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture));
            }
        }
        int month = fields.Count > 0 ? fields[0] : 1;
        int day = fields.Count > 1 ? fields[1] : 1;
        if (month is < 1 or > 12 || day is < 1 or > 31)
        {
            return double.NaN;
        }

        bool hasTime = match.Groups["hour"].Success;
        var offset = match.Groups["offset"];
        // Date.parse accepts neither fractional seconds nor a numeric offset without a time.
        if (!hasTime && (match.Groups["fraction"].Success || (offset.Success && offset.Value != "Z")))
        {
            return double.NaN;
        }

        int hour = 0, minute = 0, second = 0, ms = 0;
        if (hasTime)
        {
            hour = Number(match, "hour");
            minute = Number(match, "minute");
            second = Number(match, "second");
            if (match.Groups["fraction"].Success)
            {
                ms = int.Parse(match.Groups["fraction"].Value.PadRight(3, '0')[..3], CultureInfo.InvariantCulture);
            }
            // 24:00:00.000 is the end of the day; any other hour past 23 is invalid.
            if (hour > 24 || (hour == 24 && (minute != 0 || second != 0 || ms != 0)))
            {
                return double.NaN;
            }
        }

        double millis = JsDate.MakeTime(year, month - 1, day, hour, minute, second, ms);
        if (offset.Success && offset.Value != "Z")
        {
            string digits = offset.Value[1..].Replace(":", "", StringComparison.Ordinal);
            int offsetHours = int.Parse(digits[..2], CultureInfo.InvariantCulture);
            int offsetMinutes = int.Parse(digits[2..], CultureInfo.InvariantCulture);
            if (offsetHours > 23)
            {
                return double.NaN;
            }
            int sign = offset.Value[0] == '-' ? -1 : 1;
            millis -= sign * (offsetHours * 60 + offsetMinutes) * 60_000.0;
        }
        // A time without an offset is local time for Date.parse; with no time zone data here,
        // local time is taken to be UTC.
        return JsDate.TimeClip(millis);
    }

    private static int Number(Match match, string group) =>
        int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<year>[0-9]{4})(?:-(?<field1>[01][0-9]))?(?:-(?<field2>[0-3][0-9]))?(?:T(?<hour>[0-2][0-9]):(?<minute>[0-5][0-9]):(?<second>[0-5][0-9]))?(?:\.(?<fraction>[0-9]+))?(?<offset>[+-][0-2][0-9]:?[0-5][0-9]|Z)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
