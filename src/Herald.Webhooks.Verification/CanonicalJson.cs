using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Herald.Webhooks.Verification;

/// <summary>
/// JSON text as JavaScript's <c>JSON.stringify</c> writes it, with object keys sorted (by UTF-16 code units) and no
/// whitespace: the canonical form the <c>binary_multipart</c> signature covers, so that a receiver in any language
/// that sorts keys and calls its standard JSON writer computes the same text. Strings escape only <c>"</c>,
/// <c>\</c>, control characters and lone surrogates; every other character (non-ASCII, <c>&lt;</c>, <c>+</c>) is
/// written as it is. Numbers are written as JavaScript writes them (<c>12.5</c>, <c>1e+21</c>, <c>1.0</c> as <c>1</c>).
/// </summary>
public static class CanonicalJson
{
    /// <summary>The canonical text of <paramref name="node"/> (<c>null</c> for a JSON null).</summary>
    public static string Write(JsonNode? node)
    {
        var text = new StringBuilder();
        Append(text, node);
        return text.ToString();
    }

    private static void Append(StringBuilder text, JsonNode? node)
    {
        switch (node)
        {
            case null:
                text.Append("null");
                break;
            case JsonObject obj:
                text.Append('{');
                var first = true;
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    text.Append(first ? "" : ",");
                    first = false;
                    AppendString(text, key);
                    text.Append(':');
                    Append(text, value);
                }
                text.Append('}');
                break;
            case JsonArray array:
                text.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    text.Append(i == 0 ? "" : ",");
                    Append(text, array[i]);
                }
                text.Append(']');
                break;
            case JsonValue value:
                switch (value.GetValueKind())
                {
                    case JsonValueKind.String:
                        AppendString(text, value.GetValue<string>());
                        break;
                    case JsonValueKind.Number:
                        text.Append(Number(double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)));
                        break;
                    case JsonValueKind.True:
                        text.Append("true");
                        break;
                    case JsonValueKind.False:
                        text.Append("false");
                        break;
                    default:
                        text.Append("null");
                        break;
                }
                break;
        }
    }

    private static void AppendString(StringBuilder text, string value)
    {
        text.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    var lone = char.IsHighSurrogate(c) ? i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1])
                        : char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(value[i - 1]));
                    if (c < ' ' || lone)
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }
                    break;
            }
        }
        text.Append('"');
    }

    /// <summary>ECMAScript's Number::toString: the shortest digits that round-trip, placed as JavaScript places them.</summary>
    private static string Number(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            return "null";
        }
        if (value == 0)
        {
            return "0";
        }
        var sign = value < 0 ? "-" : "";
        // "E16" is not the shortest form; "R" is, in either plain or exponent notation: read its digits and exponent.
        var shortest = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var exponentAt = shortest.IndexOfAny(['E', 'e']);
        var mantissa = exponentAt < 0 ? shortest : shortest[..exponentAt];
        var exponent = exponentAt < 0 ? 0 : int.Parse(shortest[(exponentAt + 1)..], CultureInfo.InvariantCulture);
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var whole = point < 0 ? mantissa : mantissa[..point];
        var digits = (whole + (point < 0 ? "" : mantissa[(point + 1)..])).TrimStart('0');
        // n: the value is 0.digits × 10^n.
        var n = whole.TrimStart('0').Length + exponent;
        if (whole.TrimStart('0').Length == 0)
        {
            var fraction = point < 0 ? "" : mantissa[(point + 1)..];
            n = exponent - (fraction.Length - fraction.TrimStart('0').Length);
        }
        digits = digits.TrimEnd('0');
        var k = digits.Length;
        string text;
        if (k <= n && n <= 21)
        {
            text = digits + new string('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            text = digits[..n] + "." + digits[n..];
        }
        else if (-6 < n && n <= 0)
        {
            text = "0." + new string('0', -n) + digits;
        }
        else
        {
            var e = n - 1;
            text = digits[..1] + (k > 1 ? "." + digits[1..] : "") + "e" + (e >= 0 ? "+" : "-") + Math.Abs(e).ToString(CultureInfo.InvariantCulture);
        }
        return sign + text;
    }
}
