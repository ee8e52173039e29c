using Jsonata.Functions;
using Jsonata.Parsing;
using Jsonata.Values;

namespace Jsonata.Evaluation;

internal sealed partial class Evaluator
{
    private const double MaxRangeSize = 1e7;

    private object? EvaluateBinary(Node expr, object? input, Frame env)
    {
        var lhs = Evaluate(expr.Lhs!, input, env);
        var op = expr.Text;
        try
        {
            if (op == "and")
            {
                return Boxes.Bool(Util.IsTruthy(lhs) && Util.IsTruthy(Evaluate(expr.Rhs!, input, env)));
            }

            if (op == "or")
            {
                return Boxes.Bool(Util.IsTruthy(lhs) || Util.IsTruthy(Evaluate(expr.Rhs!, input, env)));
            }
        }
        catch (JsonataException err) when (Annotate(err, expr.Position, op))
        {
            throw;
        }

        var rhs = Evaluate(expr.Rhs!, input, env);
        try
        {
            switch (op)
            {
                case "+":
                case "-":
                case "*":
                case "/":
                case "%":
                    return Numeric(lhs, rhs, op[0]);
                case "=":
                    return lhs == null || rhs == null ? Boxes.False : Boxes.Bool(Util.DeepEquals(lhs, rhs));
                case "!=":
                    return lhs == null || rhs == null ? Boxes.False : Boxes.Bool(!Util.DeepEquals(lhs, rhs));
                case "<":
                case "<=":
                case ">":
                case ">=":
                    return Compare(lhs, rhs, op);
                case "&":
                    return Concatenate(lhs, rhs, env.Context);
                case "..":
                    return Range(lhs, rhs, env.Context);
                case "in":
                    return Includes(lhs, rhs);
                default:
                    return null;
            }
        }
        catch (JsonataException err) when (Annotate(err, expr.Position, op))
        {
            throw;
        }
    }

    /// <summary>
    /// Stamps an operator's position and token on an error. Used as an exception filter, so errors
    /// pass up through deep recursion in one dispatch instead of being caught and rethrown at each level.
    /// </summary>
    private static bool Annotate(JsonataException err, int position, string token)
    {
        err.Position = position;
        err.Token = token;
        return false;
    }

    private static object? Numeric(object? lhs, object? rhs, char op)
    {
        if (lhs != null && !Util.IsNumeric(lhs))
        {
            throw new JsonataException("T2001", -1, null, lhs);
        }

        if (rhs != null && !Util.IsNumeric(rhs))
        {
            throw new JsonataException("T2002", -1, null, rhs);
        }

        if (lhs == null || rhs == null)
        {
            return null;
        }

        var l = (double)lhs;
        var r = (double)rhs;
        var result = op switch
        {
            '+' => l + r,
            '-' => l - r,
            '*' => l * r,
            '/' => l / r,
            _ => l % r,
        };
        return Boxes.Number(result);
    }

    private static object? Compare(object? lhs, object? rhs, string op)
    {
        var lcomparable = lhs is null or string or double;
        var rcomparable = rhs is null or string or double;
        if (!lcomparable || !rcomparable)
        {
            throw new JsonataException("T2010", -1, null, lhs is string or double ? rhs : lhs);
        }

        if (lhs == null || rhs == null)
        {
            return null;
        }

        int cmp;
        if (lhs is double l && rhs is double r)
        {
            if (double.IsNaN(l) || double.IsNaN(r))
            {
                return Boxes.False;
            }

            cmp = l.CompareTo(r);
        }
        else if (lhs is string ls && rhs is string rs)
        {
            cmp = string.CompareOrdinal(ls, rs);
        }
        else
        {
            throw new JsonataException("T2009", -1, null, lhs) { Value2 = rhs };
        }

        return Boxes.Bool(op switch
        {
            "<" => cmp < 0,
            "<=" => cmp <= 0,
            ">" => cmp > 0,
            _ => cmp >= 0,
        });
    }

    private static bool IsInteger(object? value) => value is double d && double.IsFinite(d) && Math.Floor(d) == d;

    /// <summary><c>&amp;</c>: both sides as strings, their joint length checked before the result is built.</summary>
    private static string Concatenate(object? lhs, object? rhs, EvalContext ctx)
    {
        var limit = ctx.MaxResultBytes;
        var left = lhs == null ? string.Empty : Builtins.StringOf(lhs, false, limit) ?? string.Empty;
        var right = rhs == null ? string.Empty : Builtins.StringOf(rhs, false, limit) ?? string.Empty;
        ctx.CheckString((long)left.Length + right.Length, "the string & builds");
        return left + right;
    }

    private static object? Range(object? lhs, object? rhs, EvalContext ctx)
    {
        if (lhs != null && !IsInteger(lhs))
        {
            throw new JsonataException("T2003", -1, null, lhs);
        }

        if (rhs != null && !IsInteger(rhs))
        {
            throw new JsonataException("T2004", -1, null, rhs);
        }

        if (lhs == null || rhs == null)
        {
            return null;
        }

        var from = (double)lhs;
        var to = (double)rhs;
        if (from > to)
        {
            return null;
        }

        var size = to - from + 1;
        if (size > MaxRangeSize)
        {
            throw new JsonataException("D2014", -1, null, size);
        }

        ctx.CheckArray((long)size, "the array the range operator (..) builds");

        return JArray.Range(from, (int)size);
    }

    private static object Includes(object? lhs, object? rhs)
    {
        if (lhs == null || rhs == null)
        {
            return Boxes.False;
        }

        if (rhs is JArray arr)
        {
            foreach (var item in arr)
            {
                if (Util.StrictEquals(item, lhs))
                {
                    return Boxes.True;
                }
            }

            return Boxes.False;
        }

        return Boxes.Bool(Util.StrictEquals(rhs, lhs));
    }

    private object? EvaluateUnary(Node expr, object? input, Frame env)
    {
        switch (expr.Text)
        {
            case "-":
                {
                    var result = Evaluate(expr.Expression!, input, env);
                    if (result == null)
                    {
                        return null;
                    }

                    if (Util.IsNumeric(result))
                    {
                        return -(double)result;
                    }

                    throw new JsonataException("D1002", expr.Position, expr.Text, result);
                }

            case "[":
                {
                    var result = new JArray();
                    var items = expr.Expressions!;
                    var ctx = env.Context;
                    for (var ii = 0; ii < items.Count; ii++)
                    {
                        var item = items[ii];

                        // the reference evaluates the items after the first concurrently and leaves them out of its depth count
                        if (ii > 0)
                        {
                            ctx.Parallel++;
                        }

                        object? value;
                        try
                        {
                            value = Evaluate(item, input, env);
                        }
                        finally
                        {
                            if (ii > 0)
                            {
                                ctx.Parallel--;
                            }
                        }

                        if (value == null)
                        {
                            continue;
                        }

                        if (item.Type == NodeType.Unary && item.Text == "[")
                        {
                            result.Add(value);
                        }
                        else if (value is JArray arr)
                        {
                            // constructors can double an array at every step of a loop: checked before it grows
                            ctx.CheckArray((long)result.Count + arr.Count, "the array a constructor [...] builds");
                            result.AddRange(arr);
                        }
                        else
                        {
                            result.Add(value);
                        }
                    }

                    if (expr.ConsArray)
                    {
                        result.Cons = true;
                    }

                    return result;
                }

            case "{":
                return EvaluateGroup(expr.ObjectSpec!, input, env);
            default:
                return null;
        }
    }
}
