using System.Text.Json;
using System.Text.Json.Nodes;

namespace Herald.Server.Http;

/// <summary>
/// Text that both engines store alike. PostgreSQL's <c>text</c> and <c>jsonb</c> cannot hold U+0000 (NUL): a statement
/// carrying one fails whole, so a config, a variable or a search holding one is refused with a 400 that names the field
/// (on either engine, so that the same request gets the same answer), and what a receiver answers is recorded with
/// U+FFFD in its place. JSON text written by Herald escapes the character (<c>\u0000</c>), so event inputs and payloads
/// keep it.
/// </summary>
public static class StoredText
{
    public static bool HasNul(string? text) => text is not null && text.Contains('\0', StringComparison.Ordinal);

    /// <summary>Text from outside (a receiver's answer, a token endpoint's), storable: each U+0000 becomes U+FFFD.</summary>
    public static string? Storable(string? text) => HasNul(text) ? text!.Replace('\0', '\uFFFD') : text;

    /// <summary>
    /// The first <paramref name="max"/> characters of <paramref name="text"/> at most, one fewer when the cut would split
    /// a character made of two UTF-16 code units (an emoji): half of one cannot be written as UTF-8, and PostgreSQL's
    /// driver refuses the whole statement.
    /// </summary>
    public static string Cut(string text, int max) =>
        text.Length <= max ? text : text[..(char.IsHighSurrogate(text[max - 1]) ? max - 1 : max)];

    /// <summary>The 400 message for <paramref name="field"/> holding U+0000.</summary>
    public static string NulRefused(string field) => $"{field} must not contain the character U+0000 (NUL)";

    /// <summary>
    /// Where the first U+0000 in <paramref name="node"/> is: the path of the string that holds it
    /// (<c>filter.supportedValues[0]</c>), or the object one of whose property names holds it; null when none does.
    /// </summary>
    public static string? FirstNul(JsonNode? node, string path = "")
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    var at = path.Length == 0 ? name : $"{path}.{name}";
                    if (HasNul(name))
                    {
                        return $"a property name of {(path.Length == 0 ? "the body" : path)}";
                    }
                    if (FirstNul(child, at) is { } found)
                    {
                        return found;
                    }
                }
                return null;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (FirstNul(array[i], $"{path}[{i}]") is { } found)
                    {
                        return found;
                    }
                }
                return null;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                return HasNul(value.GetValue<string>()) ? (path.Length == 0 ? "the body" : path) : null;
            default:
                return null;
        }
    }
}
