using System.Text;

namespace Jsonata.Functions.Pictures;

/// <summary>Formats an integer with an analysed picture (F&amp;O 3.1 section 4.6.1, format-integer).</summary>
internal static class IntegerFormatter
{
    public static string Format(double value, IntegerPicture picture)
    {
        if (picture.Kind == NumberingKind.Unsupported)
        {
            throw PictureErrors.UnsupportedSequence(picture.Token);
        }
        bool negative = value < 0;
        double magnitude = Math.Abs(value);
        string text;
        if (!double.IsFinite(magnitude))
        {
            // Not reachable from expressions (they cannot produce NaN or infinity), but an
            // invalid date yields NaN components; the reference prints them through the
            // decimal path, padding included.
            text = picture.IsDecimal ? FormatDecimal(magnitude, picture) : Json.NumberFormatter.ToJsString(magnitude);
        }
        else
        {
            text = picture.Kind switch
            {
                NumberingKind.Letters => Numerals.ToLetters(magnitude, picture.Case == LetterCase.Upper ? 'A' : 'a'),
                NumberingKind.Roman => ApplyCase(Numerals.ToRoman(magnitude), picture.Case == LetterCase.Upper ? LetterCase.Upper : LetterCase.Lower),
                NumberingKind.Words => ApplyCase(EnglishWords.ToWords(magnitude, picture.Ordinal), picture.Case),
                _ => FormatDecimal(magnitude, picture),
            };
        }
        return negative ? "-" + text : text;
    }

    private static string ApplyCase(string text, LetterCase letterCase) => letterCase switch
    {
        LetterCase.Upper => text.ToUpperInvariant(),
        LetterCase.Lower => text.ToLowerInvariant(),
        _ => text,
    };

    private static string FormatDecimal(double magnitude, IntegerPicture picture)
    {
        // The digits come from the JavaScript rendering of the number, so 1e21 and above keep
        // their exponent form exactly as the reference shows them.
        string digits = Json.NumberFormatter.ToJsString(magnitude);
        if (digits.Length < picture.MandatoryDigits)
        {
            digits = new string('0', picture.MandatoryDigits - digits.Length) + digits;
        }
        // Work on a list of text elements so that digits outside the BMP count as one digit.
        var units = new List<string>(digits.Length + 4);
        foreach (char c in digits)
        {
            units.Add(c is >= '0' and <= '9' ? new Rune(picture.ZeroCode + (c - '0')).ToString() : c.ToString());
        }
        InsertSeparators(units, picture);
        string text = string.Concat(units);
        return picture.Ordinal ? text + OrdinalSuffix(text) : text;
    }

    private static void InsertSeparators(List<string> units, IntegerPicture picture)
    {
        int count = units.Count;
        if (picture.RegularInterval > 0)
        {
            // Repeat the separator every interval digits across the whole number, however
            // many the picture showed.
            string separator = picture.Separators[0].Text;
            // Rightmost first: an insertion only shifts what lies to its right.
            for (int position = picture.RegularInterval; position < count; position += picture.RegularInterval)
            {
                units.Insert(count - position, separator);
            }
            return;
        }
        // Irregular separators go where the picture put them, rightmost first as above; one with
        // no digit to its left is dropped (the reference would emit a stray leading separator).
        foreach (var separator in picture.Separators)
        {
            if (separator.Position < count)
            {
                units.Insert(count - separator.Position, separator.Text);
            }
        }
    }

    /// <summary>English suffix chosen from the last two characters of the formatted digits, as the
    /// reference does (so only ASCII digits get 'st', 'nd' or 'rd').</summary>
    internal static string OrdinalSuffix(string formatted)
    {
        char last = formatted[^1];
        bool teen = formatted.Length > 1 && formatted[^2] == '1';
        if (teen)
        {
            return "th";
        }
        return last switch
        {
            '1' => "st",
            '2' => "nd",
            '3' => "rd",
            _ => "th",
        };
    }
}
