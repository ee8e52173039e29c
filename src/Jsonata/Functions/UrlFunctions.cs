using System.Text;
using Jsonata.Values;

namespace Jsonata.Functions;

/// <summary>URL and Base64 encoding with the semantics of JavaScript's global functions.</summary>
internal static class UrlFunctions
{
    private const string ComponentSafe = "-_.!~*'()";
    private const string UriReserved = ";,/?:@&=+$#";

    public static object? Base64Encode(in CallContext call, object?[] args)
    {
        if (Builtins.Arg(args, 0) is not string str)
        {
            return null;
        }

        // Buffer.from(str, 'binary') keeps the low byte of each UTF-16 unit
        var bytes = new byte[str.Length];
        for (var i = 0; i < str.Length; i++)
        {
            bytes[i] = (byte)str[i];
        }

        return Convert.ToBase64String(bytes);
    }

    public static object? Base64Decode(in CallContext call, object?[] args)
    {
        if (Builtins.Arg(args, 0) is not string str)
        {
            return null;
        }

        var clean = new StringBuilder();
        foreach (var c in str)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '+' or '/')
            {
                clean.Append(c);
            }
            else if (c is '-')
            {
                clean.Append('+');
            }
            else if (c is '_')
            {
                clean.Append('/');
            }
            else if (c == '=')
            {
                break;
            }
        }

        while (clean.Length % 4 == 1)
        {
            clean.Length--;
        }

        while (clean.Length % 4 != 0)
        {
            clean.Append('=');
        }

        var bytes = Convert.FromBase64String(clean.ToString());
        var sb = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            sb.Append((char)b);
        }

        return sb.ToString();
    }

    public static object? EncodeUrlComponent(in CallContext call, object?[] args) => Encode(Builtins.Arg(args, 0), false, "encodeUrlComponent");

    public static object? EncodeUrl(in CallContext call, object?[] args) => Encode(Builtins.Arg(args, 0), true, "encodeUrl");

    public static object? DecodeUrlComponent(in CallContext call, object?[] args) => Decode(Builtins.Arg(args, 0), false, "decodeUrlComponent");

    public static object? DecodeUrl(in CallContext call, object?[] args) => Decode(Builtins.Arg(args, 0), true, "decodeUrl");

    private static object? Encode(object? arg, bool keepReserved, string functionName)
    {
        if (arg is not string str)
        {
            return null;
        }

        var sb = new StringBuilder(str.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < str.Length; i++)
        {
            var c = str[i];
            if (char.IsAsciiLetterOrDigit(c) || ComponentSafe.Contains(c) || (keepReserved && UriReserved.Contains(c)))
            {
                sb.Append(c);
                continue;
            }

            int codePoint;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= str.Length || !char.IsLowSurrogate(str[i + 1]))
                {
                    throw Malformed(str, functionName);
                }

                codePoint = char.ConvertToUtf32(c, str[i + 1]);
                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                throw Malformed(str, functionName);
            }
            else
            {
                codePoint = c;
            }

            var written = new Rune(codePoint).EncodeToUtf8(utf8);
            for (var b = 0; b < written; b++)
            {
                sb.Append('%').Append(utf8[b].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    private static JsonataException Malformed(string value, string functionName) =>
        new("D3140", -1, null, value) { FunctionName = functionName };

    private static object? Decode(object? arg, bool keepReserved, string functionName)
    {
        if (arg is not string str)
        {
            return null;
        }

        var sb = new StringBuilder(str.Length);
        for (var i = 0; i < str.Length; i++)
        {
            var c = str[i];
            if (c != '%')
            {
                sb.Append(c);
                continue;
            }

            var first = ReadByte(str, i) ?? throw Malformed(str, functionName);
            if (first < 0x80)
            {
                var ch = (char)first;
                if (keepReserved && UriReserved.Contains(ch))
                {
                    sb.Append(str, i, 3);
                }
                else
                {
                    sb.Append(ch);
                }

                i += 2;
                continue;
            }

            int extra;
            int codePoint;
            if ((first & 0xE0) == 0xC0)
            {
                extra = 1;
                codePoint = first & 0x1F;
            }
            else if ((first & 0xF0) == 0xE0)
            {
                extra = 2;
                codePoint = first & 0x0F;
            }
            else if ((first & 0xF8) == 0xF0)
            {
                extra = 3;
                codePoint = first & 0x07;
            }
            else
            {
                throw Malformed(str, functionName);
            }

            var pos = i + 3;
            for (var k = 0; k < extra; k++)
            {
                if (pos >= str.Length || str[pos] != '%')
                {
                    throw Malformed(str, functionName);
                }

                var next = ReadByte(str, pos) ?? throw Malformed(str, functionName);
                if ((next & 0xC0) != 0x80)
                {
                    throw Malformed(str, functionName);
                }

                codePoint = (codePoint << 6) | (next & 0x3F);
                pos += 3;
            }

            var min = extra switch { 1 => 0x80, 2 => 0x800, _ => 0x10000 };
            if (codePoint < min || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF))
            {
                throw Malformed(str, functionName);
            }

            sb.Append(char.ConvertFromUtf32(codePoint));
            i = pos - 1;
        }

        return sb.ToString();
    }

    private static int? ReadByte(string s, int percentPos)
    {
        if (percentPos + 2 >= s.Length)
        {
            return null;
        }

        var hi = HexValue(s[percentPos + 1]);
        var lo = HexValue(s[percentPos + 2]);
        if (hi < 0 || lo < 0)
        {
            return null;
        }

        return (hi << 4) | lo;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
