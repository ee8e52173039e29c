using System.Globalization;
using System.Text;
using Jsonata.Evaluation;
using Jsonata.Values;

namespace Jsonata.Json;

/// <summary>Serialises values as <c>JSON.stringify</c> does, with JSONata's number and function handling.</summary>
internal static class JsonWriter
{
    public static string Serialize(object? value, bool prettify)
    {
        var sb = new StringBuilder();
        Write(sb, value, prettify, 0, false);
        return sb.ToString();
    }

    /// <summary>Plain JSON (numbers unrounded, functions as a marker string), for diagnostics and comparisons.</summary>
    public static string SerializeRaw(object? value)
    {
        var sb = new StringBuilder();
        Write(sb, value, false, 0, true);
        return sb.ToString();
    }

    public static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2);
        AppendQuoted(sb, s);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, object? value, bool prettify, int depth, bool raw)
    {
        switch (value)
        {
            case null:
            case JNull:
                sb.Append("null");
                break;
            case string s:
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

                        NewLine(sb, prettify, depth + 1);
                        Write(sb, arr[i], prettify, depth + 1, raw);
                    }

                    NewLine(sb, prettify, depth);
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
                        NewLine(sb, prettify, depth + 1);
                        AppendQuoted(sb, key);
                        sb.Append(prettify ? ": " : ":");
                        Write(sb, item, prettify, depth + 1, raw);
                    }

                    if (!first)
                    {
                        NewLine(sb, prettify, depth);
                    }

                    sb.Append('}');
                    break;
                }

            default:
                sb.Append("null");
                break;
        }
    }

    private static void NewLine(StringBuilder sb, bool prettify, int depth)
    {
        if (prettify)
        {
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
