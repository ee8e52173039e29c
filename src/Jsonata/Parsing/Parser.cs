using Jsonata.Signatures;

namespace Jsonata.Parsing;

/// <summary>
/// Top-down operator precedence (Pratt) parser producing the raw syntax tree, which
/// <see cref="AstProcessor"/> then turns into the evaluation tree.
/// </summary>
internal sealed class Parser
{
    private readonly string _source;
    private readonly Lexer _lexer;
    private Node _node = null!;

    private Parser(string source)
    {
        _source = source;
        _lexer = new Lexer(source);
    }

    public static Node Parse(string source)
    {
        var parser = new Parser(source);
        parser.Advance();
        var expr = parser.Expression(0);
        if (parser._node.Type != NodeType.End)
        {
            throw new JsonataException("S0201", parser._node.Position, TokenText(parser._node));
        }

        return new AstProcessor().Process(expr);
    }

    private static string TokenText(Node n) => n.Type == NodeType.End ? "(end)" : Convert.ToString(n.Value is Values.JNull ? "null" : n.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;

    private static string Id(Node n) => n.Type switch
    {
        NodeType.End => "(end)",
        NodeType.Name or NodeType.Variable => "(name)",
        NodeType.String or NodeType.Number or NodeType.Value => "(literal)",
        NodeType.Regex => "(regex)",
        _ => n.Text,
    };

    private static int Lbp(Node n)
    {
        if (n.Type != NodeType.Operator)
        {
            return 0;
        }

        return n.Text switch
        {
            "." => 75,
            "[" or "(" or "@" or "#" => 80,
            "{" => 70,
            "?" => 20,
            "+" or "-" or "&" => 50,
            "*" or "/" or "%" => 60,
            "=" or "<" or ">" or "^" or "!=" or "<=" or ">=" or "~>" or "?:" or "??" or "in" => 40,
            ":=" => 10,
            "and" => 30,
            "or" => 25,
            _ => 0,
        };
    }

    private static bool IsKnownOperator(string op) => op switch
    {
        ":" or ";" or "," or ")" or "]" or "}" or ".." or "." or "+" or "-" or "*" or "/" or "%" or "=" or "<" or ">" or
        "!=" or "<=" or ">=" or "&" or "and" or "or" or "in" or "~>" or "**" or "(" or "[" or "^" or "{" or ":=" or
        "@" or "#" or "?" or "?:" or "??" or "|" => true,
        _ => false,
    };

    private Node Advance(string? id = null, bool infix = false)
    {
        if (id != null && Id(_node) != id)
        {
            var code = _node.Type == NodeType.End ? "S0203" : "S0202";
            throw new JsonataException(code, _node.Position, TokenText(_node), id);
        }

        var tok = _lexer.Next(infix);
        if (tok == null)
        {
            _node = new Node(NodeType.End, "(end)", _source.Length);
            return _node;
        }

        NodeType type;
        switch (tok.Type)
        {
            case TokenType.Operator:
                if (!IsKnownOperator(tok.Text))
                {
                    throw new JsonataException("S0204", tok.Position, tok.Text);
                }

                type = NodeType.Operator;
                break;
            case TokenType.Name: type = NodeType.Name; break;
            case TokenType.Variable: type = NodeType.Variable; break;
            case TokenType.String: type = NodeType.String; break;
            case TokenType.Number: type = NodeType.Number; break;
            case TokenType.Value: type = NodeType.Value; break;
            default: type = NodeType.Regex; break;
        }

        _node = new Node(type, tok.Value, tok.Position);
        return _node;
    }

    private Node Expression(int rbp)
    {
        var t = _node;
        Advance(null, true);
        var left = Nud(t);
        while (rbp < Lbp(_node))
        {
            t = _node;
            Advance();
            left = Led(t, left);
        }

        return left;
    }

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
                    throw new JsonataException("S0212", left.Position, TokenText(left));
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
                t.Condition = left.DeepClone();
                t.Then = left;
                t.Else = Expression(0);
                return t;
            case "??":
                t.Type = NodeType.Condition;
                t.Condition = new Node(NodeType.Function, "(", t.Position)
                {
                    Procedure = new Node(NodeType.Variable, "exists", t.Position),
                    Arguments = [left.DeepClone()],
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
                    throw new JsonataException("S0208", arg.Position, TokenText(arg), i + 1);
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
