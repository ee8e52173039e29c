using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using Jsonata.Evaluation;
using PictureFormat = Jsonata.Functions.Pictures.PictureFormat;
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
