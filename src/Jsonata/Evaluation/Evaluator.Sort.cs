using Jsonata.Parsing;
using Jsonata.Values;

namespace Jsonata.Evaluation;

internal sealed partial class Evaluator
{
    private JArray EvaluateSort(Node expr, JArray input, Frame env)
    {
        var isTupleSort = input.TupleStream;
        var terms = expr.Terms!;

        bool Comparator(object? a, object? b)
        {
            var comp = 0;
            for (var index = 0; comp == 0 && index < terms.Count; index++)
            {
                var term = terms[index];
                var context = a;
                var termEnv = env;
                if (isTupleSort && a is TupleBinding ta)
                {
                    context = ta.Context;
                    termEnv = Util.FrameFromTuple(env, ta);
                }

                var aa = Evaluate(term.Expression, context, termEnv);
                context = b;
                termEnv = env;
                if (isTupleSort && b is TupleBinding tb)
                {
                    context = tb.Context;
                    termEnv = Util.FrameFromTuple(env, tb);
                }

                var bb = Evaluate(term.Expression, context, termEnv);
                if (aa == null)
                {
                    comp = bb == null ? 0 : 1;
                    continue;
                }

                if (bb == null)
                {
                    comp = -1;
                    continue;
                }

                if (aa is not (string or double) || bb is not (string or double))
                {
                    throw new JsonataException("T2008", expr.Position, null, aa is string or double ? bb : aa);
                }

                int c;
                if (aa is double da && bb is double db)
                {
                    c = da == db ? 0 : (da < db ? -1 : 1);
                }
                else if (aa is string sa && bb is string sb)
                {
                    c = Math.Sign(string.CompareOrdinal(sa, sb));
                }
                else
                {
                    throw new JsonataException("T2007", expr.Position, null, aa) { Value2 = bb };
                }

                if (c == 0)
                {
                    continue;
                }

                comp = term.Descending ? -c : c;
            }

            return comp == 1;
        }

        return Functions.Sorting.MergeSort(input, Comparator);
    }
}
