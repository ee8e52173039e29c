using System.Runtime.CompilerServices;
using Jsonata.Errors;
using Jsonata.Signatures;

namespace Jsonata.Parsing;

/// <summary>
/// Top-down operator precedence (Pratt) parser producing the raw syntax tree, which
/// <see cref="AstProcessor"/> then turns into the evaluation tree.
/// </summary>
internal sealed partial class Parser
{
    private readonly string _source;
    private readonly Lexer _lexer;
    private Node _node = null!;
    private int _depth;
    private int _copyBudget = Limits.MaxCopiedNodes;

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
            throw Error("S0201", parser._node);
        }

        return new AstProcessor().Process(expr);
    }

    /// <summary>A syntax error at a token; literal tokens keep their value so messages show them as the reference does.</summary>
    private static JsonataException Error(string code, Node node, object? value = null) =>
        new(code, node.Position, TokenText(node), value)
        {
            TokenValue = node.Type is NodeType.Number or NodeType.Value ? node.Value : null,
        };

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
            throw Error(code, _node, id);
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

    /// <summary>
    /// Every recursion of the parser passes here (prefix and infix operators, brackets, arguments, object pairs), so
    /// counting here bounds the parser's stack; a thrown error abandons the whole parse, so no unwinding is needed.
    /// </summary>
    private Node Expression(int rbp)
    {
        if (++_depth > Limits.MaxExpressionNesting || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw Limits.ExpressionTooDeep(_node.Position);
        }

        var t = _node;
        Advance(null, true);
        var left = Nud(t);
        while (rbp < Lbp(_node))
        {
            t = _node;
            Advance();
            left = Led(t, left);
        }

        _depth--;
        return left;
    }
}
