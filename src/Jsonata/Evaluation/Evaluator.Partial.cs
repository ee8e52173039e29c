using Jsonata.Parsing;
using Jsonata.Values;

namespace Jsonata.Evaluation;

internal sealed partial class Evaluator
{
    private object? EvaluatePartialApplication(Node expr, object? input, Frame env)
    {
        var argNodes = expr.Arguments!;
        var args = new object?[argNodes.Count];
        for (var ii = 0; ii < argNodes.Count; ii++)
        {
            var arg = argNodes[ii];
            args[ii] = arg.Type == NodeType.Operator && arg.Text == "?" ? Placeholder : Evaluate(arg, input, env);
        }

        var procedure = expr.Procedure!;
        var proc = Evaluate(procedure, input, env);
        if (proc == null && procedure.Type == NodeType.Path && Functions.HigherOrder.JsTruthy(env.Lookup(procedure.Steps![0].Text)))
        {
            throw new JsonataException("T1007", expr.Position, procedure.Steps[0].Text);
        }

        switch (proc)
        {
            case Lambda lambda:
                {
                    var frame = new Frame(lambda.Environment);
                    var unbound = new List<Node>();
                    for (var i = 0; i < lambda.Parameters.Count; i++)
                    {
                        var arg = i < args.Length ? args[i] : null;
                        if (ReferenceEquals(arg, Placeholder))
                        {
                            unbound.Add(lambda.Parameters[i]);
                        }
                        else
                        {
                            frame.Bind(lambda.Parameters[i].Text, arg);
                        }
                    }

                    return new Lambda(lambda.Node, lambda.Input, frame, unbound, lambda.Body, null, false);
                }

            case NativeFunction native:
                {
                    var count = Math.Max(native.DeclaredParameters, args.Length);
                    var bound = new object?[count];
                    var holes = new bool[count];
                    for (var i = 0; i < count; i++)
                    {
                        var arg = i < args.Length ? args[i] : null;
                        holes[i] = ReferenceEquals(arg, Placeholder);
                        bound[i] = holes[i] ? null : arg;
                    }

                    return new PartialNative(native, bound, holes);
                }

            case PartialNative partial:
                {
                    var bound = (object?[])partial.BoundArgs.Clone();
                    var holes = (bool[])partial.Holes.Clone();
                    var next = 0;
                    for (var i = 0; i < holes.Length; i++)
                    {
                        if (!holes[i])
                        {
                            continue;
                        }

                        var arg = next < args.Length ? args[next] : null;
                        next++;
                        if (!ReferenceEquals(arg, Placeholder))
                        {
                            holes[i] = false;
                            bound[i] = arg;
                        }
                    }

                    return new PartialNative(partial.Target, bound, holes);
                }

            default:
                throw new JsonataException("T1008", expr.Position, ProcedureName(procedure));
        }
    }

    private object? ApplyPartialNative(PartialNative partial, object?[] args, object? input, Frame env)
    {
        var full = new object?[partial.BoundArgs.Length];
        var next = 0;
        for (var i = 0; i < full.Length; i++)
        {
            full[i] = partial.Holes[i] ? (next < args.Length ? args[next++] : null) : partial.BoundArgs[i];
        }

        var target = partial.Target;
        var validated = target.Signature is { } sig ? sig.Validate(TrimTrailingUndefined(full), null, env.Context) : full;
        var result = target.Implementation(new CallContext(this, input, env), validated);
        env.Context.CheckResult(result, target.Name);
        return result;
    }

    private static object?[] TrimTrailingUndefined(object?[] args)
    {
        var n = args.Length;
        while (n > 0 && args[n - 1] == null)
        {
            n--;
        }

        return n == args.Length ? args : args[..n];
    }
}
