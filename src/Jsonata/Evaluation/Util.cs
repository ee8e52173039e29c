using Jsonata.Values;

namespace Jsonata.Evaluation;

/// <summary>Value operations shared by the evaluator and the built-in functions.</summary>
internal static class Util
{
    /// <summary>True for a number that is not NaN; throws D1001 for an infinite number, as the reference does.</summary>
    public static bool IsNumeric(object? value)
    {
        if (value is double d)
        {
            if (double.IsNaN(d))
            {
                return false;
            }

            if (double.IsInfinity(d))
            {
                throw new JsonataException("D1001", -1, null, d);
            }

            return true;
        }

        return false;
    }

    public static bool IsArrayOfNumbers(object? value)
    {
        if (value is not JArray arr)
        {
            return false;
        }

        foreach (var item in arr)
        {
            if (!IsNumeric(item))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsArrayOfStrings(object? value)
    {
        if (value is not JArray arr)
        {
            return false;
        }

        foreach (var item in arr)
        {
            if (item is not string)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The reference's truthiness; null result means undefined.</summary>
    public static bool? Boolean(object? value)
    {
        switch (value)
        {
            case null:
                return null;
            case JArray arr:
                if (arr.Count == 1)
                {
                    return Boolean(arr[0]);
                }

                if (arr.Count > 1)
                {
                    foreach (var item in arr)
                    {
                        if (Boolean(item) == true)
                        {
                            return true;
                        }
                    }
                }

                return false;
            case string s:
                return s.Length > 0;
            case double d:
                return !double.IsNaN(d) && IsNumeric(d) && d != 0;
            case bool b:
                return b;
            case JObject o:
                return o.Count > 0;
            case JFunction:
                return false;
            default:
                return false;
        }
    }

    public static bool IsTruthy(object? value) => Boolean(value) == true;

    /// <summary>Concatenates two values into a plain array (the reference's <c>$append</c> semantics).</summary>
    public static object? Append(object? arg1, object? arg2)
    {
        if (arg1 == null)
        {
            return arg2;
        }

        if (arg2 == null)
        {
            return arg1;
        }

        var result = new JArray();
        if (arg1 is JArray a1)
        {
            result.AddRange(a1);
        }
        else
        {
            result.Add(arg1);
        }

        if (arg2 is JArray a2)
        {
            result.AddRange(a2);
        }
        else
        {
            result.Add(arg2);
        }

        return result;
    }

    public static JArray Flatten(JArray arg, JArray? flattened = null)
    {
        Errors.Limits.EnsureStack();
        flattened ??= new JArray();
        foreach (var item in arg)
        {
            if (item is JArray inner)
            {
                Flatten(inner, flattened);
            }
            else
            {
                flattened.Add(item);
            }
        }

        return flattened;
    }

    /// <summary>Looks up a property of an object, or of every object in an array.</summary>
    public static object? Lookup(object? input, string key)
    {
        if (input is JObject obj)
        {
            return obj.TryGetValue(key, out var v) ? v : null;
        }

        if (input is JArray arr)
        {
            var result = JArray.CreateSequence();
            foreach (var item in arr)
            {
                var res = Lookup(item, key);
                if (res == null)
                {
                    continue;
                }

                if (res is JArray inner)
                {
                    result.AddRange(inner);
                }
                else
                {
                    result.Add(res);
                }
            }

            return result;
        }

        return null;
    }

    public static bool DeepEquals(object? lhs, object? rhs)
    {
        Errors.Limits.EnsureStack();
        if (ReferenceEquals(lhs, rhs))
        {
            return true;
        }

        switch (lhs)
        {
            case double a:
                return rhs is double b && a == b;
            case string s:
                return rhs is string t && string.Equals(s, t, StringComparison.Ordinal);
            case bool x:
                return rhs is bool y && x == y;
            case JArray la:
                {
                    if (rhs is not JArray ra || la.Count != ra.Count)
                    {
                        return false;
                    }

                    for (var i = 0; i < la.Count; i++)
                    {
                        if (!DeepEquals(la[i], ra[i]))
                        {
                            return false;
                        }
                    }

                    return true;
                }

            case JObject lo:
                {
                    if (rhs is not JObject ro || lo.Count != ro.Count)
                    {
                        return false;
                    }

                    foreach (var (key, value) in lo)
                    {
                        if (!ro.TryGetValue(key, out var other) || !DeepEquals(value, other))
                        {
                            return false;
                        }
                    }

                    return true;
                }

            default:
                return false;
        }
    }

    /// <summary>Strict (reference) equality of JavaScript's <c>===</c>.</summary>
    public static bool StrictEquals(object? lhs, object? rhs) => lhs switch
    {
        double a => rhs is double b && a == b,
        string s => rhs is string t && string.Equals(s, t, StringComparison.Ordinal),
        bool x => rhs is bool y && x == y,
        _ => ReferenceEquals(lhs, rhs),
    };

    public static Frame FrameFromTuple(Frame env, TupleBinding tuple)
    {
        var frame = new Frame(env);
        foreach (var (key, value) in tuple)
        {
            frame.Bind(key, value);
        }

        return frame;
    }
}
