namespace Jsonata.Functions.Pictures;

/// <summary>
/// The decimal-format properties of format-number (F&amp;O 3.1 section 4.7.1): the defaults of the
/// reference, each of which the options argument may replace.
/// </summary>
internal sealed class DecimalFormat
{
    public string DecimalSeparator { get; private init; } = ".";
    public string GroupingSeparator { get; private init; } = ",";
    public string ExponentSeparator { get; private init; } = "e";
    public string Infinity { get; private init; } = "Infinity";
    public string MinusSign { get; private init; } = "-";
    public string NaN { get; private init; } = "NaN";
    public string Percent { get; private init; } = "%";
    public string PerMille { get; private init; } = "\u2030";
    public string ZeroDigit { get; private init; } = "0";
    public string Digit { get; private init; } = "#";
    public string PatternSeparator { get; private init; } = ";";

    /// <summary>The first character of zero-digit; the family is the ten characters from it.</summary>
    public char Zero => ZeroDigit.Length > 0 ? ZeroDigit[0] : '0';

    public static DecimalFormat From(IReadOnlyDictionary<string, string>? options)
    {
        var format = new DecimalFormat();
        if (options is null)
        {
            return format;
        }
        string Pick(string key, string fallback) => options.TryGetValue(key, out var value) ? value : fallback;
        return new DecimalFormat
        {
            DecimalSeparator = Pick("decimal-separator", format.DecimalSeparator),
            GroupingSeparator = Pick("grouping-separator", format.GroupingSeparator),
            ExponentSeparator = Pick("exponent-separator", format.ExponentSeparator),
            Infinity = Pick("infinity", format.Infinity),
            MinusSign = Pick("minus-sign", format.MinusSign),
            NaN = Pick("NaN", format.NaN),
            Percent = Pick("percent", format.Percent),
            PerMille = Pick("per-mille", format.PerMille),
            ZeroDigit = Pick("zero-digit", format.ZeroDigit),
            Digit = Pick("digit", format.Digit),
            PatternSeparator = Pick("pattern-separator", format.PatternSeparator),
        };
    }

    public bool IsFamilyDigit(char c) => c >= Zero && c - Zero < 10;

    public bool IsDigitSign(char c) => IsFamilyDigit(c) || Is(c, Digit);

    /// <summary>Active characters are those with a meaning in the picture; anything else is passive.</summary>
    public bool IsActive(char c) =>
        IsFamilyDigit(c) || Is(c, DecimalSeparator) || Is(c, ExponentSeparator) || Is(c, GroupingSeparator)
        || Is(c, Digit) || Is(c, PatternSeparator);

    /// <summary>Whether the single character <paramref name="c"/> is the (one-character) property.</summary>
    public static bool Is(char c, string property) => property.Length == 1 && property[0] == c;
}
