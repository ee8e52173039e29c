using Jsonata.Parsing;
using Jsonata.Signatures;
using Jsonata.Values;

namespace Jsonata.Evaluation;

internal sealed partial class Evaluator
{
    /// <summary>Marks a <c>?</c> placeholder among the arguments of a partial application.</summary>
    private static readonly object Placeholder = new();

    private static readonly Lazy<Node> ChainAst = new(() => Parser.Parse("function($f, $g) { function($x){ $g($f($x)) } }"));

    private static string? ProcedureName(Node procedure) =>
        procedure.Type == NodeType.Path
            ? procedure.Steps![0].Text
            : procedure.Value switch
            {
                string s => s,
                double d => Json.NumberFormatter.ToJsString(d),
                bool b => b ? "true" : "false",
                _ => null,
            };

    private object? EvaluateFunction(Node expr, object? input, Frame env, bool applyTo, object? context)
    {
        var procedure = expr.Procedure!;
        var proc = Evaluate(procedure, input, env);
        if (proc == null && procedure.Type == NodeType.Path && Functions.HigherOrder.JsTruthy(env.Lookup(procedure.Steps![0].Text)))
        {
            throw new JsonataException("T1005", expr.Position, procedure.Steps[0].Text);
        }

        var argNodes = expr.Arguments!;
        var offset = applyTo ? 1 : 0;
        var args = new object?[argNodes.Count + offset];
        if (applyTo)
        {
            args[0] = context;
        }

        for (var jj = 0; jj < argNodes.Count; jj++)
        {
            args[jj + offset] = Evaluate(argNodes[jj], input, env);
        }

        var procName = ProcedureName(procedure);
        try
        {
            return Apply(proc, args, input, env, procName, expr.Position);
        }
        catch (JsonataException err) when (AnnotateCall(err, expr.Position, procName))
        {
            throw;
        }
    }

    /// <summary>Applies a function value, running the trampoline for tail calls.</summary>
    public object? Apply(object? proc, object?[] args, object? input, Frame env, string? token = null, int position = -1)
    {
        var result = ApplyInner(proc, args, input, env, token, position);
        while (result is Lambda { Thunk: true } thunk)
        {
            var call = thunk.Body;
            var next = Evaluate(call.Procedure!, thunk.Input, thunk.Environment);
            var callArgs = call.Arguments!;
            var evaluatedArgs = new object?[callArgs.Count];
            for (var ii = 0; ii < callArgs.Count; ii++)
            {
                evaluatedArgs[ii] = Evaluate(callArgs[ii], thunk.Input, thunk.Environment);
            }

            result = ApplyInner(next, evaluatedArgs, input, env, ProcedureName(call.Procedure!), call.Procedure!.Position);
        }

        return result;
    }

    private object? ApplyInner(object? proc, object?[] args, object? input, Frame env, string? token, int position)
    {
        try
        {
            var function = proc as JFunction;
            var validated = args;
            if (function?.Signature is { } signature)
            {
                validated = signature.Validate(args, input, env.Context);
            }

            switch (proc)
            {
                case Lambda lambda:
                    return ApplyProcedure(lambda, validated);
                case NativeFunction native:
                    {
                        var result = native.Implementation(new CallContext(this, input, env), validated);
                        env.Context.CheckResult(result, native.Name);
                        return result;
                    }

                case PartialNative partial:
                    return ApplyPartialNative(partial, validated, input, env);
                case RegexMatcher matcher:
                    return Functions.RegexFunctions.MatchObject(matcher, validated.Length > 0 ? validated[0] : null, validated.Length > 1 ? validated[1] : null);
                default:
                    throw new JsonataException("T1006");
            }
        }
        catch (JsonataException err) when (proc != null && AnnotateApply(err, position, token))
        {
            throw;
        }
    }

    private static bool AnnotateCall(JsonataException err, int position, string? procName)
    {
        if (err.Position < 0)
        {
            err.Position = position;
        }

        err.Token ??= procName;
        return false;
    }

    private static bool AnnotateApply(JsonataException err, int position, string? token)
    {
        err.Token ??= token;
        if (position >= 0)
        {
            err.Position = position;
        }

        return false;
    }

    private object? ApplyProcedure(Lambda proc, object?[] args)
    {
        var env = new Frame(proc.Environment);
        var parameters = proc.Parameters;
        for (var i = 0; i < parameters.Count; i++)
        {
            env.Bind(parameters[i].Text, i < args.Length ? args[i] : null);
        }

        return Evaluate(proc.Body, proc.Input, env);
    }

    private object? EvaluateApplyExpression(Node expr, object? input, Frame env)
    {
        var lhs = Evaluate(expr.Lhs!, input, env);
        if (expr.Rhs!.Type == NodeType.Function)
        {
            return EvaluateFunction(expr.Rhs, input, env, true, lhs);
        }

        var func = Evaluate(expr.Rhs, input, env);
        if (func is not JFunction)
        {
            throw new JsonataException("T2006", expr.Position, null, func);
        }

        if (lhs is JFunction)
        {
            var chain = Evaluate(ChainAst.Value, null, env);
            return Apply(chain, [lhs, func], null, env);
        }

        return Apply(func, [lhs], null, env);
    }
}
