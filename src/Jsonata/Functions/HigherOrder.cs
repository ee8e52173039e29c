using Jsonata.Evaluation;
using Jsonata.Values;

namespace Jsonata.Functions;

/// <summary>Built-ins that call back into function values.</summary>
internal static class HigherOrder
{
    private static object?[] HofArgs(JFunction func, object? arg1, object? arg2, object? arg3)
    {
        var arity = func.Arity;
        if (arity >= 3)
        {
            return [arg1, arg2, arg3];
        }

        return arity >= 2 ? [arg1, arg2] : [arg1];
    }

    public static object? Map(in CallContext call, object?[] args)
    {
        if (Builtins.Arg(args, 0) is not JArray arr)
        {
            return null;
        }

        var func = (JFunction)args[1]!;
        var result = JArray.CreateSequence();
        for (var i = 0; i < arr.Count; i++)
        {
            var res = call.Apply(func, HofArgs(func, arr[i], Boxes.Number(i), arr));
            if (res != null)
            {
                result.Add(res);
            }
        }

        return result;
    }

    public static object? Filter(in CallContext call, object?[] args)
    {
        if (Builtins.Arg(args, 0) is not JArray arr)
        {
            return null;
        }

        var func = (JFunction)args[1]!;
        var result = JArray.CreateSequence();
        for (var i = 0; i < arr.Count; i++)
        {
            var entry = arr[i];
            if (Util.IsTruthy(call.Apply(func, HofArgs(func, entry, Boxes.Number(i), arr))))
            {
                result.Add(entry);
            }
        }

        return result;
    }

    public static object? Single(in CallContext call, object?[] args)
    {
        if (Builtins.Arg(args, 0) is not JArray arr)
        {
            return null;
        }

        var func = Builtins.Arg(args, 1) as JFunction;
        var found = false;
        object? result = null;
        for (var i = 0; i < arr.Count; i++)
        {
            var entry = arr[i];
            var positive = func == null || Util.IsTruthy(call.Apply(func, HofArgs(func, entry, Boxes.Number(i), arr)));
            if (!positive)
            {
                continue;
            }

            if (found)
            {
                throw new JsonataException("D3138", -1, null, null) { Index = i };
            }

            result = entry;
            found = true;
        }

        if (!found)
        {
            throw new JsonataException("D3139");
        }

        return result;
    }

    public static object? Reduce(in CallContext call, object?[] args)
    {
        if (Builtins.Arg(args, 0) is not JArray sequence)
        {
            return null;
        }

        var func = (JFunction)args[1]!;
        var arity = func.Arity;
        if (arity < 2)
        {
            throw new JsonataException("D3050") { Index = 1 };
        }

        object? result;
        int index;
        var init = Builtins.Arg(args, 2);
        if (init == null && sequence.Count > 0)
        {
            result = sequence[0];
            index = 1;
        }
        else
        {
            result = init;
            index = 0;
        }

        while (index < sequence.Count)
        {
            object?[] callArgs = arity switch
            {
                >= 4 => [result, sequence[index], Boxes.Number(index), sequence],
                3 => [result, sequence[index], Boxes.Number(index)],
                _ => [result, sequence[index]],
            };
            result = call.Apply(func, callArgs);
            index++;
        }

        return result;
    }

    public static object? Sift(in CallContext call, object?[] args)
    {
        var result = new JObject();
        if (Builtins.Arg(args, 0) is JObject obj && Builtins.Arg(args, 1) is JFunction func)
        {
            foreach (var (key, value) in obj)
            {
                if (Util.IsTruthy(call.Apply(func, HofArgs(func, value, key, obj))))
                {
                    result.Set(key, value);
                }
            }
        }

        return result.Count == 0 ? null : result;
    }

    public static object? Each(in CallContext call, object?[] args)
    {
        var result = JArray.CreateSequence();
        if (Builtins.Arg(args, 0) is JObject obj && Builtins.Arg(args, 1) is JFunction func)
        {
            foreach (var (key, value) in obj)
            {
                var val = call.Apply(func, HofArgs(func, value, key, obj));
                if (val != null)
                {
                    result.Add(val);
                }
            }
        }

        return result;
    }

    public static object? Sort(in CallContext call, object?[] args)
    {
        if (Builtins.Arg(args, 0) is not JArray arr)
        {
            return null;
        }

        if (arr.Count <= 1)
        {
            return arr;
        }

        if (Builtins.Arg(args, 1) is JFunction comparator)
        {
            var evaluator = call.Evaluator;
            var env = call.Environment;
            return Sorting.MergeSort(arr, (a, b) => JsTruthy(evaluator.Apply(comparator, [a, b], null, env)));
        }

        if (Util.IsArrayOfNumbers(arr))
        {
            return Sorting.MergeSort(arr, (a, b) => (double)a! > (double)b!);
        }

        if (Util.IsArrayOfStrings(arr))
        {
            return Sorting.MergeSort(arr, (a, b) => string.CompareOrdinal((string)a!, (string)b!) > 0);
        }

        throw new JsonataException("D3070") { Index = 1 };
    }

    /// <summary>JavaScript truthiness (not JSONata's): any object or array is true.</summary>
    public static bool JsTruthy(object? value) => value switch
    {
        null or JNull => false,
        bool b => b,
        double d => d != 0 && !double.IsNaN(d),
        string s => s.Length > 0,
        _ => true,
    };
}
