namespace Jsonata.Json;

/// <summary>The one-character escapes of JSON strings, which JSONata string literals share.</summary>
internal static class JsonEscapes
{
    /// <summary>The character <c>\</c> + <paramref name="escape"/> stands for; false for <c>u</c> and for anything JSON does not allow.</summary>
    public static bool TryUnescape(char escape, out char value)
    {
        value = escape switch
        {
            '"' => '"',
            '\\' => '\\',
            '/' => '/',
            'b' => '\b',
            'f' => '\f',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            _ => '\0',
        };
        return value != '\0';
    }
}
