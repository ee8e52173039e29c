
namespace Jsonata.Parsing;

internal sealed partial class AstProcessor
{
    /// <summary>
    /// Flags paths that consist only of plain names, once the whole tree is final. Walks with a stack of its own
    /// rather than recursion, since the tree may be as deep as the nesting limit allows.
    /// </summary>
    private static void MarkSimplePaths(Node root)
    {
        var visited = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<Node>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            if (!visited.Add(node))
            {
                continue;
            }

            if (node.Type == NodeType.Path)
            {
                node.SimpleNames = !node.KeepSingletonArray && node.Group == null && !node.Tuple && node.SeekingParent == null &&
                    node.Steps!.All(s => s.Type == NodeType.Name && s.Stages == null && s.Predicate == null && s.Group == null &&
                        !s.Tuple && s.Focus == null && s.Index == null && s.Ancestor == null && !s.KeepArray);
            }

            foreach (var child in Children(node))
            {
                if (child != null)
                {
                    pending.Push(child);
                }
            }
        }
    }

    private static IEnumerable<Node?> Children(Node node)
    {
        yield return node.Lhs;
        yield return node.Rhs;
        yield return node.Expression;
        yield return node.Procedure;
        yield return node.Body;
        yield return node.Condition;
        yield return node.Then;
        yield return node.Else;
        yield return node.Pattern;
        yield return node.Update;
        yield return node.Delete;
        foreach (var list in new[] { node.Expressions, node.Steps, node.Arguments })
        {
            if (list != null)
            {
                foreach (var n in list)
                {
                    yield return n;
                }
            }
        }

        foreach (var pairs in new[] { node.Pairs, node.Group?.Pairs, node.ObjectSpec?.Pairs })
        {
            if (pairs != null)
            {
                foreach (var (k, v) in pairs)
                {
                    yield return k;
                    yield return v;
                }
            }
        }

        foreach (var stages in new[] { node.Predicate, node.Stages })
        {
            if (stages != null)
            {
                foreach (var st in stages)
                {
                    yield return st.Expr;
                }
            }
        }

        if (node.Terms != null)
        {
            foreach (var t in node.Terms)
            {
                yield return t.Expression;
            }
        }
    }

    private static Node TailCallOptimize(Node expr)
    {
        if (!System.Runtime.CompilerServices.RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw Errors.Limits.ExpressionTooDeep(expr.Position);
        }

        if (expr.Type == NodeType.Function && expr.Predicate == null)
        {
            return new Node(NodeType.Lambda, null, expr.Position) { Thunk = true, Arguments = [], Body = expr };
        }

        if (expr.Type == NodeType.Condition)
        {
            expr.Then = TailCallOptimize(expr.Then!);
            if (expr.Else != null)
            {
                expr.Else = TailCallOptimize(expr.Else);
            }

            return expr;
        }

        if (expr.Type == NodeType.Block)
        {
            var n = expr.Expressions!.Count;
            if (n > 0)
            {
                expr.Expressions[n - 1] = TailCallOptimize(expr.Expressions[n - 1]);
            }
        }

        return expr;
    }
}
