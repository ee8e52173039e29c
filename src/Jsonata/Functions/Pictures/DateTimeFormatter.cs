using System.Text;

namespace Jsonata.Functions.Pictures;

/// <summary>format-dateTime (F&amp;O 3.1 section 9.8) for epoch milliseconds, as $fromMillis uses it.</summary>
internal static class DateTimeFormatter
{
    /// <summary>Formats; with a <paramref name="limit"/> (characters, 0 for none) the widths the picture asks for are checked first.</summary>
    public static string Format(double millis, string? picture, string? timezone, long limit = 0)
    {
        var spec = picture is null ? DateTimePicture.Iso8601 : DateTimePicture.Analyse(picture);
        if (limit > 0 && LongestResult(spec) > limit)
        {
            throw Errors.Limits.ResultTooLarge("the string $fromMillis builds for its picture", LongestResult(spec), limit);
        }

        var (offsetHours, offsetMinutes) = ParseOffset(timezone);
        double offsetMillis = (60 * offsetHours + offsetMinutes) * 60_000;
        var date = DateFields.FromMillis(millis + offsetMillis);

        var result = new StringBuilder();
        foreach (object part in spec.Parts)
        {
            if (part is DateMarker marker)
            {
                result.Append(FormatMarker(date, marker, offsetHours, offsetMinutes));
            }
            else
            {
                result.Append((string)part);
            }
        }
        return result.ToString();
    }

    /// <summary>
    /// An upper bound of the formatted length: the literals, and per marker the width it asks for or the longest
    /// text a component has without one (month and weekday names, ordinal words of a year stay under 256).
    /// </summary>
    private static long LongestResult(DateTimePicture spec)
    {
        long total = 0;
        foreach (object part in spec.Parts)
        {
            total += part is DateMarker marker
                ? Math.Max(marker.MinWidth ?? 0, marker.Integer?.MandatoryDigits ?? 0) + 256L
                : ((string)part).Length;
        }

        return total;
    }

    /// <summary>
    /// The timezone argument is "+hhmm" or "-hhmm" (read like JavaScript's parseInt, so text that
    /// is not a number makes every field NaN, as in the reference). The minutes take the sign of
    /// the whole offset.
    /// </summary>
    internal static (double Hours, double Minutes) ParseOffset(string? timezone)
    {
        if (timezone is null)
        {
            return (0, 0);
        }
        double offset = JsNumber.ParseInt(timezone);
        double hours = Math.Truncate(offset / 100);
        double minutes = offset % 100;
        return (hours, minutes);
    }

    private static string FormatMarker(DateFields date, DateMarker marker, double offsetHours, double offsetMinutes)
    {
        char component = marker.Component;
        switch (component)
        {
            case 'Z':
            case 'z':
                return FormatTimezone(marker, offsetHours, offsetMinutes);
            case 'P':
                // Always "am"/"pm"; only the upper-case name modifier changes it.
                string marker12 = date.IsPm ? "pm" : "am";
                return marker.Names == LetterCase.Upper ? marker12.ToUpperInvariant() : marker12;
            case 'C':
            case 'E':
                // Calendar and era: only the ISO calendar is supported.
                return "ISO";
        }

        double value = date.Component(component);
        if (marker.Names is LetterCase names)
        {
            string name = NameOf(component, value);
            name = CalendarNames.Apply(name, names);
            if (marker.MaxWidth is int max && name.Length > max)
            {
                name = name[..max];
            }
            return name;
        }
        if (component == 'Y' && marker.YearDigits >= 0)
        {
            value %= Math.Pow(10, marker.YearDigits);
        }
        return IntegerFormatter.Format(value, marker.Integer!);
    }

    private static string NameOf(char component, double value)
    {
        if (component is not ('M' or 'x' or 'F'))
        {
            throw PictureErrors.NameNotAllowed(component.ToString());
        }
        if (double.IsNaN(value))
        {
            return "NaN";
        }
        return component == 'F' ? CalendarNames.Weekdays[(int)value] : CalendarNames.Months[(int)value - 1];
    }

    /// <summary>
    /// F&amp;O 9.8.4.6: a picture with a separator (e.g. "01:01") shows hours and minutes as one
    /// grouped number; one or two digits show the hours, with ":mm" only when there are minutes;
    /// three or four digits show hhmm. A 't' modifier writes a zero offset as "Z".
    /// </summary>
    private static string FormatTimezone(DateMarker marker, double hours, double minutes)
    {
        var integer = marker.Integer!;
        double offset = hours * 100 + minutes;
        // Format the magnitude and write the sign separately, so that an offset such as -00:30
        // keeps its sign; NaN (from an unreadable timezone) gets none, as in the reference.
        double magnitude = Math.Abs(offset);
        string text;
        if (integer.RegularInterval > 0)
        {
            text = IntegerFormatter.Format(magnitude, integer);
        }
        else
        {
            int digits = integer.IsDecimal ? integer.MandatoryDigits : 0;
            switch (digits)
            {
                case 1:
                case 2:
                    text = IntegerFormatter.Format(Math.Abs(hours), integer);
                    if (minutes != 0)
                    {
                        text += ":" + IntegerFormatter.Format(Math.Abs(minutes), TwoDigits);
                    }
                    break;
                case 3:
                case 4:
                    text = IntegerFormatter.Format(magnitude, integer);
                    break;
                default:
                    throw PictureErrors.TimezoneTooManyDigits(digits);
            }
        }
        if (offset == 0 && marker.Modifier == 't')
        {
            return "Z";
        }
        string sign = offset < 0 ? "-" : offset >= 0 ? "+" : "";
        return (marker.Component == 'z' ? "GMT" : "") + sign + text;
    }

    private static readonly IntegerPicture TwoDigits = IntegerPicture.Analyse("00");
}
