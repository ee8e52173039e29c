using System.Globalization;
using System.Text;
using Jsonata.Values;

namespace Jsonata.Json;

/// <summary>
/// Reads JSON text straight into the evaluator's value model. Unlike System.Text.Json it accepts
/// escaped lone surrogates (<c>"\ud800"</c>) and keeps them as single UTF-16 units.
/// </summary>
internal sealed class JsonReader
{
    private readonly string _text;
    private int _pos;

    private JsonReader(string text)
    {
        _text = text;
    }

    public static object? Parse(string text)
    {
        var reader = new JsonReader(text);
        reader.SkipWhitespace();
        var value = reader.ReadValue();
        reader.SkipWhitespace();
        if (reader._pos != text.Length)
        {
            throw reader.Error("Unexpected trailing characters");
        }

        return value;
    }

    private FormatException Error(string message) => new($"{message} at offset {_pos}");

    private void SkipWhitespace()
    {
        while (_pos < _text.Length && _text[_pos] is ' ' or '\t' or '\n' or '\r')
        {
            _pos++;
        }
    }

    private object? ReadValue()
    {
        if (!System.Runtime.CompilerServices.RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw Error("JSON nested too deeply");
        }

        if (_pos >= _text.Length)
        {
            throw Error("Unexpected end of JSON");
        }

        var c = _text[_pos];
        switch (c)
        {
            case '{':
                return ReadObject();
            case '[':
                return ReadArray();
            case '"':
                return ReadString();
            case 't':
                Expect("true");
                return Boxes.True;
            case 'f':
                Expect("false");
                return Boxes.False;
            case 'n':
                Expect("null");
                return JNull.Instance;
            default:
                return ReadNumber();
        }
    }

    private void Expect(string word)
    {
        if (string.CompareOrdinal(_text, _pos, word, 0, word.Length) != 0)
        {
            throw Error("Invalid literal");
        }

        _pos += word.Length;
    }

    private JObject ReadObject()
    {
        var obj = new JObject();
        _pos++;
        SkipWhitespace();
        if (_pos < _text.Length && _text[_pos] == '}')
        {
            _pos++;
            return obj;
        }

        while (true)
        {
            SkipWhitespace();
            if (_pos >= _text.Length || _text[_pos] != '"')
            {
                throw Error("Expected property name");
            }

            var key = ReadString();
            SkipWhitespace();
            if (_pos >= _text.Length || _text[_pos] != ':')
            {
                throw Error("Expected ':'");
            }

            _pos++;
            SkipWhitespace();
            obj.Set(key, ReadValue());
            SkipWhitespace();
            if (_pos < _text.Length && _text[_pos] == ',')
            {
                _pos++;
                continue;
            }

            if (_pos < _text.Length && _text[_pos] == '}')
            {
                _pos++;
                return obj;
            }

            throw Error("Expected ',' or '}'");
        }
    }

    private JArray ReadArray()
    {
        var arr = new JArray();
        _pos++;
        SkipWhitespace();
        if (_pos < _text.Length && _text[_pos] == ']')
        {
            _pos++;
            return arr;
        }

        while (true)
        {
            SkipWhitespace();
            arr.Add(ReadValue());
            SkipWhitespace();
            if (_pos < _text.Length && _text[_pos] == ',')
            {
                _pos++;
                continue;
            }

            if (_pos < _text.Length && _text[_pos] == ']')
            {
                _pos++;
                return arr;
            }

            throw Error("Expected ',' or ']'");
        }
    }

    private string ReadString()
    {
        _pos++;
        var start = _pos;
        while (_pos < _text.Length && _text[_pos] != '"' && _text[_pos] != '\\')
        {
            _pos++;
        }

        if (_pos < _text.Length && _text[_pos] == '"')
        {
            var simple = _text.Substring(start, _pos - start);
            _pos++;
            return simple;
        }

        var sb = new StringBuilder();
        sb.Append(_text, start, _pos - start);
        while (_pos < _text.Length)
        {
            var c = _text[_pos++];
            if (c == '"')
            {
                return sb.ToString();
            }

            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }

            if (_pos >= _text.Length)
            {
                break;
            }

            var e = _text[_pos++];
            switch (e)
            {
                case var simple when JsonEscapes.TryUnescape(simple, out var unescaped):
                    sb.Append(unescaped);
                    break;
                case 'u':
                    if (_pos + 4 > _text.Length)
                    {
                        throw Error("Invalid unicode escape");
                    }

                    sb.Append((char)int.Parse(_text.AsSpan(_pos, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    _pos += 4;
                    break;
                default:
                    throw Error("Invalid escape");
            }
        }

        throw Error("Unterminated string");
    }

    private object ReadNumber()
    {
        var start = _pos;
        while (_pos < _text.Length && (char.IsAsciiDigit(_text[_pos]) || _text[_pos] is '-' or '+' or '.' or 'e' or 'E'))
        {
            _pos++;
        }

        if (start == _pos)
        {
            throw Error("Unexpected character");
        }

        return Boxes.Number(double.Parse(_text.AsSpan(start, _pos - start), NumberStyles.Float, CultureInfo.InvariantCulture));
    }
}
