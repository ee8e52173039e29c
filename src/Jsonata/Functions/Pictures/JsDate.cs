namespace Jsonata.Functions.Pictures;

/// <summary>
/// Proleptic Gregorian calendar arithmetic on epoch milliseconds with JavaScript Date semantics:
/// times are whole milliseconds, the valid range is +/-8.64e15 ms (beyond it a time is NaN),
/// and out-of-range fields overflow into the next larger field, as Date.UTC does.
/// System.DateTime is not used because it stops at the years 1 and 9999.
/// </summary>
internal static class JsDate
{
    public const double MsPerDay = 86_400_000;
    private const double MaxTime = 8.64e15;

    /// <summary>Days since 1970-01-01 of the given civil date (month 1-12, day 1-31).</summary>
    public static long DaysFromCivil(long year, int month, int day)
    {
        // Shift the year to start in March so the leap day is the last day of the year.
        long y = month <= 2 ? year - 1 : year;
        long era = (y >= 0 ? y : y - 399) / 400;
        long yearOfEra = y - era * 400;
        int shiftedMonth = month > 2 ? month - 3 : month + 9;
        long dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097 + dayOfEra - 719_468;
    }

    /// <summary>The civil date of a day number counted from 1970-01-01.</summary>
    public static (long Year, int Month, int Day) CivilFromDays(long days)
    {
        long z = days + 719_468;
        long era = (z >= 0 ? z : z - 146_096) / 146_097;
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long shiftedMonth = (5 * dayOfYear + 2) / 153;
        int day = (int)(dayOfYear - (153 * shiftedMonth + 2) / 5 + 1);
        int month = (int)(shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        return (year, month, day);
    }

    /// <summary>ISO day of the week, Monday = 1 to Sunday = 7, of a day number.</summary>
    public static int IsoWeekday(long days)
    {
        // 1970-01-01 was a Thursday.
        long weekday = ((days + 3) % 7 + 7) % 7;
        return (int)weekday + 1;
    }

    /// <summary>JavaScript's TimeClip: NaN outside the valid range, else truncated to whole milliseconds.</summary>
    public static double TimeClip(double time) =>
        double.IsFinite(time) && Math.Abs(time) <= MaxTime ? Math.Truncate(time) + 0.0 : double.NaN;

    /// <summary>
    /// Date.UTC(year, month0, day, hours, minutes, seconds, ms) including its rule that a year
    /// from 0 to 99 means 1900 to 1999. Fields may overflow; any NaN field gives NaN.
    /// </summary>
    public static double Utc(double year, double month0, double day = 1, double hours = 0, double minutes = 0, double seconds = 0, double ms = 0)
    {
        double y = Math.Truncate(year);
        if (y is >= 0 and <= 99)
        {
            y += 1900;
        }
        return MakeTime(y, month0, day, hours, minutes, seconds, ms);
    }

    /// <summary>As <see cref="Utc"/> but taking the year literally.</summary>
    public static double MakeTime(double year, double month0, double day, double hours, double minutes, double seconds, double ms)
    {
        double[] fields = [year, month0, day, hours, minutes, seconds, ms];
        foreach (double field in fields)
        {
            if (!double.IsFinite(field))
            {
                return double.NaN;
            }
        }
        double y = Math.Truncate(year) + Math.Floor(Math.Truncate(month0) / 12);
        double m = ((Math.Truncate(month0) % 12) + 12) % 12;
        if (Math.Abs(y) > 400_000)
        {
            return double.NaN;
        }
        double days = DaysFromCivil((long)y, (int)m + 1, 1) + Math.Truncate(day) - 1;
        double time = Math.Truncate(hours) * 3_600_000 + Math.Truncate(minutes) * 60_000
            + Math.Truncate(seconds) * 1000 + Math.Truncate(ms);
        return TimeClip(days * MsPerDay + time);
    }

    /// <summary>Day number (days since the epoch) of a valid time.</summary>
    public static long DayOf(double time) => (long)Math.Floor(time / MsPerDay);
}
