using Jsonata.Parsing;
using Jsonata.Values;

namespace Jsonata.Evaluation;

internal sealed partial class Evaluator
{
    private object? EvaluatePath(Node expr, object? input, Frame env)
    {
        var steps = expr.Steps!;
        // under guards the shortcut is taken only where the steps' own nesting level could not exceed the depth limit
        if (expr.SimpleNames && input is JObject && (!env.Context.Guarded || env.Context.CanNestOnce) && TryNamePath(steps, input, out var direct))
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
}
