using System.Text;
using System.Text.Unicode;

namespace Herald.Server.Http;

/// <summary>
/// Finds text in JSON that is not Unicode: bytes that are not UTF-8, and escapes of lone UTF-16 surrogates
/// (<c>"\ud800"</c>). System.Text.Json reads both without complaint and the text fails (or is silently replaced) later,
/// when it is encoded for the database or a receiver; refused at the door instead, with where it is. Pure.
/// </summary>
public static class JsonText
{
    /// <summary>
    /// What is wrong with the text of <paramref name="json"/>, or null when it is all Unicode. Safe on any bytes; on
    /// malformed JSON (a backslash outside a string) it may name a surrogate escape the parser would refuse anyway.
    /// </summary>
    public static string? FirstProblem(ReadOnlySpan<byte> json)
    {
        if (NotUtf8(json) is { } notUtf8)
        {
            return notUtf8;
        }
        if (FirstLoneSurrogateEscape(json) is { } at)
        {
            return $"Request body escapes a lone UTF-16 surrogate ('{Encoding.ASCII.GetString(json.Slice(at, 6))}') at {Where(json, at)}: "
                + "a character outside the Basic Multilingual Plane is escaped as a high and low surrogate pair, e.g. \\ud83d\\ude00";
        }
        return null;
    }

    /// <summary>Where <paramref name="text"/> stops being UTF-8, or null when it is UTF-8 throughout. Any text.</summary>
    public static string? NotUtf8(ReadOnlySpan<byte> text) =>
        Utf8.IsValid(text) ? null : $"Request body is not valid UTF-8 at {Where(text, FirstInvalidUtf8(text))}: send JSON text encoded as UTF-8";

    private static string Where(ReadOnlySpan<byte> json, int offset)
    {
        var lineStart = json[..offset].LastIndexOf((byte)'\n') + 1;
        var line = json[..offset].Count((byte)'\n') + 1;
        return $"byte offset {offset} (line {line}, position {offset - lineStart + 1})";
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> json)
    {
        var offset = 0;
        while (Rune.DecodeFromUtf8(json[offset..], out _, out var consumed) == System.Buffers.OperationStatus.Done)
        {
            offset += consumed;
        }
        return offset;
    }

    /// <summary>
    /// In well-formed JSON a backslash appears only inside a string and always starts an escape, so escapes can be
    /// walked from one backslash to the next without tracking strings (and this runs before the parser, whose check
    /// for repeated property names throws on a lone surrogate in a name). A high surrogate escape must be followed at once
    /// by a low one; a low one must follow a high one.
    /// </summary>
    private static int? FirstLoneSurrogateEscape(ReadOnlySpan<byte> json)
    {
        var pendingHigh = -1;
        var next = json.IndexOf((byte)'\\');
        while (next >= 0)
        {
            var at = next;
            var unit = at + 6 <= json.Length && json[at + 1] == (byte)'u' ? Hex(json.Slice(at + 2, 4)) : -1;
            var length = unit >= 0 ? 6 : 2;
            if (unit is >= 0xD800 and <= 0xDBFF)
            {
                if (pendingHigh >= 0)
                {
                    return pendingHigh;
                }
                pendingHigh = at;
            }
            else if (unit is >= 0xDC00 and <= 0xDFFF)
            {
                if (pendingHigh < 0)
                {
                    return at;
                }
                pendingHigh = -1;
            }
            else if (pendingHigh >= 0)
            {
                return pendingHigh;
            }
            var after = Math.Min(at + length, json.Length);
            if (pendingHigh >= 0 && (after >= json.Length || json[after] != (byte)'\\'))
            {
                return pendingHigh;
            }
            var rest = json[after..].IndexOf((byte)'\\');
            next = rest < 0 ? -1 : after + rest;
        }
        return null;
    }

    /// <summary>Four hex digits as a UTF-16 code unit; -1 when they are not hex (malformed JSON, refused by the parser).</summary>
    private static int Hex(ReadOnlySpan<byte> digits)
    {
        var value = 0;
        foreach (var digit in digits)
        {
            var nibble = digit switch
            {
                >= (byte)'0' and <= (byte)'9' => digit - '0',
                >= (byte)'a' and <= (byte)'f' => digit - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => digit - 'A' + 10,
                _ => -1,
            };
            if (nibble < 0)
            {
                return -1;
            }
            value = (value << 4) | nibble;
        }
        return value;
    }
}
