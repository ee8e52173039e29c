using Jsonata.Values;

namespace Jsonata.Evaluation;

internal sealed partial class Evaluator
{
    private static object? EvaluateWildcard(object? input)
    {
        object? results = JArray.CreateSequence();
        if (input is JArray { OuterWrapper: true, Count: > 0 } wrapped)
        {
            input = wrapped[0];
        }

        IEnumerable<object?>? values = input switch
        {
            JObject obj => obj.Values,
            JArray arr => arr,
            _ => null,
        };
        if (values == null)
        {
            return results;
        }

        foreach (var value in values)
        {
            if (value is JArray arr)
            {
                results = Util.Append(results, Util.Flatten(arr));
            }
            else
            {
                ((JArray)results!).Add(value);
            }
        }

        return results;
    }

    private static object? EvaluateDescendants(object? input)
    {
        if (input == null)
        {
            return null;
        }

        var resultSequence = JArray.CreateSequence();
        RecurseDescendants(input, resultSequence);
        return resultSequence.Count == 1 ? resultSequence[0] : resultSequence;
    }

    private static void RecurseDescendants(object? input, JArray results)
    {
        Errors.Limits.EnsureStack();
        if (input is JArray arr)
        {
            foreach (var member in arr)
            {
                RecurseDescendants(member, results);
            }

            return;
        }

        results.Add(input);
        if (input is JObject obj)
        {
            foreach (var value in obj.Values)
            {
                RecurseDescendants(value, results);
            }
        }
    }
}
