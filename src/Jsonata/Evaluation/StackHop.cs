using System.Runtime.ExceptionServices;
using Jsonata.Parsing;

namespace Jsonata.Evaluation;

/// <summary>
/// Deeply nested (non-tail) recursion would overflow the thread's stack, which kills the process.
/// When the stack runs low, evaluation continues on a fresh thread with a large stack while the
/// current thread waits; after a bounded number of such hops it fails with <c>U1001</c> instead.
/// </summary>
internal static class StackHop
{
    private const int HopStackSize = 16 * 1024 * 1024;
    private const int MaxHops = 2;

    public static object? Continue(Evaluator evaluator, Node expr, object? input, Frame env)
    {
        var ctx = env.Context;
        if (ctx.StackHops >= MaxHops)
        {
            throw new JsonataException("U1001", expr.Position);
        }

        ctx.StackHops++;
        object? result = null;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    result = evaluator.EvaluateNode(expr, input, env);
                }
                catch (Exception ex)
                {
                    failure = ExceptionDispatchInfo.Capture(ex);
                }
            },
            HopStackSize);
        thread.Start();
        thread.Join();
        ctx.StackHops--;
        failure?.Throw();
        return result;
    }
}
