using System.Text;
using Jsonata.Values;

namespace Jsonata.Functions;

internal static partial class Builtins
{
    /// <summary>Number of Unicode code points (a lone surrogate counts as one).</summary>
    public static int CodePointLength(string s)
    {
        var count = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++;
            }

            count++;
        }

        return count;
    }

    /// <summary>Splits a string into code points, each as a string of one or two UTF-16 units.</summary>
    public static List<string> CodePoints(string s)
    {
        var result = new List<string>(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                result.Add(s.Substring(i, 2));
                i++;
            }
            else
            {
                result.Add(s[i].ToString());
            }
        }

        return result;
    }

    /// <summary>JavaScript's <c>Array.prototype.slice</c> index arithmetic.</summary>
    private static (int Start, int End) SliceBounds(int length, double start, double? end)
    {
        static int Resolve(double value, int length)
        {
            if (double.IsNaN(value))
            {
                return 0;
            }

            var v = Math.Truncate(value);
            if (v < 0)
            {
                return (int)Math.Max(0, length + v);
            }

            return (int)Math.Min(v, length);
        }

        var s = Resolve(start, length);
        var e = end.HasValue ? Resolve(end.Value, length) : length;
        return (s, Math.Max(s, e));
    }

    public static string SubstringOf(string str, double start, double? length)
    {
        var chars = CodePoints(str);
        var strLength = chars.Count;
        if (strLength + start < 0)
        {
            start = 0;
        }

        double? end = null;
        if (length.HasValue)
        {
            if (length.Value <= 0)
            {
                return string.Empty;
            }

            end = start >= 0 ? start + length.Value : strLength + start + length.Value;
        }

        var (s, e) = SliceBounds(strLength, start, end);
        var sb = new StringBuilder();
        for (var i = s; i < e; i++)
        {
            sb.Append(chars[i]);
        }

        return sb.ToString();
    }

    private static object? Substring(in CallContext call, object?[] args)
    {
        if (Arg(args, 0) is not string str)
        {
            return null;
        }

        var start = Arg(args, 1) is double d ? d : double.NaN;
        var length = Arg(args, 2) is double l ? l : (double?)null;
        return SubstringOf(str, start, length);
    }

    private static string SearchText(object? value) => value as string ?? "undefined";

    private static object? SubstringBefore(in CallContext call, object?[] args)
    {
        if (Arg(args, 0) is not string str)
        {
            return null;
        }

        var pos = str.IndexOf(SearchText(Arg(args, 1)), StringComparison.Ordinal);
        return pos > -1 ? str.Substring(0, pos) : str;
    }

    private static object? SubstringAfter(in CallContext call, object?[] args)
    {
        if (Arg(args, 0) is not string str)
        {
            return null;
        }

        var chars = SearchText(Arg(args, 1));
        var pos = str.IndexOf(chars, StringComparison.Ordinal);
        return pos > -1 ? str.Substring(pos + chars.Length) : str;
    }

    private static object? Lowercase(in CallContext call, object?[] args) =>
        Arg(args, 0) is string s ? ToLowerJs(s) : null;

    private static object? Uppercase(in CallContext call, object?[] args) =>
        Arg(args, 0) is string s ? ToUpperJs(s) : null;

    // JavaScript applies the full Unicode case mappings, where some characters map to several.
    private static readonly Dictionary<char, string> UpperSpecial = new()
    {
        ['\u00DF'] = "SS",
        ['\u0149'] = "\u02BCN",
        ['\u01F0'] = "J\u030C",
        ['\u0390'] = "\u0399\u0308\u0301",
        ['\u03B0'] = "\u03A5\u0308\u0301",
        ['\u0587'] = "\u0535\u0552",
        ['\u1E96'] = "H\u0331",
        ['\u1E97'] = "T\u0308",
        ['\u1E98'] = "W\u030A",
        ['\u1E99'] = "Y\u030A",
        ['\u1E9A'] = "A\u02BE",
        ['\uFB00'] = "FF",
        ['\uFB01'] = "FI",
        ['\uFB02'] = "FL",
        ['\uFB03'] = "FFI",
        ['\uFB04'] = "FFL",
        ['\uFB05'] = "ST",
        ['\uFB06'] = "ST",
    };

    private static string ToUpperJs(string s)
    {
        var upper = s.ToUpperInvariant();
        if (upper.AsSpan().IndexOfAny("\u00DF\u0149\u01F0\u0390\u03B0\u0587\u1E96\u1E97\u1E98\u1E99\u1E9A\uFB00\uFB01\uFB02\uFB03\uFB04\uFB05\uFB06") < 0)
        {
            return upper;
        }

        var sb = new StringBuilder(upper.Length + 4);
        foreach (var c in upper)
        {
            if (UpperSpecial.TryGetValue(c, out var mapped))
            {
                sb.Append(mapped);
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private static string ToLowerJs(string s)
    {
        var lower = s.ToLowerInvariant();
        if (s.Contains('\u03A3'))
        {
            // final sigma: a capital sigma ending a word lowercases to ς
            var chars = lower.ToCharArray();
            for (var i = 0; i < s.Length; i++)
            {
                if (s[i] == '\u03A3' && i > 0 && char.IsLetter(s[i - 1]) && (i + 1 == s.Length || !char.IsLetter(s[i + 1])))
                {
                    chars[i] = '\u03C2';
                }
            }

            lower = new string(chars);
        }

        return s.Contains('\u0130') ? lower.Replace("\u0130", "i\u0307", StringComparison.Ordinal) : lower;
    }

    private static object? Length(in CallContext call, object?[] args) =>
        Arg(args, 0) is string s ? (double)CodePointLength(s) : null;

    private static object? Trim(in CallContext call, object?[] args)
    {
        if (Arg(args, 0) is not string s)
        {
            return null;
        }

        var sb = new StringBuilder(s.Length);
        var inSpace = false;
        foreach (var c in s)
        {
            if (c is ' ' or '\t' or '\n' or '\r')
            {
                if (!inSpace)
                {
                    sb.Append(' ');
                    inSpace = true;
                }
            }
            else
            {
                sb.Append(c);
                inSpace = false;
            }
        }

        var result = sb.ToString();
        if (result.StartsWith(' '))
        {
            result = result.Substring(1);
        }

        if (result.EndsWith(' '))
        {
            result = result.Substring(0, result.Length - 1);
        }

        return result;
    }

    private static object? Pad(in CallContext call, object?[] args)
    {
        if (Arg(args, 0) is not string str)
        {
            return null;
        }

        var width = Arg(args, 1) is double w ? w : double.NaN;
        var ch = Arg(args, 2) as string;
        if (string.IsNullOrEmpty(ch))
        {
            ch = " ";
        }

        var padLength = Math.Abs(width) - CodePointLength(str);
        if (!(padLength > 0))
        {
            return str;
        }

        // the size is known before anything is built: every code point of the padding takes one or two characters
        var count = (long)Math.Truncate(padLength);
        var maxUnits = ch.Length == CodePointLength(ch) ? 1 : 2;
        call.Environment.Context.CheckString(str.Length + (count * maxUnits), "the string $pad builds");
        if (count > int.MaxValue)
        {
            throw Errors.Limits.ResultTooLarge("the string $pad builds", str.Length + count, int.MaxValue);
        }

        // the padding repeats the code points of the pad string until it has as many as the width asks
        var codePoints = CodePoints(ch);
        var padding = new StringBuilder((int)Math.Min(count * maxUnits, int.MaxValue));
        for (var i = 0; i < count; i++)
        {
            padding.Append(codePoints[i % codePoints.Count]);
        }

        return width > 0 ? str + padding : padding + str;
    }

    private static object? Join(in CallContext call, object?[] args)
    {
        if (Arg(args, 0) is not JArray strs)
        {
            return null;
        }

        var separator = Arg(args, 1) as string ?? string.Empty;
        long length = (long)separator.Length * Math.Max(0, strs.Count - 1);
        foreach (var item in strs)
        {
            length += (item as string)?.Length ?? 0;
        }

        call.Environment.Context.CheckString(length, "the string $join builds");
        return string.Join(separator, strs.Select(s => s as string ?? string.Empty));
    }
}
