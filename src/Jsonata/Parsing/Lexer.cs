using System.Globalization;
using Jsonata.Json;

namespace Jsonata.Parsing;

/// <summary>Splits expression text into tokens on demand, as the parser asks for them.</summary>
internal sealed class Lexer
{
    // Characters that end a name token; also the single-character operators.
    internal const string OperatorChars = ".[]{}(),@#;:?+-*/%|=<>^&!~";

    private readonly string _src;
    private int _pos;

    public Lexer(string source)
    {
        _src = source;
    }

    public int Position => _pos;

    public static bool IsOperatorChar(char c) => OperatorChars.Contains(c);

    private static bool IsWhitespace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\v';

    private char At(int i) => i < _src.Length ? _src[i] : '\0';

    /// <summary>Returns the next token, or null at the end. <paramref name="infix"/> means a '/' is division, not a regex.</summary>
    public Token? Next(bool infix)
    {
        while (true)
        {
            while (_pos < _src.Length && IsWhitespace(_src[_pos]))
            {
                _pos++;
            }

            if (_pos >= _src.Length)
            {
                return null;
            }

            if (_src[_pos] == '/' && At(_pos + 1) == '*')
            {
                var commentStart = _pos;
                _pos += 2;
                while (!(At(_pos) == '*' && At(_pos + 1) == '/'))
                {
                    _pos++;
                    if (_pos >= _src.Length)
                    {
                        throw new JsonataException("S0106", commentStart);
                    }
                }

                _pos += 2;
                continue;
            }

            break;
        }

        var c = _src[_pos];
        if (!infix && c == '/')
        {
            var start = _pos;
            _pos++;
            var literal = ScanRegex();
            return new Token(TokenType.Regex, literal, _pos);
        }

        var two = _pos + 1 < _src.Length ? _src.Substring(_pos, 2) : null;
        switch (two)
        {
            case "..":
            case ":=":
            case "!=":
            case ">=":
            case "<=":
            case "**":
            case "~>":
            case "?:":
            case "??":
                {
                    _pos += 2;
                    return new Token(TokenType.Operator, two, _pos);
                }
        }

        if (IsOperatorChar(c))
        {
            _pos++;
            return new Token(TokenType.Operator, c.ToString(), _pos);
        }

        if (c == '"' || c == '\'')
        {
            return ScanString(c);
        }

        var number = ScanNumber();
        if (number != null)
        {
            return number;
        }

        if (c == '`')
        {
            var start = _pos;
            _pos++;
            var end = _src.IndexOf('`', _pos);
            if (end != -1)
            {
                var name = _src.Substring(_pos, end - _pos);
                _pos = end + 1;
                return new Token(TokenType.Name, name, _pos);
            }

            _pos = _src.Length;
            throw new JsonataException("S0105", _pos);
        }

        var i = _pos;
        while (i < _src.Length && !IsWhitespace(_src[i]) && !IsOperatorChar(_src[i]))
        {
            i++;
        }

        if (_src[_pos] == '$')
        {
            var varName = _src.Substring(_pos + 1, i - _pos - 1);
            _pos = i;
            return new Token(TokenType.Variable, varName, _pos);
        }

        var word = _src.Substring(_pos, i - _pos);
        _pos = i;
        return word switch
        {
            "or" or "in" or "and" => new Token(TokenType.Operator, word, _pos),
            "true" => new Token(TokenType.Value, true, _pos),
            "false" => new Token(TokenType.Value, false, _pos),
            "null" => new Token(TokenType.Value, Values.JNull.Instance, _pos),
            _ => new Token(TokenType.Name, word, _pos),
        };
    }

    private Token ScanString(char quote)
    {
        var start = _pos;
        _pos++;
        var sb = new System.Text.StringBuilder();
        while (_pos < _src.Length)
        {
            var c = _src[_pos];
            if (c == '\\')
            {
                _pos++;
                c = At(_pos);
                switch (c)
                {
                    case var simple when JsonEscapes.TryUnescape(simple, out var unescaped):
                        sb.Append(unescaped);
                        break;
                    case 'u':
                        {
                            var len = Math.Min(4, _src.Length - _pos - 1);
                            var hex = len > 0 ? _src.Substring(_pos + 1, len) : string.Empty;
                            if (hex.Length > 0 && hex.All(Uri.IsHexDigit))
                            {
                                sb.Append((char)int.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                                _pos += hex.Length;
                            }
                            else
                            {
                                throw new JsonataException("S0104", _pos);
                            }

                            break;
                        }

                    default:
                        throw new JsonataException("S0103", _pos, c.ToString());
                }
            }
            else if (c == quote)
            {
                _pos++;
                return new Token(TokenType.String, sb.ToString(), _pos);
            }
            else
            {
                sb.Append(c);
            }

            _pos++;
        }

        throw new JsonataException("S0101", _pos);
    }

    private Token? ScanNumber()
    {
        // -?(0|[1-9][0-9]*)(\.[0-9]+)?([Ee][-+]?[0-9]+)?
        var i = _pos;
        if (At(i) == '-')
        {
            i++;
        }

        if (At(i) == '0')
        {
            i++;
        }
        else if (At(i) >= '1' && At(i) <= '9')
        {
            while (char.IsAsciiDigit(At(i)))
            {
                i++;
            }
        }
        else
        {
            return null;
        }

        if (At(i) == '.' && char.IsAsciiDigit(At(i + 1)))
        {
            i++;
            while (char.IsAsciiDigit(At(i)))
            {
                i++;
            }
        }

        if (At(i) is 'e' or 'E')
        {
            var j = i + 1;
            if (At(j) is '+' or '-')
            {
                j++;
            }

            if (char.IsAsciiDigit(At(j)))
            {
                while (char.IsAsciiDigit(At(j)))
                {
                    j++;
                }

                i = j;
            }
        }

        var text = _src.Substring(_pos, i - _pos);
        var value = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            throw new JsonataException("S0102", _pos, text);
        }

        _pos = i;
        return new Token(TokenType.Number, value, _pos);
    }

    private RegexLiteral ScanRegex()
    {
        var start = _pos;
        var depth = 0;
        while (_pos < _src.Length)
        {
            var c = _src[_pos];
            var escaped = _pos > 0 && _src[_pos - 1] == '\\';
            if (c == '/' && !escaped && depth == 0)
            {
                var pattern = _src.Substring(start, _pos - start);
                if (pattern.Length == 0)
                {
                    throw new JsonataException("S0301", _pos);
                }

                _pos++;
                var flagStart = _pos;
                while (At(_pos) is 'i' or 'm')
                {
                    _pos++;
                }

                var flags = _src.Substring(flagStart, _pos - flagStart);
                return new RegexLiteral(pattern, flags, RegexTranslator.Compile(pattern, flags, start));
            }

            if ((c == '(' || c == '[' || c == '{') && !escaped)
            {
                depth++;
            }

            if ((c == ')' || c == ']' || c == '}') && !escaped)
            {
                depth--;
            }

            _pos++;
        }

        throw new JsonataException("S0302", _pos);
    }
}
