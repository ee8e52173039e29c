using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using Jsonata.Evaluation;
using Jsonata.Functions.Pictures;
using Jsonata.Json;
using Jsonata.Values;

namespace Jsonata.Functions;

internal static partial class Builtins
{
    private static readonly Regex DecimalNumber = new(@"^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$", RegexOptions.CultureInvariant);
    private static readonly Regex PrefixedNumber = new(@"^(0[xX][0-9A-Fa-f]+)|(0[oO][0-7]+)|(0[bB][0-1]+)$", RegexOptions.CultureInvariant);

    private static object? Sum(in CallContext call, object?[] args)
    {
        if (Arg(args, 0) is not JArray arr)
        {
            return null;
        }

        var total = 0.0;
        foreach (var n in arr)
        {
            total += (double)n!;
        }

        return total;
    }

    private static object? Count(in CallContext call, object?[] args) =>
        Arg(args, 0) is JArray arr ? (double)arr.Count : 0.0;

    private static object? Max(in CallContext call, object?[] args)
    {
        if (Arg(args, 0) is not JArray { Count: > 0 } arr)
        {
            return null;
        }

        var max = double.NegativeInfinity;
        foreach (var n in arr)
        {
            var d = (double)n!;
            if (double.IsNaN(d))
            {
                return double.NaN;
            }

            max = Math.Max(max, d);
        }

        return max;
    }

    private static object? Min(in CallContext call, object?[] args)
    {
        if (Arg(args, 0) is not JArray { Count: > 0 } arr)
        {
            return null;
        }

        var min = double.PositiveInfinity;
        foreach (var n in arr)
        {
            var d = (double)n!;
            if (double.IsNaN(d))
            {
                return double.NaN;
            }

            min = Math.Min(min, d);
        }

        return min;
    }

    private static object? Average(in CallContext call, object?[] args)
    {
        if (Arg(args, 0) is not JArray { Count: > 0 } arr)
        {
            return null;
        }

        var total = 0.0;
        foreach (var n in arr)
        {
            total += (double)n!;
        }

        return total / arr.Count;
    }

    private static object? NumberFn(in CallContext call, object?[] args)
    {
        var arg = Arg(args, 0);
        switch (arg)
        {
            case null:
                return null;
            case double:
                return arg;
            case bool b:
                return b ? 1.0 : 0.0;
            case string s:
                if (DecimalNumber.IsMatch(s))
                {
                    var d = double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
                    if (double.IsFinite(d))
                    {
                        return d;
                    }
                }
                else if (PrefixedNumber.IsMatch(s))
                {
                    return ParsePrefixed(s);
                }

                break;
        }

        throw new JsonataException("D3030", -1, null, arg) { Index = 1 };
    }

    private static double ParsePrefixed(string s)
    {
        if (s.Length < 3)
        {
            return double.NaN;
        }

        var radix = char.ToLowerInvariant(s[1]) switch { 'x' => 16, 'o' => 8, _ => 2 };
        BigInteger value = 0;
        for (var i = 2; i < s.Length; i++)
        {
            var digit = HexValue(s[i]);
            if (digit < 0 || digit >= radix)
            {
                return double.NaN;
            }

            value = (value * radix) + digit;
        }

        return (double)value;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    private static object? Floor(in CallContext call, object?[] args) => Arg(args, 0) is double d ? Math.Floor(d) : null;

    private static object? Ceil(in CallContext call, object?[] args) => Arg(args, 0) is double d ? Math.Ceiling(d) : null;

    private static object? Abs(in CallContext call, object?[] args) => Arg(args, 0) is double d ? Math.Abs(d) : null;

    private static object? Sqrt(in CallContext call, object?[] args)
    {
        if (Arg(args, 0) is not double d)
        {
            return null;
        }

        if (d < 0)
        {
            throw new JsonataException("D3060", -1, null, d) { Index = 1 };
        }

        return Math.Sqrt(d);
    }

    private static object? Power(in CallContext call, object?[] args)
    {
        if (Arg(args, 0) is not double b)
        {
            return null;
        }

        var e = Arg(args, 1) is double x ? x : double.NaN;
        var result = Math.Pow(b, e);
        if (!double.IsFinite(result))
        {
            throw new JsonataException("D3061", -1, null, b) { Index = 1, Exponent = e };
        }

        return result;
    }

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

    private static object? FormatNumber(in CallContext call, object?[] args)
    {
        if (Arg(args, 0) is not double value)
        {
            return null;
        }

        Dictionary<string, string>? options = null;
        if (Arg(args, 2) is JObject obj)
        {
            options = new Dictionary<string, string>();
            foreach (var (k, v) in obj)
            {
                options[k] = StringOf(v, false) ?? string.Empty;
            }
        }

        return PictureFormat.FormatNumber(value, Arg(args, 1) as string ?? string.Empty, options);
    }

    private static object? FormatInteger(in CallContext call, object?[] args)
    {
        if (Arg(args, 0) is not double value)
        {
            return null;
        }

        return PictureFormat.FormatInteger(value, Arg(args, 1) as string ?? string.Empty);
    }

    private static object? ParseInteger(in CallContext call, object?[] args)
    {
        if (Arg(args, 0) is not string value)
        {
            return null;
        }

        return PictureFormat.ParseInteger(value, Arg(args, 1) as string ?? string.Empty);
    }

    private static object? BooleanFn(in CallContext call, object?[] args)
    {
        var b = Util.Boolean(Arg(args, 0));
        return b.HasValue ? Boxes.Bool(b.Value) : null;
    }

    private static object? Not(in CallContext call, object?[] args)
    {
        var b = Util.Boolean(Arg(args, 0));
        return b.HasValue ? Boxes.Bool(!b.Value) : null;
    }
}
