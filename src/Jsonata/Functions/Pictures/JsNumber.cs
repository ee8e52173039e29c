using System.Globalization;
using System.Numerics;

namespace Jsonata.Functions.Pictures;

/// <summary>
/// The few JavaScript number conversions whose exact output the picture functions depend on.
/// The reference formats numbers through these primitives, so odd-looking results (for example
/// "1e+21" appearing inside a formatted integer) come from here and are reproduced on purpose.
/// </summary>
internal static class JsNumber
{
    /// <summary>The shortest decimal digits that round-trip to <paramref name="value"/> (positive, finite),
    /// with <c>Exponent</c> such that value = 0.DIGITS x 10^Exponent.</summary>
    public static (string Digits, int Exponent) ShortestDecimal(double value)
    {
        // .NET's "R" format yields the shortest round-trip digits, as JavaScript's Number::toString does;
        // only the layout differs, so take it apart and keep the digits and the decimal exponent.
        string text = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        int exponent = 0;
        int e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }
        int point = text.IndexOf('.');
        string digits = point < 0 ? text : string.Concat(text.AsSpan(0, point), text.AsSpan(point + 1));
        int pointPosition = (point < 0 ? text.Length : point) + exponent;
        int lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0')
        {
            lead++;
        }
        digits = digits[lead..].TrimEnd('0');
        if (digits.Length == 0)
        {
            return ("0", 1);
        }
        return (digits, pointPosition - lead);
    }

    /// <summary>JavaScript's Number.prototype.toFixed: the exact binary value rounded to
    /// <paramref name="fractionDigits"/> places, ties going up; at or above 1e21 it falls back to ToString.</summary>
    public static string ToFixed(double value, int fractionDigits)
    {
        if (!double.IsFinite(value) || Math.Abs(value) >= 1e21)
        {
            return Json.NumberFormatter.ToJsString(value);
        }
        bool negative = value < 0;
        long bits = BitConverter.DoubleToInt64Bits(Math.Abs(value));
        int biased = (int)((bits >> 52) & 0x7FF);
        long fraction = bits & 0xFFFFFFFFFFFFFL;
        BigInteger mantissa = biased == 0 ? fraction : fraction | (1L << 52);
        int binaryExponent = (biased == 0 ? 1 : biased) - 1075;
        BigInteger scaled = mantissa * BigInteger.Pow(10, fractionDigits);
        BigInteger n;
        if (binaryExponent >= 0)
        {
            n = scaled << binaryExponent;
        }
        else
        {
            BigInteger denominator = BigInteger.One << -binaryExponent;
            n = BigInteger.DivRem(scaled, denominator, out BigInteger remainder);
            if (remainder * 2 >= denominator)
            {
                n += 1;
            }
        }
        string digits = n.ToString(CultureInfo.InvariantCulture);
        if (fractionDigits > 0)
        {
            digits = digits.PadLeft(fractionDigits + 1, '0');
            digits = digits.Insert(digits.Length - fractionDigits, ".");
        }
        return negative ? "-" + digits : digits;
    }

    /// <summary>JavaScript's Math.round: nearest integer, ties towards positive infinity.</summary>
    public static double MathRound(double value)
    {
        if (!double.IsFinite(value))
        {
            return value;
        }
        double floor = Math.Floor(value);
        return value - floor >= 0.5 ? floor + 1 : floor;
    }

    /// <summary>
    /// The reference's $round: the decimal point is shifted through the number's shortest decimal text
    /// (not by multiplying, which would add binary noise), then ties are rounded to even.
    /// </summary>
    public static double RoundHalfEven(double value, int precision)
    {
        double shifted = precision != 0 ? ShiftDecimal(value, precision) : value;
        double result = MathRound(shifted);
        if (Math.Abs(result - shifted) == 0.5 && Math.Abs(result % 2) == 1)
        {
            result -= 1;
        }
        if (precision != 0)
        {
            result = ShiftDecimal(result, -precision);
        }
        return result == 0 ? 0 : result;
    }

    private static double ShiftDecimal(double value, int places)
    {
        if (!double.IsFinite(value))
        {
            // JavaScript reads "Infinitye2" back as NaN.
            return double.NaN;
        }
        if (value == 0)
        {
            return value;
        }
        var (digits, n) = ShortestDecimal(value);
        int exponent = n - digits.Length + places;
        string text = (value < 0 ? "-" : "") + digits + "e" + exponent.ToString(CultureInfo.InvariantCulture);
        return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>JavaScript's parseInt(text, 10): optional whitespace and sign, then the longest run
    /// of ASCII digits; NaN when there is none.</summary>
    public static double ParseInt(string text)
    {
        int i = 0;
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }
        bool negative = false;
        if (i < text.Length && (text[i] == '+' || text[i] == '-'))
        {
            negative = text[i] == '-';
            i++;
        }
        int start = i;
        while (i < text.Length && text[i] >= '0' && text[i] <= '9')
        {
            i++;
        }
        if (i == start)
        {
            return double.NaN;
        }
        double result = double.Parse(text.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture);
        return negative ? -result : result;
    }
}
