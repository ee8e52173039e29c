using System.Globalization;
using System.Text;

namespace Jsonata.Functions;

/// <summary>
/// ISO 8601 timestamps as JavaScript's <c>Date</c> handles them: the full time range of
/// ±8.64e15 ms (years 0 and beyond 9999 included), lenient day overflow, and the reference's
/// reading of timezone strings such as <c>+0530</c>.
/// </summary>
internal static class IsoDateTime
{
    private const double MaxTime = 8.64e15;
    private const double MsPerDay = 86400000;

    public static long DaysFromCivil(long y, long m, long d)
    {
        y -= m <= 2 ? 1 : 0;
        var era = (y >= 0 ? y : y - 399) / 400;
        var yoe = y - (era * 400);
        var doy = ((153 * (m + (m > 2 ? -3 : 9))) + 2) / 5 + d - 1;
        var doe = (yoe * 365) + (yoe / 4) - (yoe / 100) + doy;
        return (era * 146097) + doe - 719468;
    }

    public static (long Year, int Month, int Day) CivilFromDays(long z)
    {
        z += 719468;
        var era = (z >= 0 ? z : z - 146096) / 146097;
        var doe = z - (era * 146097);
        var yoe = (doe - (doe / 1460) + (doe / 36524) - (doe / 146096)) / 365;
        var y = yoe + (era * 400);
        var doy = doe - ((365 * yoe) + (yoe / 4) - (yoe / 100));
        var mp = ((5 * doy) + 2) / 153;
        var d = doy - (((153 * mp) + 2) / 5) + 1;
        var m = mp + (mp < 10 ? 3 : -9);
        return (y + (m <= 2 ? 1 : 0), (int)m, (int)d);
    }

    /// <summary>Formats like the reference's default picture <c>[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]</c>.</summary>
    public static string Format(double millis, string? timezone)
    {
        var offsetHours = 0.0;
        var offsetMinutes = 0.0;
        if (timezone != null)
        {
            var offset = ParseIntLikeJs(timezone);
            if (double.IsNaN(offset))
            {
                return "0NaN-NaN-NaNTNaN:NaN:NaN.NaN0N:aN";
            }

            offsetHours = Math.Floor(offset / 100);
            offsetMinutes = offset % 100;
        }

        var shifted = millis + (((60 * offsetHours) + offsetMinutes) * 60 * 1000);
        var sb = new StringBuilder(32);
        if (double.IsNaN(shifted) || Math.Abs(shifted) > MaxTime)
        {
            sb.Append("0NaN-NaN-NaNTNaN:NaN:NaN.NaN");
        }
        else
        {
            var time = Math.Truncate(shifted);
            var days = (long)Math.Floor(time / MsPerDay);
            var msOfDay = (long)(time - (days * MsPerDay));
            var (fullYear, month, day) = CivilFromDays(days);

            // the four-digit year picture keeps only the last four digits
            var year = fullYear % 10000;
            if (year < 0)
            {
                sb.Append('-');
            }

            sb.Append(Math.Abs(year).ToString("0000", CultureInfo.InvariantCulture)).Append('-')
                .Append(month.ToString("00", CultureInfo.InvariantCulture)).Append('-')
                .Append(day.ToString("00", CultureInfo.InvariantCulture)).Append('T')
                .Append((msOfDay / 3600000).ToString("00", CultureInfo.InvariantCulture)).Append(':')
                .Append((msOfDay / 60000 % 60).ToString("00", CultureInfo.InvariantCulture)).Append(':')
                .Append((msOfDay / 1000 % 60).ToString("00", CultureInfo.InvariantCulture)).Append('.')
                .Append((msOfDay % 1000).ToString("000", CultureInfo.InvariantCulture));
        }

        var display = (offsetHours * 100) + offsetMinutes;
        if (display == 0)
        {
            sb.Append('Z');
        }
        else
        {
            var digits = ((long)Math.Abs(display)).ToString("0000", CultureInfo.InvariantCulture);
            sb.Append(display >= 0 ? '+' : '-').Append(digits, 0, digits.Length - 2).Append(':').Append(digits, digits.Length - 2, 2);
        }

        return sb.ToString();
    }

    /// <summary>JavaScript <c>parseInt</c>: optional sign and leading decimal digits; NaN when there are none.</summary>
    private static double ParseIntLikeJs(string s)
    {
        var i = 0;
        while (i < s.Length && char.IsWhiteSpace(s[i]))
        {
            i++;
        }

        var negative = false;
        if (i < s.Length && (s[i] == '+' || s[i] == '-'))
        {
            negative = s[i] == '-';
            i++;
        }

        var start = i;
        double value = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            value = (value * 10) + (s[i] - '0');
            i++;
        }

        if (i == start)
        {
            return double.NaN;
        }

        return negative ? -value : value;
    }

    /// <summary>
    /// Parses a timestamp already known to match the ISO 8601 pattern, as <c>Date.parse</c> does;
    /// NaN for out-of-range fields. Forms without an offset are read as UTC.
    /// </summary>
    public static double Parse(string s)
    {
        static int Digits(string text, int pos, int count)
        {
            var v = 0;
            for (var k = 0; k < count; k++)
            {
                v = (v * 10) + (text[pos + k] - '0');
            }

            return v;
        }

        var year = Digits(s, 0, 4);
        var pos = 4;
        int month = 1, day = 1, hour = 0, minute = 0, second = 0, millis = 0, offset = 0;
        if (pos < s.Length && s[pos] == '-')
        {
            month = Digits(s, pos + 1, 2);
            pos += 3;
            if (pos < s.Length && s[pos] == '-')
            {
                day = Digits(s, pos + 1, 2);
                pos += 3;
            }
        }

        if (pos < s.Length && s[pos] == 'T')
        {
            hour = Digits(s, pos + 1, 2);
            minute = Digits(s, pos + 4, 2);
            second = Digits(s, pos + 7, 2);
            pos += 9;
        }

        if (pos < s.Length && s[pos] == '.')
        {
            pos++;
            var start = pos;
            while (pos < s.Length && char.IsAsciiDigit(s[pos]))
            {
                pos++;
            }

            var fraction = s.Substring(start, Math.Min(3, pos - start)).PadRight(3, '0');
            millis = int.Parse(fraction, CultureInfo.InvariantCulture);
        }

        if (pos < s.Length && s[pos] != 'Z')
        {
            var sign = s[pos] == '-' ? -1 : 1;
            var oh = Digits(s, pos + 1, 2);
            var om = s[pos + 3] == ':' ? Digits(s, pos + 4, 2) : Digits(s, pos + 3, 2);
            if (oh > 23 || om > 59)
            {
                return double.NaN;
            }

            offset = sign * ((oh * 60) + om);
        }

        if (month < 1 || month > 12 || day < 1 || day > 31 || minute > 59 || second > 59 || hour > 24 ||
            (hour == 24 && (minute > 0 || second > 0 || millis > 0)))
        {
            return double.NaN;
        }

        var days = DaysFromCivil(year, month, 1) + day - 1;
        var time = (days * MsPerDay) + (hour * 3600000.0) + (minute * 60000.0) + (second * 1000.0) + millis - (offset * 60000.0);
        return Math.Abs(time) > MaxTime ? double.NaN : time;
    }
}
