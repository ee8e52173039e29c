using System.Text;
using System.Text.RegularExpressions;
using Jsonata.Evaluation;
using Jsonata.Values;

namespace Jsonata.Functions;

/// <summary>Functions that accept a string or a matcher: a regex literal or a function with the matcher protocol.</summary>
internal static partial class RegexFunctions
{

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

        var ctx = call.Environment.Context;
        var result = new StringBuilder();
        var position = 0;
        var count = 0;
        if (pattern is string p)
        {
            var replacementText = replacement as string ?? "undefined";
            var index = str.IndexOf(p, StringComparison.Ordinal);
            while (index != -1 && (limit == null || count < limit))
            {
                // each replacement grows the text by a known amount: checked before it is appended
                GuardGrowth(ctx, result, (long)index - position + replacementText.Length);
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
                // the replacement function receives the matcher's own result (start/end, not index)
                replacedWith = evaluator.Apply(replacement, [ToObject(matches)], null, env);
            }

            if (replacedWith is not string replacedText)
            {
                throw new JsonataException("D3012", -1, null, replacedWith);
            }

            GuardGrowth(ctx, result, (long)Math.Max(0, matches.Start - position) + replacedText.Length);
            ctx.Tick();
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

    /// <summary>The text built so far plus <paramref name="adding"/> must stay within the limit; the rest of the input it copies at the end is checked with the result.</summary>
    private static void GuardGrowth(EvalContext ctx, StringBuilder result, long adding) =>
        ctx.CheckString(result.Length + adding, "the string $replace builds");
}
