using System.Text;

namespace Jsonata.Functions.Pictures;

internal enum NumberingKind
{
    Decimal,
    Letters,
    Roman,
    Words,
    Unsupported,
}

internal enum LetterCase
{
    Lower,
    Upper,
    Title,
}

/// <summary>A grouping separator of a decimal digit pattern: <c>Position</c> digits stand to its right.</summary>
internal readonly record struct GroupingSeparator(int Position, string Text);

/// <summary>
/// The analysed form of a format-integer picture (F&amp;O 3.1 section 4.6.1): the primary format token
/// and the format modifier after the last ';'. Also used for the integer-valued date/time markers,
/// which adjust <see cref="MandatoryDigits"/> and <see cref="ParseWidth"/> after analysis.
/// </summary>
internal sealed class IntegerPicture
{
    public NumberingKind Kind { get; private set; } = NumberingKind.Decimal;
    public LetterCase Case { get; private set; } = LetterCase.Lower;
    public bool Ordinal { get; private set; }

    /// <summary>The primary token, reported when the numbering sequence is not supported.</summary>
    public string Token { get; private set; } = "";

    /// <summary>Code point of the zero of the digit family used by the pattern.</summary>
    public int ZeroCode { get; private set; } = '0';
    public int MandatoryDigits { get; set; }
    public int OptionalDigits { get; private set; }

    /// <summary>Separators ordered from the rightmost (smallest position) to the leftmost.</summary>
    public IReadOnlyList<GroupingSeparator> Separators { get; private set; } = [];

    /// <summary>The interval of regular grouping, or 0 when the separators are irregular or absent.</summary>
    public int RegularInterval { get; private set; }

    /// <summary>When parsing a date whose markers abut, the exact number of digits to read; otherwise null.</summary>
    public int? ParseWidth { get; set; }

    public bool IsDecimal => Kind == NumberingKind.Decimal;

    public static IntegerPicture Analyse(string picture)
    {
        var result = new IntegerPicture();
        string primary = picture;
        int semicolon = picture.LastIndexOf(';');
        if (semicolon >= 0)
        {
            primary = picture[..semicolon];
            string modifier = picture[(semicolon + 1)..];
            // Only the leading 'o' matters: 'c' (cardinal) is the default and the bracketed
            // language variants of the spec have no effect for English.
            result.Ordinal = modifier.StartsWith('o');
        }
        switch (primary)
        {
            case "A": result.Kind = NumberingKind.Letters; result.Case = LetterCase.Upper; break;
            case "a": result.Kind = NumberingKind.Letters; break;
            case "I": result.Kind = NumberingKind.Roman; result.Case = LetterCase.Upper; break;
            case "i": result.Kind = NumberingKind.Roman; break;
            case "W": result.Kind = NumberingKind.Words; result.Case = LetterCase.Upper; break;
            case "Ww": result.Kind = NumberingKind.Words; result.Case = LetterCase.Title; break;
            case "w": result.Kind = NumberingKind.Words; break;
            default: result.AnalyseDigitPattern(primary); break;
        }
        return result;
    }

    private void AnalyseDigitPattern(string primary)
    {
        // Walk from the right so that each separator's position is simply the count of digit
        // signs seen so far.
        var runes = primary.EnumerateRunes().ToArray();
        var separators = new List<GroupingSeparator>();
        int? zero = null;
        int digitsSeen = 0;
        for (int i = runes.Length - 1; i >= 0; i--)
        {
            Rune rune = runes[i];
            int? family = DigitFamily.ZeroOf(rune);
            if (family is int z)
            {
                if (zero is int existing && existing != z)
                {
                    throw PictureErrors.MixedDigitFamilies();
                }
                zero = z;
                MandatoryDigits++;
                digitsSeen++;
            }
            else if (rune.Value == '#')
            {
                OptionalDigits++;
                digitsSeen++;
            }
            else
            {
                separators.Add(new GroupingSeparator(digitsSeen, rune.ToString()));
            }
        }
        if (MandatoryDigits == 0)
        {
            // Any other token asks for a numbering sequence (e.g. Greek letters), which the
            // spec leaves to the implementation; none beyond the above is offered.
            Kind = NumberingKind.Unsupported;
            Token = primary;
            return;
        }
        Kind = NumberingKind.Decimal;
        ZeroCode = zero!.Value;
        Separators = separators;
        RegularInterval = RegularIntervalOf(separators);
    }

    /// <summary>
    /// Grouping is regular when one character is used throughout and the separators sit at exactly
    /// the first k multiples of their greatest common divisor.
    /// </summary>
    internal static int RegularIntervalOf(IReadOnlyList<GroupingSeparator> separators)
    {
        if (separators.Count == 0)
        {
            return 0;
        }
        string text = separators[0].Text;
        int gcd = 0;
        foreach (var separator in separators)
        {
            if (separator.Text != text)
            {
                return 0;
            }
            gcd = Gcd(gcd, separator.Position);
        }
        return IsRegular(separators.Select(s => s.Position).ToList(), gcd) ? gcd : 0;
    }

    internal static bool IsRegular(IReadOnlyList<int> positions, int interval)
    {
        if (interval <= 0)
        {
            return false;
        }
        for (int multiple = 1; multiple <= positions.Count; multiple++)
        {
            if (!positions.Contains(multiple * interval))
            {
                return false;
            }
        }
        return true;
    }

    internal static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
}
