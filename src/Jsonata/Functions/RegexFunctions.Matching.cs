using Jsonata.Evaluation;
using Jsonata.Values;

namespace Jsonata.Functions;

internal static partial class RegexFunctions
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
        if (fromIndex > str.Length)
        {
            return null;
        }

        var ctx = matcher.Context;
        ctx.Tick();
        System.Text.RegularExpressions.Match m;
        try
        {
            m = matcher.Literal.Regex.For(ctx).Match(str, fromIndex);
        }
        catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
        {
            throw Errors.Limits.Timeout();
        }

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
        return ToObject(RegexMatch(matcher, s, start, false));
    }

    /// <summary>The match as the reference's matcher protocol shapes it: match, start, end, groups and next.</summary>
    private static JObject? ToObject(MatchResult? m)
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
        obj["next"] = new NativeFunction("next", (string?)null, 0, (in CallContext _, object?[] _) => ToObject(m.Next?.Invoke()));
        return obj;
    }
}
