using System.Text;
using System.Text.RegularExpressions;
using Jsonata.Evaluation;
using Jsonata.Values;

namespace Jsonata.Functions;

/// <summary>Functions that accept a string or a matcher: a regex literal or a function with the matcher protocol.</summary>
internal static class RegexFunctions
{
    /// <summary>One match, with a way to fetch the following one.</summary>
    private sealed class MatchResult
    {
        public required string Match;
        public required int Start;
        public required int End;
        public required JArray Groups;
        public required Func<MatchResult?>? Next;
    }

    private static MatchResult? RegexMatch(RegexMatcher matcher, string str, int fromIndex, bool rejectEmpty)
    {
        var regex = matcher.Literal.Regex;
        if (fromIndex > str.Length)
        {
            return null;
        }

        var m = regex.Match(str, fromIndex);
        if (!m.Success)
        {
            return null;
        }

        if (rejectEmpty && m.Length == 0)
        {
            throw new JsonataException("D1004", matcher.Position, null, matcher.Literal.Pattern);
        }

        var groups = new JArray();
        for (var i = 1; i < m.Groups.Count; i++)
        {
            groups.Add(m.Groups[i].Success ? m.Groups[i].Value : null);
        }

        var lastIndex = m.Index + m.Length;
        return new MatchResult
        {
            Match = m.Value,
            Start = m.Index,
            End = lastIndex,
            Groups = groups,
            Next = () => lastIndex >= str.Length ? null : RegexMatch(matcher, str, lastIndex, true),
        };
    }

    private static MatchResult? EvaluateMatcher(in CallContext call, JFunction matcher, string str)
    {
        if (matcher is RegexMatcher regex)
        {
            return RegexMatch(regex, str, 0, false);
        }

        var evaluator = call.Evaluator;
        var env = call.Environment;
        return FromObject(evaluator, env, evaluator.Apply(matcher, [str], null, env));
    }

    private static MatchResult? FromObject(Evaluator evaluator, Frame env, object? result)
    {
        if (result == null)
        {
            return null;
        }

        if (result is not JObject obj ||
            !(obj.GetValueOrDefault("start") is double || obj.GetValueOrDefault("groups") is JArray || obj.GetValueOrDefault("next") is JFunction))
        {
            if (result is JObject || result is JArray || result is string || result is double || result is bool)
            {
                throw new JsonataException("T1010");
            }

            return null;
        }

        var next = obj.GetValueOrDefault("next") as JFunction;
        var match = obj.GetValueOrDefault("match") as string ?? string.Empty;
        var start = obj.GetValueOrDefault("start") is double s ? (int)s : 0;
        return new MatchResult
        {
            Match = match,
            Start = start,
            End = obj.GetValueOrDefault("end") is double e ? (int)e : start + match.Length,
            Groups = obj.GetValueOrDefault("groups") as JArray ?? new JArray(),
            Next = next == null ? null : () => FromObject(evaluator, env, evaluator.Apply(next, [], null, env)),
        };
    }

    /// <summary>The object a regex returns when invoked directly as a function.</summary>
    public static object? MatchObject(RegexMatcher matcher, object? str, object? fromIndex)
    {
        if (str is not string s)
        {
            return null;
        }

        var start = fromIndex is double d ? (int)d : 0;
        return ToObject(matcher, s, RegexMatch(matcher, s, start, false));
    }

    private static JObject? ToObject(RegexMatcher matcher, string str, MatchResult? m)
    {
        if (m == null)
        {
            return null;
        }

        var obj = new JObject
        {
            ["match"] = m.Match,
            ["start"] = (double)m.Start,
            ["end"] = (double)m.End,
            ["groups"] = m.Groups,
        };
        obj["next"] = new NativeFunction("next", (string?)null, 0, (in CallContext _, object?[] _) => ToObject(matcher, str, m.Next?.Invoke()));
        return obj;
    }

    public static object? Match(in CallContext call, object?[] args)
    {
        if (Builtins.Arg(args, 0) is not string str)
        {
            return null;
        }

        var limit = Builtins.Arg(args, 2) as double?;
        if (limit < 0)
        {
            throw new JsonataException("D3040", -1, null, limit) { Index = 3 };
        }

        var result = JArray.CreateSequence();
        if (limit == null || limit > 0)
        {
            var count = 0;
            var matches = EvaluateMatcher(call, (JFunction)args[1]!, str);
            while (matches != null && (limit == null || count < limit))
            {
                result.Add(new JObject
                {
                    ["match"] = matches.Match,
                    ["index"] = (double)matches.Start,
                    ["groups"] = matches.Groups,
                });
                matches = matches.Next?.Invoke();
                count++;
            }
        }

        return result;
    }

    public static object? Contains(in CallContext call, object?[] args)
    {
        if (Builtins.Arg(args, 0) is not string str)
        {
            return null;
        }

        var token = Builtins.Arg(args, 1);
        if (token is string s)
        {
            return Boxes.Bool(str.Contains(s, StringComparison.Ordinal));
        }

        if (token is JFunction f)
        {
            return Boxes.Bool(EvaluateMatcher(call, f, str) != null);
        }

        return null;
    }

    public static object? Split(in CallContext call, object?[] args)
    {
        if (Builtins.Arg(args, 0) is not string str)
        {
            return null;
        }

        var limit = Builtins.Arg(args, 2) as double?;
        if (limit < 0)
        {
            throw new JsonataException("D3020", -1, null, limit) { Index = 3 };
        }

        var result = new JArray();
        if (limit != null && !(limit > 0))
        {
            return result;
        }

