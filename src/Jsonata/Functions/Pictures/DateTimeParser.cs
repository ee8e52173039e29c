using System.Text;
using System.Text.RegularExpressions;

namespace Jsonata.Functions.Pictures;

/// <summary>
/// The inverse of format-dateTime for $toMillis with a picture: the picture becomes a regular
/// expression with one group per part, and the captured components are combined into an instant.
/// </summary>
internal static class DateTimeParser
{
    /// <summary>Reads one captured component; null when the text is not a valid value.</summary>
    private delegate double? ComponentReader(string text);

    public static double? Parse(string timestamp, string picture, double nowMillis)
    {
        var spec = DateTimePicture.Analyse(picture);
        var pattern = new StringBuilder("^");
        var readers = new List<(char Component, ComponentReader Read)>();
        foreach (object part in spec.Parts)
        {
            if (part is DateMarker marker)
            {
                var (regex, reader) = Matcher(marker);
                pattern.Append('(').Append(regex).Append(')');
                readers.Add((marker.Component, reader));
            }
            else
            {
                pattern.Append('(').Append(Regex.Escape((string)part)).Append(')');
                readers.Add(('\0', _ => null));
            }
        }
        pattern.Append('$');
        var match = Regex.Match(timestamp, pattern.ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        if (!match.Success)
        {
            return null;
        }
        var components = new Dictionary<char, double>();
        for (int i = 0; i < readers.Count; i++)
        {
            var (component, read) = readers[i];
            if (component == '\0')
            {
                continue;
            }
            if (read(match.Groups[i + 1].Value) is not double value)
            {
                // Letters that are no month, day or am/pm name: the text does not fit the picture.
                return null;
            }
            components[component] = value;
        }
        if (components.Count == 0)
        {
            return null;
        }
        return DateAssembler.Assemble(components, nowMillis);
    }

    private static (string Regex, ComponentReader Read) Matcher(DateMarker marker)
    {
        switch (marker.Component)
        {
            case 'Z':
            case 'z':
                return TimezoneMatcher(marker);
            case 'f':
                if (marker.Integer is null)
                {
                    break;
                }
                // Fractional seconds: the first three digits are milliseconds, the rest is dropped.
                return ("[0-9]+", text => double.Parse(text.PadRight(3, '0')[..3], System.Globalization.CultureInfo.InvariantCulture));
        }
        if (marker.Integer is { } integer)
        {
            return IntegerMatcher(integer);
        }
        return NameMatcher(marker);
    }

    private static (string, ComponentReader) TimezoneMatcher(DateMarker marker)
    {
        var integer = marker.Integer!;
        string? separator = integer.RegularInterval > 0 ? integer.Separators[0].Text : null;
        string prefix = marker.Component == 'z' ? "GMT" : "";
        string regex = Regex.Escape(prefix) + "[-+][0-9]+" + (separator is null ? "" : Regex.Escape(separator) + "[0-9]+");
        if (marker.Modifier == 't')
        {
            // The 't' modifier writes a zero offset as "Z", so read it back too.
            regex = "(?:" + regex + "|Z)";
        }
        return (regex, text =>
        {
            if (text is "Z" or "z")
            {
                return 0;
            }
            string value = text[prefix.Length..];
            int sign = value[0] == '-' ? -1 : 1;
            string digits = value[1..];
            double hours, minutes = 0;
            if (separator is not null)
            {
                int at = digits.IndexOf(separator, StringComparison.Ordinal);
                hours = JsNumber.ParseInt(digits[..at]);
                minutes = JsNumber.ParseInt(digits[(at + separator.Length)..]);
            }
            else if (digits.Length <= 2)
            {
                hours = JsNumber.ParseInt(digits);
            }
            else
            {
                // Without a separator the last two of three or more digits are the minutes.
                hours = JsNumber.ParseInt(digits[..^2]);
                minutes = JsNumber.ParseInt(digits[^2..]);
            }
            return sign * (hours * 60 + minutes);
        });
    }

    private static (string, ComponentReader) IntegerMatcher(IntegerPicture integer)
    {
        switch (integer.Kind)
        {
            case NumberingKind.Letters:
                char first = integer.Case == LetterCase.Upper ? 'A' : 'a';
                return ("[a-z]+", text => Numerals.FromLetters(first == 'A' ? text.ToUpperInvariant() : text.ToLowerInvariant(), first));
            case NumberingKind.Roman:
                return ("[mdclxvi]+", text => Numerals.FromRoman(text.ToUpperInvariant()));
            case NumberingKind.Words:
                return (WordsPattern, text => EnglishWords.FromWords(text.ToLowerInvariant()));
            case NumberingKind.Decimal:
                string regex = "[0-9]" + (integer.ParseWidth is int width ? "{" + width + "}" : "+")
                    + (integer.Ordinal ? "(?:th|st|nd|rd)" : "");
                return (regex, text => IntegerParser.Parse(text, integer));
            default:
                throw PictureErrors.UnsupportedSequence(integer.Token);
        }
    }

    private static (string, ComponentReader) NameMatcher(DateMarker marker)
    {
        var names = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        switch (marker.Component)
        {
            case 'M':
            case 'x':
                for (int i = 0; i < CalendarNames.Months.Length; i++)
                {
                    names[Abbreviate(CalendarNames.Months[i], marker.MaxWidth)] = i + 1;
                }
                break;
            case 'F':
                for (int i = 1; i < CalendarNames.Weekdays.Length; i++)
                {
                    names[Abbreviate(CalendarNames.Weekdays[i], marker.MaxWidth)] = i;
                }
                break;
            case 'P':
                names["am"] = 0;
                names["pm"] = 1;
                break;
            default:
                throw PictureErrors.NameNotAllowed(marker.Component.ToString());
        }
        return ("[a-z]+", text => names.TryGetValue(text, out double value) ? value : null);
    }

    private static string Abbreviate(string name, int? maxWidth) =>
        maxWidth is int max && max > 0 && name.Length > max ? name[..max] : name;

    /// <summary>Any run of number words, with the joining "and", hyphens, commas and spaces.</summary>
    private static readonly string WordsPattern =
        "(?:" + string.Join("|", EnglishWords.WordValues.Keys.OrderByDescending(w => w.Length).Append("and").Append(@"[\-, ]")) + ")+";
}
