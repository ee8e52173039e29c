namespace Jsonata.Functions.Pictures;

/// <summary>
/// The calendar and clock fields of an instant (in UTC, after any timezone shift), and the
/// numeric value of each date/time picture component.
/// </summary>
internal readonly struct DateFields
{
    private readonly long _day;
    private readonly int _msOfDay;

    public bool IsValid { get; }
    public long Year { get; }
    public int Month { get; }
    public int Day { get; }

    private DateFields(double time)
    {
        IsValid = !double.IsNaN(time);
        if (!IsValid)
        {
            return;
        }
        _day = JsDate.DayOf(time);
        _msOfDay = (int)(time - _day * JsDate.MsPerDay);
        (Year, Month, Day) = JsDate.CivilFromDays(_day);
    }

    /// <summary>Fields of a time in epoch milliseconds, clipped as a JavaScript Date would.</summary>
    public static DateFields FromMillis(double millis) => new(JsDate.TimeClip(millis));

    public int Hour => _msOfDay / 3_600_000;
    public int Minute => _msOfDay / 60_000 % 60;
    public int Second => _msOfDay / 1000 % 60;
    public int Millisecond => _msOfDay % 1000;
    public bool IsPm => Hour >= 12;

    /// <summary>The value of an integer-valued component; NaN for an invalid date, as in the reference.</summary>
    public double Component(char component)
    {
        if (!IsValid)
        {
            return double.NaN;
        }
        return component switch
        {
            'Y' => Year,
            'M' => Month,
            'D' => Day,
            'd' => _day - JsDate.DaysFromCivil(Year, 1, 1) + 1,
            'F' => JsDate.IsoWeekday(_day),
            'W' => WeekOfYear(),
            'w' => WeekOfMonth(),
            'X' => WeekBasedYear(),
            'x' => WeekBasedMonth(),
            'H' => Hour,
            'h' => Hour % 12 == 0 ? 12 : Hour % 12,
            'P' => IsPm ? 1 : 0,
            'm' => Minute,
            's' => Second,
            'f' => Millisecond,
            _ => double.NaN,
        };
    }

    /// <summary>
    /// Day number of the Monday starting week 1 of a month (month 1 gives the ISO year's first
    /// week): the week holding the month's first Thursday. F&amp;O applies the ISO 8601 rule for
    /// years to months as well.
    /// </summary>
    private static long StartOfFirstWeek(long year, int month)
    {
        if (month == 0)
        {
            year--;
            month = 12;
        }
        else if (month == 13)
        {
            year++;
            month = 1;
        }
        long first = JsDate.DaysFromCivil(year, month, 1);
        int weekday = JsDate.IsoWeekday(first);
        return weekday > 4 ? first + (8 - weekday) : first - (weekday - 1);
    }

    private long WeekOfYear()
    {
        long start = StartOfFirstWeek(Year, 1);
        if (_day < start)
        {
            // Early January days can belong to the last week of the previous ISO year.
            start = StartOfFirstWeek(Year - 1, 1);
        }
        else if (_day >= StartOfFirstWeek(Year + 1, 1))
        {
            return 1;
        }
        return (_day - start) / 7 + 1;
    }

    private long WeekOfMonth()
    {
        long start = StartOfFirstWeek(Year, Month);
        if (_day < start)
        {
            start = StartOfFirstWeek(Year, Month - 1);
        }
        else if (_day >= StartOfFirstWeek(Year, Month + 1))
        {
            return 1;
        }
        return (_day - start) / 7 + 1;
    }

    private long WeekBasedYear()
    {
        if (_day < StartOfFirstWeek(Year, 1))
        {
            return Year - 1;
        }
        return _day >= StartOfFirstWeek(Year + 1, 1) ? Year + 1 : Year;
    }

    private int WeekBasedMonth()
    {
        if (_day < StartOfFirstWeek(Year, Month))
        {
            return Month == 1 ? 12 : Month - 1;
        }
        return _day >= StartOfFirstWeek(Year, Month + 1) ? (Month == 12 ? 1 : Month + 1) : Month;
    }
}
