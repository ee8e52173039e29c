
namespace Jsonata.Parsing;

internal sealed partial class Parser
{
    private Node Nud(Node t)
    {
        if (t.Type != NodeType.Operator)
        {
            return t;
        }

        switch (t.Text)
        {
            case "and":
            case "or":
            case "in":
                return t;
            case "-":
                t.Expression = Expression(70);
                t.Type = NodeType.Unary;
                return t;
            case "*":
                t.Type = NodeType.Wildcard;
                return t;
            case "**":
                t.Type = NodeType.Descendant;
                return t;
            case "%":
                t.Type = NodeType.Parent;
                return t;
            case "(":
                {
                    var expressions = new List<Node>();
                    while (Id(_node) != ")")
                    {
                        expressions.Add(Expression(0));
                        if (Id(_node) != ";")
                        {
                            break;
                        }

                        Advance(";");
                    }

                    Advance(")", true);
                    t.Type = NodeType.Block;
                    t.Expressions = expressions;
                    return t;
                }

            case "[":
                {
                    var items = new List<Node>();
                    if (Id(_node) != "]")
                    {
                        while (true)
                        {
                            var item = Expression(0);
                            if (Id(_node) == "..")
                            {
                                var range = new Node(NodeType.Binary, "..", _node.Position) { Lhs = item };
                                Advance("..");
                                range.Rhs = Expression(0);
                                item = range;
                            }

                            items.Add(item);
                            if (Id(_node) != ",")
                            {
                                break;
                            }

                            Advance(",");
                        }
                    }

                    Advance("]", true);
                    t.Expressions = items;
                    t.Type = NodeType.Unary;
                    return t;
                }

            case "{":
                t.Pairs = ObjectPairs();
                t.Type = NodeType.Unary;
                return t;
            case "|":
                t.Type = NodeType.Transform;
                t.Pattern = Expression(0);
                Advance("|");
                t.Update = Expression(0);
                if (Id(_node) == ",")
                {
                    Advance(",");
                    t.Delete = Expression(0);
                }

                Advance("|");
                return t;
            default:
                throw new JsonataException("S0211", t.Position, t.Text);
        }
    }

    private List<(Node, Node)> ObjectPairs()
    {
        var pairs = new List<(Node, Node)>();
        if (Id(_node) != "}")
        {
            while (true)
            {
                var n = Expression(0);
                Advance(":");
                var v = Expression(0);
                pairs.Add((n, v));
                if (Id(_node) != ",")
                {
                    break;
                }

                Advance(",");
            }
        }

        Advance("}", true);
        return pairs;
    }
}
