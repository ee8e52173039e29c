using System.Text;
using System.Text.RegularExpressions;

namespace Herald.Server.Environments;

/// <summary>A field after env resolution: its value, or why it has none.</summary>
/// <param name="TooLong">The value would exceed the length asked for; resolution stopped there.</param>
public readonly record struct EnvResolution(string? Value, string? Error, bool TooLong = false);

/// <summary>
/// <c>{{ env.NAME }}</c> references (wire-format section 5). Pure: text and the organization's values in, resolved
/// text out. Spaces inside the braces are allowed, names may be dotted, and names match variable keys exactly.
/// Values are inserted as they are (no escaping) and are not resolved again, so a value that itself looks like a
/// reference stays literal. A field flagged <c>*IsEnvVar</c> holds one whole reference: <c>{{ env.NAME }}</c>,
/// <c>env.NAME</c> or the bare <c>NAME</c>.
/// </summary>
public static partial class EnvReferences
{
    /// <summary>The variable names a field needs.</summary>
    public static IEnumerable<string> NamesIn(string? text, bool wholeValue = false)
    {
        if (text is null)
        {
            return [];
        }
        if (wholeValue)
        {
            return WholeName(text) is { } name ? [name] : [];
        }
        return Embedded().Matches(text).Select(m => m.Groups["name"].Value);
    }

    /// <summary>
    /// The text with its references replaced. With <paramref name="maxLength"/>, substitution stops as soon as the
    /// result would grow past it, so a short text of many references to a long value is never built in full.
    /// </summary>
    public static EnvResolution Resolve(string? text, bool wholeValue, IReadOnlyDictionary<string, string> values, int maxLength = int.MaxValue)
    {
        if (text is null)
        {
            return new(null, null);
        }
        if (wholeValue)
        {
            return WholeName(text) switch
            {
                null => new(null, "is marked as an environment variable reference but holds none"),
                var name when values.TryGetValue(name, out var value) => value.Length > maxLength ? TooLong(maxLength) : new(value, null),
                var name => new(null, Missing(name)),
            };
        }
        var resolved = new StringBuilder();
        var copied = 0;
        for (var match = Embedded().Match(text); match.Success; match = match.NextMatch())
        {
            var name = match.Groups["name"].Value;
            if (!values.TryGetValue(name, out var value))
            {
                return new(null, Missing(name));
            }
            if (resolved.Length + (match.Index - copied) + value.Length > maxLength)
            {
                return TooLong(maxLength);
            }
            resolved.Append(text, copied, match.Index - copied).Append(value);
            copied = match.Index + match.Length;
        }
        if (resolved.Length + (text.Length - copied) > maxLength)
        {
            return TooLong(maxLength);
        }
        return new(resolved.Append(text, copied, text.Length - copied).ToString(), null);
    }

    public static bool HasReference(string? text) => text is not null && Embedded().IsMatch(text);

    private static string? WholeName(string text)
    {
        var match = Whole().Match(text);
        return match.Success ? match.Groups["name"].Value : null;
    }

    private static EnvResolution TooLong(int maxLength) => new(null, $"would resolve to more than {maxLength} characters", TooLong: true);

    private static string Missing(string name) => $"refers to environment variable '{name}', which is not defined";

    [GeneratedRegex(@"\{\{\s*env\.(?<name>[A-Za-z0-9_.\-]+)\s*\}\}")]
    private static partial Regex Embedded();

    [GeneratedRegex(@"^\s*(?:\{\{\s*env\.(?<name>[A-Za-z0-9_.\-]+)\s*\}\}|(?:env\.)?(?<name>[A-Za-z0-9_.\-]+))\s*\z")]
    private static partial Regex Whole();
}
