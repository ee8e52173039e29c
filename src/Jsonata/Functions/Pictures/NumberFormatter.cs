using System.Text;

namespace Jsonata.Functions.Pictures;

/// <summary>
/// format-number (F&amp;O 3.1 section 4.7.5) with the reference's arithmetic: rounding is half-to-even
/// on the decimal text of the number, and digits come from JavaScript's toFixed.
/// </summary>
internal static class NumberFormatter
{
    public static string Format(double value, string picture, IReadOnlyDictionary<string, string>? options)
    {
        var format = DecimalFormat.From(options);
        string[] parts = format.PatternSeparator.Length == 0
            ? [picture]
            : picture.Split(format.PatternSeparator);
        if (parts.Length > 2)
        {
            throw PictureErrors.NumberPicture("D3080");
        }
        var positive = NumberSubPicture.Analyse(parts[0], format);
        var negative = parts.Length == 2
            ? NumberSubPicture.Analyse(parts[1], format)
            : positive.WithPrefix(format.MinusSign);
        var pic = value >= 0 ? positive : negative;

        double adjusted = pic.ContainsPercent ? value * 100 : pic.ContainsPerMille ? value * 1000 : value;
        double mantissa = adjusted;
        int? exponent = null;
        if (pic.MinimumExponentSize > 0)
        {
            exponent = Normalise(ref mantissa, pic.ScalingFactor);
        }

        double rounded = JsNumber.RoundHalfEven(mantissa, pic.MaximumFractionalPartSize);
        string text = Digits(rounded, pic.MaximumFractionalPartSize, format);
        text = LayOut(text, pic, format);
        if (exponent is int e)
        {
            string exponentDigits = Digits(e, 0, format);
            if (exponentDigits.Length < pic.MinimumExponentSize)
            {
                exponentDigits = Repeat(format.ZeroDigit, pic.MinimumExponentSize - exponentDigits.Length) + exponentDigits;
            }
            text += format.ExponentSeparator + (e < 0 ? format.MinusSign : "") + exponentDigits;
        }
        return pic.Prefix + text + pic.Suffix;
    }

    /// <summary>Scales the mantissa into [10^(s-1), 10^s] by repeated multiplication or division
    /// (the same float steps as the reference) and returns the exponent; zero stays zero.</summary>
    private static int Normalise(ref double mantissa, int scalingFactor)
    {
        double max = Math.Pow(10, scalingFactor);
        double min = Math.Pow(10, scalingFactor - 1);
        int exponent = 0;
        if (mantissa == 0 || !double.IsFinite(mantissa))
        {
            return 0;
        }
        while (Math.Abs(mantissa) < min)
        {
            mantissa *= 10;
            exponent--;
        }
        while (Math.Abs(mantissa) > max)
        {
            mantissa /= 10;
            exponent++;
        }
        return exponent;
    }

    /// <summary>The unsigned fixed-point text of <paramref name="value"/>, in the picture's digit family.</summary>
    private static string Digits(double value, int fractionDigits, DecimalFormat format)
    {
        string text = JsNumber.ToFixed(Math.Abs(value), fractionDigits);
        char zero = format.Zero;
        if (zero == '0')
        {
            return text;
        }
        var sb = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            sb.Append(c is >= '0' and <= '9' ? (char)(zero + (c - '0')) : c);
        }
        return sb.ToString();
    }

    /// <summary>Bullets 7 to 12: trims insignificant zeros, pads to the minimum sizes and inserts
    /// the grouping separators.</summary>
    private static string LayOut(string digits, NumberSubPicture pic, DecimalFormat format)
    {
        string point = format.DecimalSeparator;
        int dot = digits.IndexOf('.');
        var text = new StringBuilder(dot < 0 ? digits + point : digits[..dot] + point + digits[(dot + 1)..]);

        // The decimal separator is kept while trimming, so strip zeros from both ends freely.
        string zero = format.ZeroDigit;
        while (text.Length > 0 && text[0].ToString() == zero)
        {
            text.Remove(0, 1);
        }
        while (text.Length > 0 && text[^1].ToString() == zero)
        {
            text.Remove(text.Length - 1, 1);
        }
        string s = text.ToString();
        int pointAt = s.IndexOf(point, StringComparison.Ordinal);
        int padLeft = pic.MinimumIntegerPartSize - pointAt;
        int padRight = pic.MinimumFractionalPartSize - (s.Length - pointAt - point.Length);
        s = Repeat(zero, padLeft) + s + Repeat(zero, padRight);
        pointAt = s.IndexOf(point, StringComparison.Ordinal);

        var result = new StringBuilder(s);
        string separator = format.GroupingSeparator;
        // Fractional separators first, so inserting them does not move the decimal separator.
        int fractionDigits = s.Length - pointAt - point.Length;
        int inserted = 0;
        foreach (int position in pic.FractionalGroupingPositions)
        {
            if (position > 0 && position < fractionDigits)
            {
                result.Insert(pointAt + point.Length + position + inserted, separator);
                inserted += separator.Length;
            }
        }
        if (pic.RegularGrouping > 0)
        {
            for (int position = pic.RegularGrouping; position < pointAt; position += pic.RegularGrouping)
            {
                result.Insert(pointAt - position, separator);
            }
        }
        else
        {
            // Rightmost first; a separator with no digit to its left is dropped (the reference
            // would place it at the wrong end of the number).
            for (int i = pic.IntegerGroupingPositions.Count - 1; i >= 0; i--)
            {
                int position = pic.IntegerGroupingPositions[i];
                if (position < pointAt)
                {
                    result.Insert(pointAt - position, separator);
                }
            }
        }
        s = result.ToString();
        // Bullet 12: drop the decimal separator when nothing follows it or the picture has none.
        if (!pic.HasDecimalSeparator || s.EndsWith(point, StringComparison.Ordinal))
        {
            s = s[..^Math.Min(point.Length, s.Length)];
        }
        return s;
    }

    private static string Repeat(string text, int count) =>
        count <= 0 ? "" : new StringBuilder(text.Length * count).Insert(0, text, count).ToString();
}
