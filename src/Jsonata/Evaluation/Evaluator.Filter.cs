using Jsonata.Parsing;
using Jsonata.Values;

namespace Jsonata.Evaluation;

internal sealed partial class Evaluator
{
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
