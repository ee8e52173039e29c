using Jsonata.Parsing;
using Jsonata.Values;

namespace Jsonata.Evaluation;

internal sealed partial class Evaluator
{
    private sealed class GroupEntry
    {
        public GroupEntry(object? data, int exprIndex)
        {
            Data = data;
            ExprIndex = exprIndex;
        }

        public object? Data;

        public int ExprIndex { get; }
    }

    private JObject EvaluateGroup(GroupSpec expr, object? input, Frame env)
    {
        if (input is not JArray && TryEvaluateSingleObject(expr, input, env, out var single))
        {
            return single;
        }

        var result = new JObject();
        var groups = new JObject();
        var inputArr = input as JArray;
        var reduce = inputArr is { TupleStream: true };
        if (inputArr == null)
        {
            inputArr = JArray.CreateSequence(input);
        }
        else if (inputArr.Count == 0 && !reduce)
        {
            // an empty input still produces one evaluation, so literal objects are built
            inputArr = JArray.CreateSequence(null);
        }

        foreach (var item in inputArr)
        {
            var tuple = reduce ? item as TupleBinding : null;
            var itemEnv = tuple != null ? Util.FrameFromTuple(env, tuple) : env;
            for (var pairIndex = 0; pairIndex < expr.Pairs.Count; pairIndex++)
            {
                var key = Evaluate(expr.Pairs[pairIndex].Key, tuple != null ? tuple.Context : item, itemEnv);
                if (key == null)
                {
                    continue;
                }

                if (key is not string keyStr)
                {
                    throw new JsonataException("T1003", expr.Position, null, key);
                }

                if (groups.TryGetValue(keyStr, out var existing))
                {
                    var entry = (GroupEntry)existing!;
                    if (entry.ExprIndex != pairIndex)
                    {
                        throw new JsonataException("D1009", expr.Position, null, keyStr);
                    }

                    entry.Data = Util.Append(entry.Data, item);
                }
                else
                {
                    groups.Set(keyStr, new GroupEntry(item, pairIndex));
                }
            }
        }

        var ctx = env.Context;
        var idx = 0;
        foreach (var (key, value) in groups)
        {
            var entry = (GroupEntry)value!;
            var context = entry.Data;
            var groupEnv = env;
            if (reduce)
            {
                var tuple = ReduceTupleStream(entry.Data);
                context = tuple.Context;
                tuple.Remove(TupleBinding.ContextKey);
                groupEnv = Util.FrameFromTuple(env, tuple);
            }

            if (idx > 0)
            {
                ctx.Parallel++;
            }

            object? res;
            try
            {
                res = Evaluate(expr.Pairs[entry.ExprIndex].Value, context, groupEnv);
            }
            finally
            {
                if (idx > 0)
                {
                    ctx.Parallel--;
                }
            }

            if (res != null)
            {
                result.Set(key, res);
            }

            idx++;
        }

        return result;
    }

    /// <summary>
    /// The common case of an object constructor applied to one item: the same evaluation order and errors
    /// as the grouping algorithm, without building the groups.
    /// </summary>
    private bool TryEvaluateSingleObject(GroupSpec expr, object? input, Frame env, out JObject result)
    {
        var pairs = expr.Pairs;
        var keys = new string?[pairs.Count];
        var hasIndexLikeKey = false;
        for (var i = 0; i < pairs.Count; i++)
        {
            var key = Evaluate(pairs[i].Key, input, env);
            if (key == null)
            {
                continue;
            }

            if (key is not string keyStr)
            {
                throw new JsonataException("T1003", expr.Position, null, key);
            }

            for (var j = 0; j < i; j++)
            {
                if (keys[j] != null && string.Equals(keys[j], keyStr, StringComparison.Ordinal))
                {
                    throw new JsonataException("D1009", expr.Position, null, keyStr);
                }
            }

            if (keyStr.Length > 0 && char.IsAsciiDigit(keyStr[0]))
            {
                hasIndexLikeKey = true;
            }

            keys[i] = keyStr;
        }

        // values are evaluated in the order JavaScript enumerates the keys: array-index-like keys first
        IEnumerable<int> order = Enumerable.Range(0, pairs.Count);
        if (hasIndexLikeKey)
        {
            var sorted = new JObject();
            for (var i = 0; i < pairs.Count; i++)
            {
                if (keys[i] != null)
                {
                    sorted.Set(keys[i]!, i);
                }
            }

            order = sorted.Values.Select(v => (int)v!);
        }

        result = new JObject(pairs.Count);
        var ctx = env.Context;
        var idx = 0;
        foreach (var i in order)
        {
            if (keys[i] == null)
            {
                continue;
            }

            if (idx > 0)
            {
                ctx.Parallel++;
            }

            object? value;
            try
            {
                value = Evaluate(pairs[i].Value, input, env);
            }
            finally
            {
                if (idx > 0)
                {
                    ctx.Parallel--;
                }
            }

            if (value != null)
            {
                result.Set(keys[i]!, value);
            }

            idx++;
        }

        return true;
    }

    private static TupleBinding ReduceTupleStream(object? tupleStream)
    {
        if (tupleStream is not JArray arr)
        {
            return new TupleBinding((TupleBinding)tupleStream!);
        }

        var result = new TupleBinding((TupleBinding)arr[0]!);
        for (var ii = 1; ii < arr.Count; ii++)
        {
            foreach (var (prop, value) in (TupleBinding)arr[ii]!)
            {
                result[prop] = Util.Append(result.TryGetValue(prop, out var existing) ? existing : null, value);
            }
        }

        return result;
    }
}
