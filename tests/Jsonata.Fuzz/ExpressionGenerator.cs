using System.Text;

namespace Jsonata.Fuzz;

/// <summary>
/// Random expressions, deterministic per seed: token soup, nesting of every bracketing construct up to tens of
/// thousands of levels (balanced or not), long operator chains and paths, and small well-formed expressions.
/// </summary>
internal sealed class ExpressionGenerator(int seed)
{
    private static readonly string[] Tokens =
    [
        "(", ")", "[", "]", "{", "}", ",", ";", ":", ".", "..", "?", "?:", "??", ":=", "~>", "|", "@", "#", "^", "%", "**", "*",
        "+", "-", "/", "&", "=", "!=", "<", "<=", ">", ">=", "and", "or", "in", "a", "b", "c", "$", "$$", "$x", "$f", "$string",
        "$pad", "$match", "$replace", "$join", "$reduce", "function", "λ", "1", "2.5", "1e308", "-0", "'s'", "\"t\"", "`q`",
        "true", "false", "null", "/a+/", "/(a+)+$/i", "<s:s>", "$sum", "$map", " ", "\n", "/*c*/", "\\", "'", "\"",
    ];

    // an opening, its closing; nested one inside the other
    private static readonly (string Open, string Close)[] Nesters =
    [
        ("(", ")"), ("[", "]"), ("{'k':", "}"), ("-", ""), ("$f(", ")"), ("a[", "]"), ("a ? ", " : 1"), ("function($x){", "}"),
        ("$x := ", ""), ("a.(", ")"), ("$string(", ")"), ("1 + (", ")"), ("a ?: (", ")"), ("a ?? (", ")"), ("|a|", "|"),
        ("$map([1,2], function($v){", "})"), ("a^(", ")"), ("a{", ": 1}"), ("not(", ")"), ("[1..", "]"),
    ];

    private static readonly string[] Links = ["+", "-", "*", "&", ".", " and ", " or ", "=", "<", " ~> ", "?:", "??", "[0].", ";"];

    private static readonly string[] Small =
    [
        "a.b[2].c", "$sum(a.b[$type($) = 'number'])", "$pad(s, 10, '-')", "$match(s, /a+/)", "$replace(s, /a/, 'b')",
        "$reduce([1..10], function($x, $y){ $x + $y })", "{ 'x': n * 2, 'y': [1..n] }", "$string(a, true)", "a.b^(>$)",
        "$join(['x', 'y'], ',')", "($f := function($n){ $n > 0 ? $f($n - 1) : 0 }; $f(n))", "a.**.c", "a ~> $keys()",
    ];

    private readonly Random _random = new(seed);

    public string Next(int index)
    {
        // the first cases are the deepest, so they meet the engine's code before it is optimized
        if (index < 40)
        {
            return Nested(Nesters[index % Nesters.Length], 20_000 + _random.Next(30_000), balanced: index % 3 != 2);
        }

        return _random.Next(10) switch
        {
            0 or 1 or 2 => Soup(),
            3 or 4 => Nested(Nesters[_random.Next(Nesters.Length)], Depth(), balanced: _random.Next(4) != 0),
            5 => Mixed(),
            6 => Chain(),
            7 => Unbalanced(),
            _ => Mutated(),
        };
    }

    /// <summary>Mostly shallow, sometimes around the limits, sometimes tens of thousands deep.</summary>
    private int Depth() => _random.Next(10) switch
    {
        < 5 => _random.Next(1, 50),
        < 8 => _random.Next(400, 1200),
        _ => _random.Next(5_000, 50_000),
    };

    private string Soup()
    {
        var sb = new StringBuilder();
        var count = _random.Next(1, 120);
        for (var i = 0; i < count; i++)
        {
            sb.Append(Tokens[_random.Next(Tokens.Length)]).Append(_random.Next(3) == 0 ? " " : "");
        }

        return sb.ToString();
    }

    private string Nested((string Open, string Close) nester, int depth, bool balanced)
    {
        var sb = new StringBuilder((nester.Open.Length + nester.Close.Length + 1) * depth + 8);
        for (var i = 0; i < depth; i++)
        {
            sb.Append(nester.Open);
        }

        sb.Append(Small[_random.Next(Small.Length)]);
        var closes = balanced ? depth : _random.Next(depth);
        for (var i = 0; i < closes; i++)
        {
            sb.Append(nester.Close);
        }

        return sb.ToString();
    }

    private string Mixed()
    {
        var depth = Depth();
        var stack = new Stack<string>();
        var sb = new StringBuilder();
        for (var i = 0; i < depth; i++)
        {
            var nester = Nesters[_random.Next(Nesters.Length)];
            sb.Append(nester.Open);
            stack.Push(nester.Close);
        }

        sb.Append(Small[_random.Next(Small.Length)]);
        while (stack.Count > 0)
        {
            sb.Append(stack.Pop());
        }

        return sb.ToString();
    }

    private string Chain()
    {
        var link = Links[_random.Next(Links.Length)];
        var length = Depth();
        var sb = new StringBuilder();
        for (var i = 0; i < length; i++)
        {
            if (i > 0)
            {
                sb.Append(link);
            }

            sb.Append(_random.Next(3) switch { 0 => "a", 1 => "1", _ => "$x" });
        }

        return sb.ToString();
    }

    private string Unbalanced()
    {
        var sb = new StringBuilder();
        var count = Depth();
        const string brackets = "()[]{}|";
        for (var i = 0; i < count; i++)
        {
            sb.Append(brackets[_random.Next(brackets.Length)]);
        }

        return sb.ToString();
    }

    private string Mutated()
    {
        var text = new StringBuilder(Small[_random.Next(Small.Length)]);
        var edits = _random.Next(1, 6);
        for (var i = 0; i < edits && text.Length > 0; i++)
        {
            var at = _random.Next(text.Length);
            switch (_random.Next(3))
            {
                case 0:
                    text.Remove(at, 1);
                    break;
                case 1:
                    text.Insert(at, Tokens[_random.Next(Tokens.Length)]);
                    break;
                default:
                    text[at] = text[_random.Next(text.Length)];
                    break;
            }
        }

        return text.ToString();
    }
}
