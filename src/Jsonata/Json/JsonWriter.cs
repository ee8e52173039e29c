using System.Globalization;
using System.Text;
using Jsonata.Evaluation;
using Jsonata.Values;

namespace Jsonata.Json;

/// <summary>Serialises values as <c>JSON.stringify</c> does, with JSONata's number and function handling.</summary>
internal static class JsonWriter
{
    /// <summary>Longest text a diagnostic rendering of a value gets before it is cut short.</summary>
    private const int DiagnosticLimit = 1 << 20;

    /// <summary>
    /// The JSON text of a value. With a <paramref name="limit"/> (characters, 0 for none) the text is checked as it
    /// grows and fails with <c>U1003</c> before it passes the limit: a value may share one object many times over,
    /// so its text can be far larger than the memory the value takes.
    /// </summary>
    public static string Serialize(object? value, bool prettify, long limit = 0)
    {
        var sb = new StringBuilder();
        Write(sb, value, prettify, 0, false, limit);
        return sb.ToString();
    }

    /// <summary>
    /// Plain JSON (numbers unrounded, functions as a marker string), for diagnostics and comparisons. Error messages
    /// use it, so it never throws: a value too large or too deep is cut short.
    /// </summary>
    public static string SerializeRaw(object? value)
    {
        var sb = new StringBuilder();
        try
        {
            Write(sb, value, false, 0, true, DiagnosticLimit);
        }
        catch (JsonataException)
        {
            return sb.ToString(0, Math.Min(sb.Length, DiagnosticLimit)) + "...";
        }

        return sb.ToString();
    }

    public static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2);
        AppendQuoted(sb, s);
        return sb.ToString();
    }

    private static void Guard(StringBuilder sb, long limit, long adding)
    {
        if (limit > 0 && sb.Length + adding > limit)
        {
            throw Errors.Limits.ResultTooLarge("the JSON text of a value", sb.Length + adding, limit);
        }
    }

    private static void Write(StringBuilder sb, object? value, bool prettify, int depth, bool raw, long limit)
    {
        Errors.Limits.EnsureStack();
        Guard(sb, limit, 0);
        switch (value)
        {
            case null:
            case JNull:
                sb.Append("null");
                break;
            case string s:
                Guard(sb, limit, s.Length + 2L);
                AppendQuoted(sb, s);
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case double d:
                if (double.IsNaN(d))
                {
                    sb.Append("null");
                }
                else if (raw)
                {
                    sb.Append(double.IsInfinity(d) ? "null" : NumberFormatter.ToJsString(d));
                }
                else
                {
                    Util.IsNumeric(d);
                    sb.Append(NumberFormatter.ToJsString(Math.Floor(d) == d ? d : NumberFormatter.ToPrecision15(d)));
                }

                break;
            case JFunction:
                sb.Append(raw ? "\"<function>\"" : "\"\"");
                break;
            case JArray arr:
                {
                    if (arr.Count == 0)
                    {
                        sb.Append("[]");
                        break;
                    }

                    sb.Append('[');
                    for (var i = 0; i < arr.Count; i++)
                    {
                        if (i > 0)
                        {
                            sb.Append(',');
                        }

                        NewLine(sb, prettify, depth + 1, limit);
                        Write(sb, arr[i], prettify, depth + 1, raw, limit);
                    }

                    NewLine(sb, prettify, depth, limit);
                    sb.Append(']');
                    break;
                }

            case JObject obj:
                {
                    var first = true;
                    sb.Append('{');
                    foreach (var (key, item) in obj)
                    {
                        if (item == null)
                        {
                            continue;
                        }

                        if (!first)
                        {
                            sb.Append(',');
                        }

                        first = false;
                        NewLine(sb, prettify, depth + 1, limit);
                        Guard(sb, limit, key.Length + 4L);
                        AppendQuoted(sb, key);
                        sb.Append(prettify ? ": " : ":");
                        Write(sb, item, prettify, depth + 1, raw, limit);
                    }

                    if (!first)
                    {
                        NewLine(sb, prettify, depth, limit);
                    }

                    sb.Append('}');
                    break;
                }

            default:
                sb.Append("null");
                break;
        }
    }

    private static void NewLine(StringBuilder sb, bool prettify, int depth, long limit)
    {
        if (prettify)
        {
            Guard(sb, limit, (depth * 2L) + 1);
            sb.Append('\n').Append(' ', depth * 2);
        }
    }

    private static void AppendQuoted(StringBuilder sb, string s)
    {
        sb.Append('"');
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                    {
                        sb.Append(c).Append(s[i + 1]);
                        i++;
                    }
                    else if (char.IsSurrogate(c))
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }
}
