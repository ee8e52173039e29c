using System.Runtime.CompilerServices;
using Jsonata.Parsing;
using Jsonata.Values;

namespace Jsonata.Evaluation;

/// <summary>
/// Tree-walking evaluator. It holds no state of its own: everything specific to one evaluation lives
/// in the <see cref="Frame"/> chain and its <see cref="EvalContext"/>.
/// </summary>
internal sealed partial class Evaluator
{
    public static readonly Evaluator Instance = new();

    private Evaluator()
    {
    }

    public object? Evaluate(Node expr, object? input, Frame env)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            return StackHop.Continue(this, expr, input, env);
        }

        return EvaluateNode(expr, input, env);
    }

    internal object? EvaluateNode(Node expr, object? input, Frame env)
    {
        var ctx = env.Context;
        if (ctx.Guarded)
        {
            ctx.Enter();
        }

        object? result;
        switch (expr.Type)
        {
            case NodeType.Path:
                result = EvaluatePath(expr, input, env);
                break;
            case NodeType.Binary:
                result = EvaluateBinary(expr, input, env);
                break;
            case NodeType.Unary:
                result = EvaluateUnary(expr, input, env);
                break;
            case NodeType.Name:
                result = Util.Lookup(input, expr.Text);
                break;
            case NodeType.String:
            case NodeType.Number:
            case NodeType.Value:
                result = expr.Value;
                break;
            case NodeType.Wildcard:
                result = EvaluateWildcard(input);
                break;
            case NodeType.Descendant:
                result = EvaluateDescendants(input);
                break;
            case NodeType.Parent:
                result = env.Lookup(expr.Slot!.Label);
                break;
            case NodeType.Condition:
                {
                    var condition = Evaluate(expr.Condition!, input, env);
                    if (Util.IsTruthy(condition))
                    {
                        result = Evaluate(expr.Then!, input, env);
                    }
                    else
                    {
                        result = expr.Else != null ? Evaluate(expr.Else, input, env) : null;
                    }

                    break;
                }

            case NodeType.Block:
                {
                    result = null;
                    var frame = new Frame(env);
                    foreach (var e in expr.Expressions!)
                    {
                        result = Evaluate(e, input, frame);
                    }

                    break;
                }

            case NodeType.Bind:
                result = Evaluate(expr.Rhs!, input, env);
                env.Bind(expr.Lhs!.Text, result);
                break;
            case NodeType.Regex:
                result = new RegexMatcher((RegexLiteral)expr.Value!, expr.Position);
                break;
            case NodeType.Function:
                result = EvaluateFunction(expr, input, env, false, null);
                break;
            case NodeType.Variable:
                if (expr.Text.Length == 0)
                {
                    result = input is JArray { OuterWrapper: true } wrapped ? wrapped[0] : input;
                }
                else
                {
                    result = env.Lookup(expr.Text);
                }

                break;
            case NodeType.Lambda:
                result = new Lambda(expr, input, env, expr.Arguments!, expr.Body!, expr.Signature, expr.Thunk);
                break;
            case NodeType.Partial:
                result = EvaluatePartialApplication(expr, input, env);
                break;
            case NodeType.Apply:
                result = EvaluateApplyExpression(expr, input, env);
                break;
            case NodeType.Transform:
                result = CreateTransformer(expr, env);
                break;
            default:
                result = null;
                break;
        }

        if (expr.Predicate != null)
        {
            foreach (var stage in expr.Predicate)
            {
                result = EvaluateFilter(stage.Expr!, result, env);
            }
        }

        if (expr.Type != NodeType.Path && expr.Group != null)
        {
            result = EvaluateGroup(expr.Group, result, env);
        }

        if (ctx.Guarded)
        {
            ctx.Exit();
        }

        if (result is JArray { Sequence: true, TupleStream: false } seq)
        {
            if (expr.KeepArray)
            {
                seq.KeepSingleton = true;
            }

            if (seq.Count == 0)
            {
                result = null;
            }
            else if (seq.Count == 1)
            {
                result = seq.KeepSingleton ? seq : seq[0];
            }
        }

        return result;
    }

    private object? EvaluatePath(Node expr, object? input, Frame env)
    {
        var steps = expr.Steps!;
        if (expr.SimpleNames && input is JObject && !env.Context.Guarded && TryNamePath(steps, input, out var direct))
        {
            return direct;
        }

        JArray inputSequence = input is JArray arr && steps[0].Type != NodeType.Variable
            ? arr
            : JArray.CreateSequence(input);

        object? resultSequence = null;
        var isTupleStream = false;
        JArray? tupleBindings = null;

        for (var ii = 0; ii < steps.Count; ii++)
        {
            var step = steps[ii];
            if (step.Tuple)
            {
                isTupleStream = true;
            }

            if (ii == 0 && step.ConsArray)
            {
                resultSequence = Evaluate(step, inputSequence, env);
            }
            else if (isTupleStream)
            {
                tupleBindings = EvaluateTupleStep(step, inputSequence, tupleBindings, env);
            }
            else
            {
                resultSequence = EvaluateStep(step, inputSequence, env, ii == steps.Count - 1);
            }

            if (!isTupleStream && (resultSequence == null || resultSequence is JArray { Count: 0 } || resultSequence is ""))
            {
                break;
            }

            if (step.Focus == null)
            {
                // A first step that yields a single value (not an array) is iterated the way the reference
                // iterates it: a string by its UTF-16 units, anything else as having no items.
                inputSequence = resultSequence switch
                {
                    JArray arr2 => arr2,
                    string str => CharSequence(str),
                    _ => JArray.CreateSequence(),
                };
            }
        }

        if (isTupleStream)
        {
            if (expr.Tuple)
            {
                resultSequence = tupleBindings;
            }
            else
            {
                var values = JArray.CreateSequence();
                if (tupleBindings != null)
                {
                    foreach (var t in tupleBindings)
                    {
                        values.Add(((TupleBinding)t!).Context);
                    }
                }

                resultSequence = values;
            }
        }

        if (expr.KeepSingletonArray)
        {
            if (resultSequence is JArray { Cons: true, Sequence: false } consArr)
            {
                resultSequence = JArray.CreateSequence(consArr);
            }

            if (resultSequence is JArray keep)
            {
                keep.KeepSingleton = true;
            }
        }

        if (expr.Group != null)
        {
            resultSequence = EvaluateGroup(expr.Group, isTupleStream ? tupleBindings : resultSequence, env);
        }

        return resultSequence;
    }

    /// <summary>
    /// Follows a path made only of plain field names through nested objects without building
    /// intermediate sequences. Declines as soon as an array is met, leaving it to the general algorithm.
    /// </summary>
    private static bool TryNamePath(List<Node> steps, object? input, out object? result)
    {
        var current = input;
        for (var i = 0; i < steps.Count; i++)
        {
            if (current is not JObject obj)
            {
                result = null;
                return current is not JArray;
            }

            if (!obj.TryGetValue(steps[i].Text, out current) || current == null)
            {
                result = null;
                return true;
            }

            if (current is JArray arr && (i < steps.Count - 1 || arr.Sequence))
            {
                result = null;
                return false;
            }
        }

        result = current;
        return true;
    }

    private static JArray CharSequence(string str)
    {
        var seq = new JArray(str.Length) { Sequence = true };
        foreach (var c in str)
        {
            seq.Add(c.ToString());
        }

        return seq;
    }

    private object? EvaluateStep(Node expr, JArray input, Frame env, bool lastStep)
    {
        if (expr.Type == NodeType.Sort)
        {
            var sorted = EvaluateSort(expr, input, env);
            if (expr.Stages != null)
            {
                return EvaluateStages(expr.Stages, sorted, env);
            }

            return sorted;
        }

        var resultSequence = JArray.CreateSequence();
        object? single = null;
        var count = 0;
        for (var ii = 0; ii < input.Count; ii++)
        {
            var res = Evaluate(expr, input[ii], env);
            if (expr.Stages != null)
            {
                foreach (var stage in expr.Stages)
                {
                    res = EvaluateFilter(stage.Expr!, res, env);
                }
            }

            if (res == null)
            {
                continue;
            }

            count++;
            single = res;
            if (res is JArray resArr && !resArr.Cons)
            {
                resultSequence.AddRange(resArr);
            }
            else
            {
                resultSequence.Add(res);
            }
        }

        if (lastStep && count == 1 && single is JArray { Sequence: false } only)
        {
            return only;
        }

        return resultSequence;
    }

    private JArray EvaluateStages(List<Stage> stages, JArray input, Frame env)
    {
        var result = input;
        foreach (var stage in stages)
        {
            if (stage.IsIndex)
            {
                for (var ee = 0; ee < result.Count; ee++)
                {
                    if (result[ee] is TupleBinding tuple)
                    {
                        tuple[stage.Variable!] = Boxes.Number(ee);
                    }
                }
            }
            else
            {
                result = EvaluateFilter(stage.Expr!, result, env);
            }
        }

        return result;
    }

    private JArray EvaluateTupleStep(Node expr, JArray input, JArray? tupleBindings, Frame env)
    {
        JArray result;
        if (expr.Type == NodeType.Sort)
        {
            if (tupleBindings != null)
            {
                result = EvaluateSort(expr, tupleBindings, env);
            }
            else
            {
                var sorted = EvaluateSort(expr, input, env);
                result = JArray.CreateSequence();
                result.TupleStream = true;
                for (var ss = 0; ss < sorted.Count; ss++)
                {
                    var tuple = new TupleBinding { Context = sorted[ss] };
                    if (expr.Index != null)
                    {
                        tuple[expr.Index] = Boxes.Number(ss);
                    }

                    result.Add(tuple);
                }
            }

            if (expr.Stages != null)
            {
                result = EvaluateStages(expr.Stages, result, env);
            }

            return result;
        }

        result = JArray.CreateSequence();
        result.TupleStream = true;
        if (tupleBindings == null)
        {
            tupleBindings = new JArray(input.Count);
            foreach (var item in input)
            {
                tupleBindings.Add(new TupleBinding { Context = item });
            }
        }

        foreach (var tbObj in tupleBindings)
        {
            var tb = (TupleBinding)tbObj!;
            var stepEnv = Util.FrameFromTuple(env, tb);
            var res = Evaluate(expr, tb.Context, stepEnv);
            if (res == null)
            {
                continue;
            }

            var resArr = res as JArray ?? new JArray { res };
            for (var bb = 0; bb < resArr.Count; bb++)
            {
                var tuple = new TupleBinding(tb);
                if (resArr.TupleStream)
                {
                    foreach (var (k, v) in (TupleBinding)resArr[bb]!)
                    {
                        tuple[k] = v;
                    }
                }
                else
                {
                    if (expr.Focus != null)
                    {
                        tuple[expr.Focus] = resArr[bb];
                        tuple.Context = tb.Context;
                    }
                    else
                    {
                        tuple.Context = resArr[bb];
                    }

                    if (expr.Index != null)
                    {
                        tuple[expr.Index] = Boxes.Number(bb);
                    }

                    if (expr.Ancestor != null)
                    {
                        tuple[expr.Ancestor.Label] = tb.Context;
                    }
                }

                result.Add(tuple);
            }
        }

        if (expr.Stages != null)
        {
            result = EvaluateStages(expr.Stages, result, env);
        }

        return result;
    }

    private JArray EvaluateFilter(Node predicate, object? input, Frame env)
    {
        var results = JArray.CreateSequence();
        var inputArr = input as JArray;
        if (inputArr is { TupleStream: true })
        {
            results.TupleStream = true;
        }

        inputArr ??= JArray.CreateSequence(input);
        if (predicate.Type == NodeType.Number)
        {
            var index = Math.Floor((double)predicate.Value!);
            if (index < 0)
            {
                index = inputArr.Count + index;
            }

            var item = index >= 0 && index < inputArr.Count ? inputArr[(int)index] : null;
            if (item != null)
            {
                if (item is JArray itemArr)
                {
                    return itemArr;
                }

                results.Add(item);
            }

            return results;
        }

        for (var index = 0; index < inputArr.Count; index++)
        {
            var item = inputArr[index];
            var context = item;
            var itemEnv = env;
            if (inputArr.TupleStream && item is TupleBinding tuple)
            {
                context = tuple.Context;
                itemEnv = Util.FrameFromTuple(env, tuple);
            }

            var res = Evaluate(predicate, context, itemEnv);
            if (Util.IsNumeric(res))
            {
                if (Matches(res, index, inputArr.Count))
                {
                    results.Add(item);
                }
            }
            else if (Util.IsArrayOfNumbers(res))
            {
                foreach (var ires in (JArray)res!)
                {
                    if (Matches(ires, index, inputArr.Count))
                    {
                        results.Add(item);
                    }
                }
            }
            else if (Util.IsTruthy(res))
            {
                results.Add(item);
            }
        }

        return results;

        static bool Matches(object? value, int index, int count)
        {
            var ii = Math.Floor((double)value!);
            if (ii < 0)
            {
                ii = count + ii;
            }

            return ii == index;
        }
    }
}
