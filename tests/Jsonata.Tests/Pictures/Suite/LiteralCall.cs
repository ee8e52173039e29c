using System.Globalization;
using System.Text;

namespace Jsonata.Tests.Pictures.Suite;

/// <summary>A bare name used as an argument, such as <c>foo</c>: a field of the input.</summary>
internal sealed record FieldRef(string Name);

/// <summary>
/// A suite expression that is one function call with literal arguments, e.g.
/// <c>$formatNumber(0.14, "###pm", {"per-mille": "pm"})</c>. Arguments are strings, numbers,
/// objects of strings or bare field names. Anything else (operators, paths, nested calls) is
/// not a literal call and <see cref="TryParse"/> declines it.
/// </summary>
internal sealed class LiteralCall
{
    private readonly string _text;
    private int _pos;

    public string Function { get; private set; } = "";
    public List<object> Arguments { get; } = [];

    private LiteralCall(string text) => _text = text;

    public static LiteralCall? TryParse(string expression)
    {
        var call = new LiteralCall(expression);
        try
        {
            return call.ParseCall() ? call : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private bool ParseCall()
    {
        SkipSpace();
        if (!Eat('$'))
        {
            return false;
        }
        Function = ReadName();
        SkipSpace();
        if (Function.Length == 0 || !Eat('('))
        {
            return false;
        }
        SkipSpace();
        if (!Eat(')'))
        {
            do
            {
                SkipSpace();
                Arguments.Add(ReadValue());
                SkipSpace();
            }
            while (Eat(','));
            if (!Eat(')'))
            {
                return false;
            }
        }
        SkipSpace();
        return _pos == _text.Length;
    }

    private object ReadValue()
    {
        char c = Peek();
        if (c is '"' or '\'')
        {
            return ReadString();
        }
        if (c == '-' || char.IsAsciiDigit(c))
        {
            return ReadNumber();
        }
        if (c == '{')
        {
            return ReadObject();
        }
        if (char.IsAsciiLetter(c) || c == '_')
        {
            return new FieldRef(ReadName());
        }
        throw new FormatException();
    }

    private double ReadNumber()
    {
        int start = _pos;
        Eat('-');
        while (_pos < _text.Length && (char.IsAsciiDigit(_text[_pos]) || _text[_pos] is '.' or 'e' or 'E'
            || (_text[_pos] is '+' or '-' && _text[_pos - 1] is 'e' or 'E')))
        {
            _pos++;
        }
        return double.Parse(_text.AsSpan(start, _pos - start), NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    private string ReadString()
    {
        char quote = _text[_pos++];
        var sb = new StringBuilder();
        while (true)
        {
            char c = Next();
            if (c == quote)
            {
                return sb.ToString();
            }
            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }
            char escaped = Next();
            sb.Append(escaped switch
            {
                'b' => '\b',
                'f' => '\f',
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                'u' => (char)int.Parse(ReadChars(4), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                _ => escaped,
            });
        }
    }

    private Dictionary<string, string> ReadObject()
    {
        var result = new Dictionary<string, string>();
        Eat('{');
        SkipSpace();
        if (Eat('}'))
        {
            return result;
        }
        do
        {
            SkipSpace();
            string key = ReadString();
            SkipSpace();
            if (!Eat(':'))
            {
                throw new FormatException();
            }
            SkipSpace();
            result[key] = ReadString();
            SkipSpace();
        }
        while (Eat(','));
        return Eat('}') ? result : throw new FormatException();
    }

    private string ReadName()
    {
        int start = _pos;
        while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] == '_'))
        {
            _pos++;
        }
        return _text[start.._pos];
    }

    private string ReadChars(int count)
    {
        if (_pos + count > _text.Length)
        {
            throw new FormatException();
        }
        string chars = _text.Substring(_pos, count);
        _pos += count;
        return chars;
    }

    private char Peek() => _pos < _text.Length ? _text[_pos] : throw new FormatException();

    private char Next() => _pos < _text.Length ? _text[_pos++] : throw new FormatException();

    private bool Eat(char c)
    {
        if (_pos < _text.Length && _text[_pos] == c)
        {
            _pos++;
            return true;
        }
        return false;
    }

    private void SkipSpace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos]))
        {
            _pos++;
        }
    }
}
