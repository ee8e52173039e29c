using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Jsonata.Parsing;

/// <summary>
/// Rewrites a JavaScript regular expression into the equivalent .NET pattern. The differences that
/// matter for JSONata: <c>\d</c>, <c>\w</c> are ASCII-only in JavaScript, and <c>$</c> without the
/// <c>m</c> flag only matches at the very end of the input.
/// </summary>
internal static class RegexTranslator
{
    // bounded by count and by pattern length, so the cache cannot grow with what users write
    private const int CacheLimit = 1000;
    private const int MaxCachedPatternLength = 1024;

    private static readonly ConcurrentDictionary<(string, string), TimedRegex> Cache = new();

    public static TimedRegex Compile(string pattern, string flags, int position)
    {
        if (Cache.TryGetValue((pattern, flags), out var cached))
        {
            return cached;
        }

        var options = RegexOptions.CultureInvariant;
        var multiline = flags.Contains('m');
        if (flags.Contains('i'))
        {
            options |= RegexOptions.IgnoreCase;
        }

        if (multiline)
        {
            options |= RegexOptions.Multiline;
        }

        Regex regex;
        try
        {
            regex = new Regex(Translate(pattern, multiline), options, Regex.InfiniteMatchTimeout);
        }
        catch (ArgumentException ex)
        {
            throw new JsonataException("S0303", "Invalid regular expression: " + ex.Message, position, pattern);
        }

        var timed = new TimedRegex(regex);
        if (Cache.Count < CacheLimit && pattern.Length <= MaxCachedPatternLength)
        {
            Cache[(pattern, flags)] = timed;
        }

        return timed;
    }

    internal static string Translate(string pattern, bool multiline)
    {
        var sb = new StringBuilder(pattern.Length + 8);
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                var n = pattern[i + 1];
                i++;
                switch (n)
                {
                    case 'd':
                        sb.Append(inClass ? "0-9" : "[0-9]");
                        break;
                    case 'D':
                        sb.Append(inClass ? "\\D" : "[^0-9]");
                        break;
                    case 'w':
                        sb.Append(inClass ? "a-zA-Z0-9_" : "[a-zA-Z0-9_]");
                        break;
                    case 'W':
                        sb.Append(inClass ? "\\W" : "[^a-zA-Z0-9_]");
                        break;
                    case 's':
                        // JavaScript's \s also matches U+FEFF
                        sb.Append(inClass ? "\\s\\uFEFF" : "[\\s\\uFEFF]");
                        break;
                    case 'S' when !inClass:
                        sb.Append("[^\\s\\uFEFF]");
                        break;
                    case >= '1' and <= '9' when !inClass:
                        {
                            // a reference to a group that did not take part matches the empty string in JavaScript
                            var digits = n.ToString();
                            while (i + 1 < pattern.Length && char.IsAsciiDigit(pattern[i + 1]))
                            {
                                digits += pattern[++i];
                            }

                            sb.Append("(?(").Append(digits).Append(")\\").Append(digits).Append("|)");
                            break;
                        }

                    case 'b' when !inClass:
                        sb.Append("(?:(?<=[a-zA-Z0-9_])(?![a-zA-Z0-9_])|(?<![a-zA-Z0-9_])(?=[a-zA-Z0-9_]))");
                        break;
                    case 'B' when !inClass:
                        sb.Append("(?:(?<=[a-zA-Z0-9_])(?=[a-zA-Z0-9_])|(?<![a-zA-Z0-9_])(?![a-zA-Z0-9_]))");
                        break;
                    default:
                        sb.Append('\\').Append(n);
                        break;
                }

                continue;
            }

            if (inClass)
            {
                if (c == ']')
                {
                    inClass = false;
                }
                else if (c == '[')
                {
                    // a literal '[' inside a class must be escaped for .NET (it would start a subtraction)
                    sb.Append("\\[");
                    continue;
                }

                sb.Append(c);
                continue;
            }

            if (c == '[')
            {
                inClass = true;
                sb.Append(c);
                if (i + 1 < pattern.Length && pattern[i + 1] == '^')
                {
                    sb.Append('^');
                    i++;
                }

                if (i + 1 < pattern.Length && pattern[i + 1] == ']')
                {
                    // JavaScript allows an empty class; .NET would read ']' as a literal
                    sb.Length -= pattern[i] == '^' ? 2 : 1;
                    sb.Append(pattern[i] == '^' ? "[\\s\\S]" : "(?!)");
                    inClass = false;
                    i++;
                }

                continue;
            }

            // JavaScript's line terminators are \n, \r, U+2028 and U+2029; .NET only knows \n
            if (c == '$')
            {
                sb.Append(multiline ? "(?=[\\n\\r\\u2028\\u2029]|\\z)" : "\\z");
                continue;
            }

            if (c == '^' && multiline)
            {
                sb.Append("(?<=[\\n\\r\\u2028\\u2029]|\\A)");
                continue;
            }

            if (c == '.')
            {
                sb.Append("[^\\n\\r\\u2028\\u2029]");
                continue;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }
}
