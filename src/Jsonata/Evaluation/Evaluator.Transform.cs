using Jsonata.Parsing;
using Jsonata.Signatures;
using Jsonata.Values;

namespace Jsonata.Evaluation;

internal sealed partial class Evaluator
{
    private static readonly Signature TransformSignature = Signature.Parse("<(oa):o>");

    private NativeFunction CreateTransformer(Node expr, Frame env)
    {
        return new NativeFunction("transform", TransformSignature, 1, (in CallContext call, object?[] args) =>
            Transform(expr, env, args.Length > 0 ? args[0] : null));
    }

    private object? Transform(Node expr, Frame env, object? obj)
    {
        if (obj == null)
        {
            return null;
        }

        var cloneFunction = env.Lookup("clone");
        if (cloneFunction is not JFunction)
        {
            throw new JsonataException("T2013", expr.Position);
        }

        var result = Apply(cloneFunction, [obj], null, env);
        var matches = Evaluate(expr.Pattern!, result, env);
        if (matches == null)
        {
            return result;
        }

        var matchList = matches as JArray ?? new JArray { matches };
        foreach (var match in matchList)
        {
            var update = Evaluate(expr.Update!, match, env);
            if (update != null)
            {
                if (update is not JObject updateObj)
                {
                    throw new JsonataException("T2011", expr.Update!.Position, null, update);
                }

                if (match is JObject target)
                {
                    foreach (var (key, value) in updateObj)
                    {
                        target.Set(key, value);
                    }
                }
            }

            if (expr.Delete != null)
            {
                var deletions = Evaluate(expr.Delete, match, env);
                if (deletions != null)
                {
                    var val = deletions;
                    var list = deletions as JArray ?? new JArray { deletions };
                    if (!Util.IsArrayOfStrings(list))
                    {
                        throw new JsonataException("T2012", expr.Delete.Position, null, val);
                    }

                    if (match is JObject target)
                    {
                        foreach (var key in list)
                        {
                            target.RemoveKey((string)key!);
                        }
                    }
                }
            }
        }

        return result;
    }
}
