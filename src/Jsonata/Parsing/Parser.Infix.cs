using Jsonata.Signatures;

namespace Jsonata.Parsing;

internal sealed partial class Parser
{
    private Node Led(Node t, Node left)
    {
        switch (t.Text)
        {
            case "(":
                return FunctionCall(t, left);
            case "[":
                {
                    if (Id(_node) == "]")
                    {
                        var step = left;
                        while (step.Type == NodeType.Binary && step.Text == "[")
                        {
                            step = step.Lhs!;
                        }

                        step.KeepArray = true;
                        Advance("]");
                        return left;
                    }

                    t.Lhs = left;
                    t.Rhs = Expression(0);
                    t.Type = NodeType.Binary;
                    Advance("]", true);
                    return t;
                }

            case "^":
                {
                    Advance("(");
                    var terms = new List<SortTerm>();
                    while (true)
                    {
                        var descending = false;
                        if (Id(_node) == "<")
                        {
                            Advance("<");
                        }
                        else if (Id(_node) == ">")
                        {
                            descending = true;
                            Advance(">");
                        }

                        terms.Add(new SortTerm(descending, Expression(0)));
                        if (Id(_node) != ",")
                        {
                            break;
                        }

                        Advance(",");
                    }

                    Advance(")");
                    t.Lhs = left;
                    t.Terms = terms;
                    t.Type = NodeType.Binary;
                    return t;
                }

            case "{":
                t.Lhs = left;
                t.Pairs = ObjectPairs();
                t.Type = NodeType.Binary;
                return t;
            case ":=":
                if (left.Type != NodeType.Variable)
                {
                    throw Error("S0212", left);
                }

                t.Lhs = left;
                t.Rhs = Expression(9);
                t.Type = NodeType.Binary;
                return t;
            case "@":
            case "#":
                t.Lhs = left;
                t.Rhs = Expression(80);
                if (t.Rhs.Type != NodeType.Variable)
                {
                    throw new JsonataException("S0214", t.Rhs.Position, t.Text);
                }

                t.Type = NodeType.Binary;
                return t;
            case "?":
                t.Type = NodeType.Condition;
                t.Condition = left;
                t.Then = Expression(0);
                if (Id(_node) == ":")
                {
                    Advance(":");
                    t.Else = Expression(0);
                }

                return t;
            case "?:":
                t.Type = NodeType.Condition;
                t.Condition = left.DeepClone(ref _copyBudget);
                t.Then = left;
                t.Else = Expression(0);
                return t;
            case "??":
                t.Type = NodeType.Condition;
                t.Condition = new Node(NodeType.Function, "(", t.Position)
                {
                    Procedure = new Node(NodeType.Variable, "exists", t.Position),
                    Arguments = [left.DeepClone(ref _copyBudget)],
                };
                t.Then = left;
                t.Else = Expression(0);
                return t;
            default:
                t.Lhs = left;
                t.Rhs = Expression(Lbp(t));
                t.Type = NodeType.Binary;
                return t;
        }
    }

    private Node FunctionCall(Node t, Node left)
    {
        t.Procedure = left;
        t.Type = NodeType.Function;
        t.Arguments = [];
        if (Id(_node) != ")")
        {
            while (true)
            {
                if (_node.Type == NodeType.Operator && _node.Text == "?")
                {
                    t.Type = NodeType.Partial;
                    t.Arguments.Add(_node);
                    Advance("?");
                }
                else
                {
                    t.Arguments.Add(Expression(0));
                }

                if (Id(_node) != ",")
                {
                    break;
                }

                Advance(",");
            }
        }

        Advance(")", true);
        if (left.Type == NodeType.Name && (left.Text == "function" || left.Text == "\u03BB"))
        {
            for (var i = 0; i < t.Arguments.Count; i++)
            {
                var arg = t.Arguments[i];
                if (arg.Type != NodeType.Variable)
                {
                    throw Error("S0208", arg, i + 1);
                }
            }

            t.Type = NodeType.Lambda;
            if (Id(_node) == "<")
            {
                var sigPos = _node.Position;
                var depth = 1;
                var sig = new System.Text.StringBuilder("<");
                while (depth > 0 && Id(_node) != "{" && _node.Type != NodeType.End)
                {
                    var tok = Advance();
                    if (Id(tok) == ">")
                    {
                        depth--;
                    }
                    else if (Id(tok) == "<")
                    {
                        depth++;
                    }

                    sig.Append(TokenText(tok));
                }

                Advance(">");
                try
                {
                    t.Signature = Signature.Parse(sig.ToString());
                }
                catch (SignatureParseException ex)
                {
                    throw new JsonataException(ex.Code, sigPos + ex.Offset, null, ex.Value);
                }
            }

            Advance("{");
            t.Body = Expression(0);
            Advance("}");
        }

        return t;
    }
}