        var separator = Builtins.Arg(args, 1);
        if (separator is JFunction matcher)
        {
            var count = 0;
            var matches = EvaluateMatcher(call, matcher, str);
            if (matches == null)
            {
                result.Add(str);
                return result;
            }

            var start = 0;
            while (matches != null && (limit == null || count < limit))
            {
                result.Add(str.Substring(start, Math.Max(0, matches.Start - start)));
                start = matches.End;
                matches = matches.Next?.Invoke();
                count++;
            }

            if (limit == null || count < limit)
            {
                result.Add(str.Substring(Math.Min(start, str.Length)));
            }

            return result;
        }

        var sep = separator as string ?? "undefined";
        var max = limit == null ? long.MaxValue : (long)(uint)(long)Math.Truncate(limit.Value);
        if (sep.Length == 0)
        {
            for (var i = 0; i < str.Length && result.Count < max; i++)
            {
                result.Add(str[i].ToString());
            }

            return result;
        }

        var pos = 0;
        while (result.Count < max)
        {
            var idx = str.IndexOf(sep, pos, StringComparison.Ordinal);
            if (idx < 0)
            {
                result.Add(str.Substring(pos));
                break;
            }

            result.Add(str.Substring(pos, idx - pos));
            pos = idx + sep.Length;
        }

        return result;
    }

    public static object? Replace(in CallContext call, object?[] args)
    {
        if (Builtins.Arg(args, 0) is not string str)
        {
            return null;
        }

        var pattern = Builtins.Arg(args, 1);
        var replacement = Builtins.Arg(args, 2);
        var limit = Builtins.Arg(args, 3) as double?;
        if (pattern is "")
        {
            throw new JsonataException("D3010", -1, null, pattern) { Index = 2 };
        }

        if (limit < 0)
        {
            throw new JsonataException("D3011", -1, null, limit) { Index = 4 };
        }

        if (limit != null && !(limit > 0))
        {
            return str;
        }

        var result = new StringBuilder();
        var position = 0;
        var count = 0;
        if (pattern is string p)
        {
            var replacementText = replacement as string ?? "undefined";
            var index = str.IndexOf(p, StringComparison.Ordinal);
            while (index != -1 && (limit == null || count < limit))
            {
                result.Append(str, position, index - position);
                result.Append(replacementText);
                position = index + p.Length;
                count++;
                index = str.IndexOf(p, position, StringComparison.Ordinal);
            }

            result.Append(str, position, str.Length - position);
            return result.ToString();
        }

        var matches = EvaluateMatcher(call, (JFunction)pattern!, str);
        if (matches == null)
        {
            return str;
        }

        var evaluator = call.Evaluator;
        var env = call.Environment;
        while (matches != null && (limit == null || count < limit))
        {
            result.Append(str, position, Math.Max(0, matches.Start - position));
            object? replacedWith;
            if (replacement is string template)
            {
                replacedWith = Substitute(template, matches);
            }
            else
            {
                var matchObj = new JObject
                {
                    ["match"] = matches.Match,
                    ["index"] = (double)matches.Start,
                    ["groups"] = matches.Groups,
                };
                replacedWith = evaluator.Apply(replacement, [matchObj], null, env);
            }

            if (replacedWith is not string replacedText)
            {
                throw new JsonataException("D3012", -1, null, replacedWith);
            }

            result.Append(replacedText);
            position = matches.Start + matches.Match.Length;
            count++;
            matches = matches.Next?.Invoke();
        }

        if (position < str.Length)
        {
            result.Append(str, position, str.Length - position);
        }

        return result.ToString();
    }

    /// <summary>Expands <c>$0</c>, <c>$1</c>.. and <c>$$</c> in a replacement string, as the reference does.</summary>
    private static string Substitute(string replacement, MatchResult m)
    {
        var sb = new StringBuilder();
        var position = 0;
        var index = replacement.IndexOf('$', position);
        while (index != -1 && position < replacement.Length)
        {
            sb.Append(replacement, position, index - position);
            position = index + 1;
            var dollarVal = position < replacement.Length ? replacement[position] : '\0';
            if (dollarVal == '$')
            {
                sb.Append('$');
                position++;
            }
            else if (dollarVal == '0')
            {
                sb.Append(m.Match);
                position++;
            }
            else
            {
                var groupCount = m.Groups.Count;
                var maxDigits = groupCount == 0 ? 1 : (int)Math.Floor(Math.Log10(groupCount)) + 1;
                var groupIndex = ParseLeadingInt(replacement, position, maxDigits);
                if (maxDigits > 1 && groupIndex > groupCount)
                {
                    groupIndex = ParseLeadingInt(replacement, position, maxDigits - 1);
                }

                if (groupIndex.HasValue)
                {
                    if (groupCount > 0 && groupIndex.Value >= 1 && groupIndex.Value <= groupCount && m.Groups[groupIndex.Value - 1] is string sub)
                    {
                        sb.Append(sub);
                    }

                    position += groupIndex.Value.ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
                }
                else
                {
                    sb.Append('$');
                }
            }

            index = replacement.IndexOf('$', position);
        }

        if (position < replacement.Length)
        {
            sb.Append(replacement, position, replacement.Length - position);
        }

        return sb.ToString();
    }

    /// <summary>JavaScript <c>parseInt</c> of up to <paramref name="maxDigits"/> characters; null for NaN.</summary>
    private static int? ParseLeadingInt(string s, int start, int maxDigits)
    {
        var end = Math.Min(s.Length, start + maxDigits);
        var value = 0;
        var any = false;
        for (var i = start; i < end && char.IsAsciiDigit(s[i]); i++)
        {
            value = (value * 10) + (s[i] - '0');
            any = true;
        }

        return any ? value : null;
    }
}
