using System.Globalization;
using System.Text;

namespace Jsonata.Functions.Pictures;

/// <summary>
/// Unicode decimal digit families (general category Nd), which always come as ten consecutive
/// code points from zero to nine. The Unicode tables ship with the runtime, so this works under
/// invariant globalization.
/// </summary>
internal static class DigitFamily
{
    /// <summary>The code point of the zero of the family <paramref name="rune"/> belongs to, or null.</summary>
    public static int? ZeroOf(Rune rune)
    {
        if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.DecimalDigitNumber)
        {
            return null;
        }
        int value = (int)Rune.GetNumericValue(rune);
        return value is >= 0 and <= 9 ? rune.Value - value : null;
    }

    /// <summary>Rewrites the ASCII digits of <paramref name="text"/> in the family starting at <paramref name="zero"/>.</summary>
    public static string FromAscii(string text, int zero)
    {
        if (zero == '0')
        {
            return text;
        }
        var sb = new StringBuilder(text.Length * 2);
        foreach (char c in text)
        {
            if (c is >= '0' and <= '9')
            {
                sb.Append(new Rune(zero + (c - '0')).ToString());
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    /// <summary>Rewrites every decimal digit of any family in <paramref name="text"/> as ASCII.</summary>
    public static string ToAscii(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (Rune rune in text.EnumerateRunes())
        {
            if (rune.Value > 0x7F && ZeroOf(rune) is int zero)
            {
                sb.Append((char)('0' + rune.Value - zero));
            }
            else
            {
                sb.Append(rune.ToString());
            }
        }
        return sb.ToString();
    }
}
