using System.Text;
using System.Text.RegularExpressions;
using Jsonata.Values;

namespace Jsonata.Signatures;

internal sealed class SignatureParseException : Exception
{
    public SignatureParseException(string code, int offset, string value) : base(code)
    {
        Code = code;
        Offset = offset;
        Value = value;
    }

    public string Code { get; }

    public int Offset { get; }

    public string Value { get; }
}

/// <summary>
/// A function signature such as <c>&lt;s-n?:s&gt;</c>. Arguments are checked by matching a string of
/// one type letter per argument against a regular expression built from the signature, which is also
/// how missing arguments are filled from the context and single values are promoted to arrays.
/// </summary>
internal sealed partial class Signature
{
    private sealed class Param
    {
        public string Regex = string.Empty;
        public string Type = string.Empty;
        public bool Context;
        public Regex? ContextRegex;
        public string? Subtype;

        /// <summary>Type letters this parameter accepts (the character class of <see cref="Regex"/>).</summary>
        public string Accepts = string.Empty;

        public int Min = 1;

        public int Max = 1;
    }

    private static readonly Dictionary<string, string> ArrayTypeNames = new()
    {
        ["a"] = "arrays",
        ["b"] = "booleans",
        ["f"] = "functions",
        ["n"] = "numbers",
        ["o"] = "objects",
        ["s"] = "strings",
    };

    private readonly List<Param> _params;
    private readonly Regex _regex;

    private Signature(string definition, List<Param> parameters)
    {
        Definition = definition;
        _params = parameters;
        var sb = new StringBuilder("^");
        foreach (var p in parameters)
        {
            sb.Append('(').Append(p.Regex).Append(')');
        }

        sb.Append('$');
        _regex = new Regex(sb.ToString(), RegexOptions.CultureInvariant);
        foreach (var p in parameters)
        {
            var r = p.Regex;
            p.Accepts = r.StartsWith('[') ? r.Substring(1, r.IndexOf(']') - 1) : r.Substring(0, 1);
            var modifiers = r.Substring(r.StartsWith('[') ? r.IndexOf(']') + 1 : 1);
            foreach (var m in modifiers)
            {
                if (m == '?')
                {
                    p.Min = 0;
                }
                else if (m == '+')
                {
                    p.Max = int.MaxValue;
                }
            }
        }
    }

    public string Definition { get; }

    /// <summary>Number of declared parameters.</summary>
    public int ParamCount => _params.Count;

    public static Signature Parse(string signature)
    {
        var position = 1;
        var parameters = new List<Param>();
        var param = new Param();
        var prev = param;
        while (position < signature.Length)
        {
            var symbol = signature[position];
            if (symbol == ':')
            {
                break;
            }

            void Next()
            {
                parameters.Add(param);
                prev = param;
                param = new Param();
            }

            switch (symbol)
            {
                case 's':
                case 'n':
                case 'b':
                case 'l':
                case 'o':
                    param.Regex = "[" + symbol + "m]";
                    param.Type = symbol.ToString();
                    Next();
                    break;
                case 'a':
                    param.Regex = "[asnblfom]";
                    param.Type = "a";
                    Next();
                    break;
                case 'f':
                    param.Regex = "f";
                    param.Type = "f";
                    Next();
                    break;
                case 'j':
                    param.Regex = "[asnblom]";
                    param.Type = "j";
                    Next();
                    break;
                case 'x':
                    param.Regex = "[asnblfom]";
                    param.Type = "x";
                    Next();
                    break;
                case '-':
                    prev.Context = true;
                    prev.ContextRegex = new Regex("^" + prev.Regex, RegexOptions.CultureInvariant);
                    prev.Regex += "?";
                    break;
                case '?':
                case '+':
                    prev.Regex += symbol;
                    break;
                case '(':
                    {
                        var end = FindClosing(signature, position, '(', ')');
                        var choice = signature.Substring(position + 1, end - position - 1);
                        if (choice.Contains('<'))
                        {
                            throw new SignatureParseException("S0402", position, choice);
                        }

                        param.Regex = "[" + choice + "m]";
                        param.Type = "(" + choice + ")";
                        position = end;
                        Next();
                        break;
                    }

                case '<':
                    if (prev.Type is "a" or "f")
                    {
                        var end = FindClosing(signature, position, '<', '>');
                        prev.Subtype = signature.Substring(position + 1, end - position - 1);
                        position = end;
                    }
                    else
                    {
                        throw new SignatureParseException("S0401", position, prev.Type);
                    }

                    break;
            }

            position++;
        }

        return new Signature(signature, parameters);
    }

    private static int FindClosing(string str, int start, char open, char close)
    {
        var depth = 1;
        var position = start;
        while (position < str.Length)
        {
            position++;
            if (position >= str.Length)
            {
                break;
            }

            var symbol = str[position];
            if (symbol == close)
            {
                depth--;
                if (depth == 0)
                {
                    break;
                }
            }
            else if (symbol == open)
            {
                depth++;
            }
        }

        return position;
    }
}
