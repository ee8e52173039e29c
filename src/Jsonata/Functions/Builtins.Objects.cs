using Jsonata.Evaluation;
using Jsonata.Json;
using Jsonata.Parsing;
using Jsonata.Values;

namespace Jsonata.Functions;

internal static partial class Builtins
{
    private static object? Zip(in CallContext call, object?[] args)
    {
        var result = new JArray();
        if (args.Length == 0)
        {
            return result;
        }

        var length = args.Min(a => a is JArray arr ? arr.Count : 0);
        for (var i = 0; i < length; i++)
        {
            var tuple = new JArray(args.Length);
            foreach (var arg in args)
            {
                tuple.Add(((JArray)arg!)[i]);
            }

            result.Add(tuple);
        }

        return result;
    }

    private static object? Keys(in CallContext call, object?[] args) => KeysOf(Arg(args, 0));

    private static JArray KeysOf(object? arg)
    {
        var result = JArray.CreateSequence();
        if (arg is JArray arr)
        {
            var merged = new JObject();
            foreach (var item in arr)
            {
                foreach (var key in KeysOf(item))
                {
                    merged.Set((string)key!, Boxes.True);
                }
            }

            result.AddRange(merged.Keys);
        }
        else if (arg is JObject obj)
        {
            result.AddRange(obj.Keys);
        }

        return result;
    }

    private static object? Spread(object? arg)
    {
        if (arg is JArray arr)
        {
            object? result = JArray.CreateSequence();
            foreach (var item in arr)
            {
                result = Util.Append(result, Spread(item));
            }

            return result;
        }

        if (arg is JObject obj)
        {
            var result = JArray.CreateSequence();
            foreach (var (key, value) in obj)
            {
                var single = new JObject { [key] = value };
                result.Add(single);
            }

            return result;
        }

        return arg;
    }

    private static object? Merge(in CallContext call, object?[] args)
    {
        if (Arg(args, 0) is not JArray arr)
        {
            return null;
        }

        var result = new JObject();
        foreach (var item in arr)
        {
            if (item is JObject obj)
            {
                foreach (var (key, value) in obj)
                {
                    result.Set(key, value);
                }
            }
        }

        return result;
    }

    private static object? Reverse(in CallContext call, object?[] args)
    {
        if (Arg(args, 0) is not JArray arr)
        {
            return null;
        }

        if (arr.Count <= 1)
        {
            return arr;
        }

        var result = new JArray(arr);
        result.Reverse();
        return result;
    }

    private static object? Shuffle(in CallContext call, object?[] args)
    {
        if (Arg(args, 0) is not JArray arr)
        {
            return null;
        }

        if (arr.Count <= 1)
        {
            return arr;
        }

        var result = new JArray(arr);
        for (var i = result.Count - 1; i > 0; i--)
        {
            var j = Random.Shared.Next(i + 1);
            (result[i], result[j]) = (result[j], result[i]);
        }

        return result;
    }

    private static object? Distinct(in CallContext call, object?[] args)
    {
        var arg = Arg(args, 0);
        if (arg is not JArray arr || arr.Count <= 1)
        {
            return arg;
        }

        var results = arr.Sequence ? JArray.CreateSequence() : new JArray();
        var ctx = call.Environment.Context;
        foreach (var value in arr)
        {
            // quadratic in the number of items: the clock is consulted as it goes
            ctx.Tick();
            var includes = false;
            foreach (var existing in results)
            {
                if (Util.DeepEquals(value, existing))
                {
                    includes = true;
                    break;
                }
            }

            if (!includes)
            {
                results.Add(value);
            }
        }

        return results;
    }

    private static object? TypeFn(in CallContext call, object?[] args)
    {
        var value = Arg(args, 0);
        return value switch
        {
            null => null,
            JNull => "null",
            double d when Util.IsNumeric(d) => "number",
            string => "string",
            bool => "boolean",
            JArray => "array",
            JFunction => "function",
            _ => "object",
        };
    }

    /// <summary>Deep copy as the reference makes it: through its JSON text, so numbers keep 15 significant digits.</summary>
    public static object? Clone(object? value)
    {
        Errors.Limits.EnsureStack();
        switch (value)
        {
            case null:
                return null;
            case double d:
                return Math.Floor(d) == d ? d : NumberFormatter.ToPrecision15(d);
            case JFunction:
                return string.Empty;
            case JArray arr:
                {
                    var source = arr.OuterWrapper && arr.Count > 0 && arr[0] is JArray inner ? inner : arr;
                    var copy = new JArray(source.Count);
                    foreach (var item in source)
                    {
                        copy.Add(item == null ? JNull.Instance : Clone(item));
                    }

                    return copy;
                }

            case JObject obj:
                {
                    var copy = new JObject(obj.Count);
                    foreach (var (key, item) in obj)
                    {
                        if (item != null)
                        {
                            copy.Set(key, Clone(item));
                        }
                    }

                    return copy;
                }

            default:
                return value;
        }
    }

    private static object? ErrorFn(in CallContext call, object?[] args)
    {
        var message = Arg(args, 0) as string;
        throw new JsonataException("D3137", string.IsNullOrEmpty(message) ? "$error() function evaluated" : message);
    }

    private static object? Assert(in CallContext call, object?[] args)
    {
        if (Arg(args, 0) is not true)
        {
            var message = Arg(args, 1) as string;
            throw new JsonataException("D3141", string.IsNullOrEmpty(message) ? "$assert() statement failed" : message);
        }

        return null;
    }

    private static object? Eval(in CallContext call, object?[] args)
    {
        if (Arg(args, 0) is not string expr)
        {
            return null;
        }

        var input = call.Input;
        if (args.Length > 1 && args[1] != null)
        {
            input = args[1];
            if (input is JArray { Sequence: false } arr)
            {
                input = new JArray { arr };
                ((JArray)input).Sequence = true;
                ((JArray)input).OuterWrapper = true;
            }
        }

        Node ast;
        try
        {
            ast = Parser.Parse(expr);
        }
        catch (JsonataException err)
        {
            throw new JsonataException("D3120", -1, null, err.Message);
        }

        try
        {
            return call.Evaluator.Evaluate(ast, input, call.Environment);
        }
        catch (JsonataException err)
        {
            throw new JsonataException("D3121", -1, null, err.Message);
        }
    }
}
