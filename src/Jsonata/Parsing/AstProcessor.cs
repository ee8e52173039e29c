namespace Jsonata.Parsing;

/// <summary>
/// Turns the raw parse tree into the evaluation tree: location paths become arrays of steps with
/// stages, predicates and group-bys attach to steps, parent operators are resolved to the steps that
/// bind their ancestors, and tail calls in lambda bodies are turned into thunks.
/// </summary>
internal sealed partial class AstProcessor
{
    private int _ancestorLabel;
    private int _ancestorIndex;
    private readonly List<Node> _ancestry = [];
    private int _depth;

    public Node Process(Node expr)
    {
        var result = ProcessNode(expr);
        MarkSimplePaths(result);
        if (result.Type == NodeType.Parent || result.SeekingParent != null)
        {
            throw new JsonataException("S0217", result.Position, TypeName(result.Type));
        }

        return result;
    }

    internal static string TypeName(NodeType type) => type switch
    {
        NodeType.Parent => "parent",
        NodeType.Binary => "binary",
        NodeType.Unary => "unary",
        NodeType.Function => "function",
        NodeType.Partial => "partial",
        NodeType.Lambda => "lambda",
        NodeType.Condition => "condition",
        NodeType.Block => "block",
        NodeType.Transform => "transform",
        NodeType.Path => "path",
        NodeType.Bind => "bind",
        NodeType.Apply => "apply",
        NodeType.Sort => "sort",
        NodeType.String => "string",
        NodeType.Number => "number",
        NodeType.Value => "value",
        NodeType.Variable => "variable",
        NodeType.Regex => "regex",
        NodeType.Descendant => "descendant",
        NodeType.Wildcard => "wildcard",
        NodeType.Name => "name",
        _ => "operator",
    };

    /// <summary>
    /// Every recursion over the raw tree passes here. The parser bounds its own recursion, but operator chains
    /// (<c>1+1+1...</c>, long paths) build trees deeper than the parser ever nests, so the depth is counted again.
    /// </summary>
    private Node ProcessNode(Node expr)
    {
        if (++_depth > Errors.Limits.MaxExpressionNesting || !System.Runtime.CompilerServices.RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw Errors.Limits.ExpressionTooDeep(expr.Position);
        }

        var result = ProcessNodeCore(expr);
        _depth--;
        return result;
    }

    private Node ProcessNodeCore(Node expr)
    {
        Node result;
        switch (expr.Type)
        {
            case NodeType.Binary:
                result = ProcessBinary(expr);
                break;
            case NodeType.Unary:
                result = new Node(NodeType.Unary, expr.Value, expr.Position);
                if (expr.Text == "[")
                {
                    result.Expressions = [];
                    foreach (var item in expr.Expressions!)
                    {
                        var value = ProcessNode(item);
                        PushAncestry(result, value);
                        result.Expressions.Add(value);
                    }
                }
                else if (expr.Text == "{")
                {
                    result.Pairs = [];
                    foreach (var (k, v) in expr.Pairs!)
                    {
                        var key = ProcessNode(k);
                        PushAncestry(result, key);
                        var value = ProcessNode(v);
                        PushAncestry(result, value);
                        result.Pairs.Add((key, value));
                    }

                    result.ObjectSpec = new GroupSpec(result.Pairs, result.Position);
                }
                else
                {
                    result.Expression = ProcessNode(expr.Expression!);
                    if (expr.Text == "-" && result.Expression.Type == NodeType.Number)
                    {
                        result = result.Expression;
                        result.Value = -(double)result.Value!;
                    }
                    else
                    {
                        PushAncestry(result, result.Expression);
                    }
                }

                break;
            case NodeType.Function:
            case NodeType.Partial:
                result = new Node(expr.Type, expr.Value, expr.Position) { Arguments = [] };
                foreach (var arg in expr.Arguments!)
                {
                    var argAst = ProcessNode(arg);
                    PushAncestry(result, argAst);
                    result.Arguments.Add(argAst);
                }

                result.Procedure = ProcessNode(expr.Procedure!);
                break;
            case NodeType.Lambda:
                {
                    result = new Node(NodeType.Lambda, null, expr.Position)
                    {
                        Arguments = expr.Arguments,
                        Signature = expr.Signature,
                    };
                    var body = ProcessNode(expr.Body!);
                    result.Body = TailCallOptimize(body);
                    break;
                }

            case NodeType.Condition:
                result = new Node(NodeType.Condition, null, expr.Position);
                result.Condition = ProcessNode(expr.Condition!);
                PushAncestry(result, result.Condition);
                result.Then = ProcessNode(expr.Then!);
                PushAncestry(result, result.Then);
                if (expr.Else != null)
                {
                    result.Else = ProcessNode(expr.Else);
                    PushAncestry(result, result.Else);
                }

                break;
            case NodeType.Transform:
                result = new Node(NodeType.Transform, null, expr.Position);
                result.Pattern = ProcessNode(expr.Pattern!);
                result.Update = ProcessNode(expr.Update!);
                if (expr.Delete != null)
                {
                    result.Delete = ProcessNode(expr.Delete);
                }

                break;
            case NodeType.Block:
                result = new Node(NodeType.Block, null, expr.Position) { Expressions = [] };
                foreach (var item in expr.Expressions!)
                {
                    var part = ProcessNode(item);
                    PushAncestry(result, part);
                    if (part.ConsArray || (part.Type == NodeType.Path && part.Steps![0].ConsArray))
                    {
                        result.ConsArray = true;
                    }

                    result.Expressions.Add(part);
                }

                break;
            case NodeType.Name:
                result = new Node(NodeType.Path, null, expr.Position) { Steps = [expr] };
                if (expr.KeepArray)
                {
                    result.KeepSingletonArray = true;
                }

                break;
            case NodeType.Parent:
                result = new Node(NodeType.Parent, null, expr.Position)
                {
                    Slot = new Slot { Label = "!" + _ancestorLabel++, Level = 1, Index = _ancestorIndex++ },
                };
                _ancestry.Add(result);
                break;
            case NodeType.String:
            case NodeType.Number:
            case NodeType.Value:
            case NodeType.Wildcard:
            case NodeType.Descendant:
            case NodeType.Variable:
            case NodeType.Regex:
                result = expr;
                break;
            case NodeType.Operator:
                if (expr.Text is "and" or "or" or "in")
                {
                    expr.Type = NodeType.Name;
                    result = ProcessNode(expr);
                }
                else if (expr.Text == "?")
                {
                    result = expr;
                }
                else
                {
                    throw new JsonataException("S0201", expr.Position, expr.Text);
                }

                break;
            case NodeType.End:
                throw new JsonataException("S0207", expr.Position, "(end)");
            default:
                throw new JsonataException("S0206", expr.Position, expr.Text);
        }

        if (expr.KeepArray)
        {
            result.KeepArray = true;
        }

        return result;
    }
}
