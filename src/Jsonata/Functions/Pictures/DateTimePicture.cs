using System.Text;

namespace Jsonata.Functions.Pictures;

/// <summary>One variable marker of a date/time picture, such as [D1o] or [MNn,3-3].</summary>
internal sealed class DateMarker
{
    public char Component { get; init; }
    public string Presentation { get; init; } = "";

    /// <summary>The second presentation modifier: 'o' ordinal, 'c' cardinal, 't' traditional, 'a' alphabetic.</summary>
    public char? Modifier { get; init; }
    public LetterCase? Names { get; init; }
    public int? MinWidth { get; init; }
    public int? MaxWidth { get; init; }
    public IntegerPicture? Integer { get; init; }

    /// <summary>For the year: how many trailing digits to keep, or -1 for all.</summary>
    public int YearDigits { get; init; } = -1;
}

/// <summary>
/// A date/time picture (F&amp;O 3.1 section 9.8.4.1) as a sequence of literal strings and markers.
/// Doubled brackets are literal brackets and whitespace inside a marker is ignored.
/// </summary>
internal sealed class DateTimePicture
{
    /// <summary>The presentation each component gets when the marker gives none.</summary>
    private static readonly Dictionary<char, string> DefaultPresentation = new()
    {
        ['Y'] = "1", ['M'] = "1", ['D'] = "1", ['d'] = "1", ['F'] = "n", ['W'] = "1", ['w'] = "1",
        ['X'] = "1", ['x'] = "1", ['H'] = "1", ['h'] = "1", ['P'] = "n", ['m'] = "01", ['s'] = "01",
        ['f'] = "1", ['Z'] = "01:01", ['z'] = "01:01", ['C'] = "n", ['E'] = "n",
    };

    /// <summary>Components whose value is an integer, formatted through an integer picture.</summary>
    internal const string IntegerComponents = "YMDdFWwXxHhmsf";

    public static readonly DateTimePicture Iso8601 = Analyse("[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]");

    /// <summary>Each part is either a literal string or a <see cref="DateMarker"/>.</summary>
    public IReadOnlyList<object> Parts { get; }

    private DateTimePicture(List<object> parts) => Parts = parts;

    public static DateTimePicture Analyse(string picture)
    {
        var parts = new List<object>();
        var literal = new StringBuilder();
        int i = 0;
        while (i < picture.Length)
        {
            char c = picture[i];
            bool doubled = i + 1 < picture.Length && picture[i + 1] == c;
            if ((c == '[' || c == ']') && doubled)
            {
                literal.Append(c);
                i += 2;
            }
            else if (c == '[')
            {
                int close = picture.IndexOf(']', i);
                if (close < 0)
                {
                    throw PictureErrors.UnclosedMarker();
                }
                if (literal.Length > 0)
                {
                    parts.Add(literal.ToString());
                    literal.Clear();
                }
                string marker = string.Concat(picture[(i + 1)..close].Where(ch => !char.IsWhiteSpace(ch)));
                var analysed = AnalyseMarker(marker);
                // Two numbers with nothing between them can only be told apart when parsing
                // if the first has a fixed width: its mandatory digit count.
                if (analysed.Integer is not null && IntegerComponents.Contains(analysed.Component)
                    && parts.Count > 0 && parts[^1] is DateMarker { Integer: { } previous })
                {
                    previous.ParseWidth = previous.MandatoryDigits;
                }
                parts.Add(analysed);
                i = close + 1;
            }
            else
            {
                literal.Append(c);
                i++;
            }
        }
        if (literal.Length > 0)
        {
            parts.Add(literal.ToString());
        }
        return new DateTimePicture(parts);
    }

    private static DateMarker AnalyseMarker(string marker)
    {
        string componentText = marker.Length > 0 ? marker[..1] : "";
        char component = marker.Length > 0 ? marker[0] : '\0';
        if (!DefaultPresentation.TryGetValue(component, out string? defaultPresentation))
        {
            throw PictureErrors.UnknownComponent(componentText);
        }
        // The width modifier follows the last comma: ",min" or ",min-max", '*' meaning unbounded.
        string modifiers = marker.Length > 0 ? marker[1..] : "";
        int? minWidth = null, maxWidth = null;
        int comma = modifiers.LastIndexOf(',');
        if (comma >= 0)
        {
            string width = modifiers[(comma + 1)..];
            int dash = width.IndexOf('-');
            minWidth = ParseWidth(dash < 0 ? width : width[..dash]);
            maxWidth = dash < 0 ? null : ParseWidth(width[(dash + 1)..]);
            modifiers = modifiers[..comma];
        }

        string presentation = modifiers.Length == 0 ? defaultPresentation : modifiers;
        char? second = null;
        if (modifiers.Length > 1 && "atco".Contains(modifiers[^1]))
        {
            second = modifiers[^1];
            presentation = modifiers[..^1];
        }

        LetterCase? names = null;
        IntegerPicture? integer = null;
        int yearDigits = -1;
        if (presentation[0] == 'n')
        {
            names = LetterCase.Lower;
        }
        else if (presentation[0] == 'N')
        {
            names = presentation.Length > 1 && presentation[1] == 'n' ? LetterCase.Title : LetterCase.Upper;
        }
        else if (IntegerComponents.Contains(component))
        {
            integer = IntegerPicture.Analyse(second is char s ? presentation + ";" + s : presentation);
            if (integer.IsDecimal && minWidth is int min && integer.MandatoryDigits < min)
            {
                integer.MandatoryDigits = min;
            }
            if (component == 'Y')
            {
                // F&O 9.8.4.4: a two-digit picture or a maximum width truncates the year.
                if (maxWidth is int max)
                {
                    yearDigits = max;
                    integer.MandatoryDigits = max;
                }
                else if (integer.IsDecimal && integer.MandatoryDigits + integer.OptionalDigits >= 2)
                {
                    yearDigits = integer.MandatoryDigits + integer.OptionalDigits;
                }
            }
        }
        if (component is 'Z' or 'z')
        {
            integer = IntegerPicture.Analyse(presentation);
        }
        return new DateMarker
        {
            Component = component,
            Presentation = presentation,
            Modifier = second,
            Names = names,
            MinWidth = minWidth,
            MaxWidth = maxWidth,
            Integer = integer,
            YearDigits = yearDigits,
        };
    }

    private static int? ParseWidth(string text)
    {
        if (text == "*")
        {
            return null;
        }
        double value = JsNumber.ParseInt(text);
        return double.IsNaN(value) || value > int.MaxValue ? null : (int)value;
    }
}
