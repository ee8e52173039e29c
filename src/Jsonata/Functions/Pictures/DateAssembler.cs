namespace Jsonata.Functions.Pictures;

/// <summary>
/// Turns the components read from a timestamp into epoch milliseconds. The date must come from
/// one of the combinations {Y, M, D}, {Y, d}, {X, x, w, F} or {X, W, F}, the time from {H, m, s, f}
/// or {P, h, m, s, f}. Within the chosen combination, components more significant than the first
/// one given are taken from the current time, less significant ones missing after it default to
/// their minimum, and a gap between given components is an error (D3136).
/// </summary>
internal static class DateAssembler
{
    private const string DateLetters = "YXMxWwdD";
    private const string TimeLetters = "PHhmsf";

    public static double Assemble(Dictionary<char, double> components, double nowMillis)
    {
        // A component counts towards choosing the combination only when it is non-zero, which
        // is how the reference decides (an hour of 0 or "am" does not steer the choice).
        bool Counts(char c) => components.TryGetValue(c, out double v) && v != 0 && !double.IsNaN(v);
        bool Fits(string letters, string allowed) =>
            letters.Where(Counts).All(allowed.Contains) && allowed.Any(Counts);

        bool dateYmd = Fits(DateLetters, "YMD");
        bool dateYd = !dateYmd && Fits(DateLetters, "Yd");
        bool dateMonthWeek = Fits(DateLetters, "Xxw");
        bool dateYearWeek = !dateMonthWeek && Fits(DateLetters, "XW");
        bool time12 = !Fits(TimeLetters, "Hmsf") && Fits(TimeLetters, "Phmsf");

        string order = (dateYd ? "Yd" : dateMonthWeek ? "XxwF" : dateYearWeek ? "XWF" : "YMD")
            + (time12 ? "Phmsf" : "Hmsf");

        var now = DateFields.FromMillis(nowMillis);
        bool started = false, ended = false;
        foreach (char c in order)
        {
            if (components.ContainsKey(c))
            {
                if (ended)
                {
                    throw PictureErrors.MissingComponents();
                }
                started = true;
            }
            else if (started)
            {
                components[c] = c is 'M' or 'D' or 'd' ? 1 : 0;
                ended = true;
            }
            else
            {
                // Before the first given component: take it from now. The am/pm marker of now is
                // not carried over, so a bare 12-hour time reads as morning, as in the reference.
                components[c] = c == 'P' ? 0 : now.Component(c);
            }
        }

        if (dateMonthWeek || dateYearWeek)
        {
            // Week-based dates are not supported for parsing (nor by the reference).
            throw PictureErrors.MissingComponents();
        }

        double year = components['Y'];
        double month0 = components.TryGetValue('M', out double m) && m > 0 ? m - 1 : 0;
        double day = components.GetValueOrDefault('D', 1);
        if (dateYd)
        {
            double derived = JsDate.Utc(year, 0) + (components['d'] - 1) * JsDate.MsPerDay;
            var fields = DateFields.FromMillis(derived);
            month0 = fields.IsValid ? fields.Month - 1 : double.NaN;
            day = fields.IsValid ? fields.Day : double.NaN;
        }

        double hour;
        if (time12)
        {
            double h = components['h'];
            hour = (h == 12 ? 0 : h) + (components['P'] == 1 ? 12 : 0);
        }
        else
        {
            hour = components['H'];
        }

        double millis = JsDate.Utc(year, month0, day, hour, components['m'], components['s'], components['f']);
        double offset = components.GetValueOrDefault('Z', 0);
        if (offset == 0 || double.IsNaN(offset))
        {
            offset = components.GetValueOrDefault('z', 0);
        }
        if (offset != 0 && !double.IsNaN(offset))
        {
            millis -= offset * 60_000;
        }
        return millis;
    }
}
