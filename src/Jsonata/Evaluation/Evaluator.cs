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
                result = new RegexMatcher((RegexLiteral)expr.Value!, expr.Position, env.Context);
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
}
