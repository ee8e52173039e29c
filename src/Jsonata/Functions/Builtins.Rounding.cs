using System.Globalization;
using Jsonata.Json;
using Jsonata.Values;

namespace Jsonata.Functions;

internal static partial class Builtins
{
    /// <summary>JavaScript's <c>Math.round</c>: halves round towards positive infinity.</summary>
    private static double JsRound(double x)
    {
        if (!double.IsFinite(x))
        {
            return x;
        }

        var r = Math.Floor(x);
        if (x - r >= 0.5)
        {
            r += 1;
        }

        return r;
    }

    private static double ShiftExponent(double value, double shift)
    {
        // mirrors the reference's decimal-exponent string manipulation, which avoids binary rounding errors
        var text = NumberFormatter.ToJsString(value);
        var parts = text.Split('e');
        var exponent = parts.Length > 1 ? double.Parse(parts[1], CultureInfo.InvariantCulture) + shift : shift;
        var composed = parts[0] + "e" + NumberFormatter.ToJsString(exponent);
        return double.Parse(composed, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    public static double RoundHalfEven(double arg, double precision)
    {
        var hasPrecision = precision != 0 && !double.IsNaN(precision);
        if (hasPrecision)
        {
            arg = ShiftExponent(arg, precision);
        }

        var result = JsRound(arg);
        var diff = result - arg;
        if (Math.Abs(diff) == 0.5 && Math.Abs(result % 2) == 1)
        {
            result -= 1;
        }

        if (hasPrecision)
        {
            result = ShiftExponent(result, -precision);
        }

        return result == 0 ? 0 : result;
    }

    private static object? Round(in CallContext call, object?[] args)
    {
        if (Arg(args, 0) is not double d)
        {
            return null;
        }

        var precision = Arg(args, 1) is double p ? p : 0;
        return RoundHalfEven(d, precision);
    }

    private static object? FormatBase(in CallContext call, object?[] args)
    {
        if (Arg(args, 0) is not double d)
        {
            return null;
        }

        var value = RoundHalfEven(d, 0);
        var radix = Arg(args, 1) is double r ? RoundHalfEven(r, 0) : 10;
        if (radix < 2 || radix > 36)
        {
            throw new JsonataException("D3100", -1, null, radix);
        }

        return ToRadix(value, (int)radix);
    }

    /// <summary>
    /// JavaScript's <c>Number.prototype.toString(radix)</c> for integral values: digits beyond the
    /// precision of a double are written as zeros, as V8 does.
    /// </summary>
    private static string ToRadix(double value, int radix)
    {
        if (radix == 10)
        {
            return NumberFormatter.ToJsString(value);
        }

        const string chars = "0123456789abcdefghijklmnopqrstuvwxyz";
        var negative = value < 0;
        var integer = Math.Abs(value);
        var digits = new List<char>();
        while (integer / radix >= 9007199254740992.0)
        {
            integer /= radix;
            digits.Add('0');
        }

        do
        {
            var remainder = integer % radix;
            digits.Add(chars[(int)remainder]);
            integer = (integer - remainder) / radix;
        }
        while (integer > 0);

        if (negative)
        {
            digits.Add('-');
        }

        digits.Reverse();
        return new string(digits.ToArray());
    }
}
