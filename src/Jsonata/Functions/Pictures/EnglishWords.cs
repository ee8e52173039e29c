using System.Text.RegularExpressions;

namespace Jsonata.Functions.Pictures;

/// <summary>
/// English number words in the British style of the reference ("one hundred and one",
/// "three thousand, seven hundred"). Scales stop at trillion, so larger numbers repeat it
/// ("one thousand trillion").
/// </summary>
internal static partial class EnglishWords
{
    private static readonly string[] Units =
    [
        "Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten",
        "Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen",
    ];

    private static readonly string[] UnitOrdinals =
    [
        "Zeroth", "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth",
        "Eleventh", "Twelfth", "Thirteenth", "Fourteenth", "Fifteenth", "Sixteenth", "Seventeenth", "Eighteenth", "Nineteenth",
    ];

    private static readonly string[] Tens = ["Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety"];

    private static readonly string[] Scales = ["Thousand", "Million", "Billion", "Trillion"];

    /// <summary>Every word the parser understands, lower case, with its value.</summary>
    internal static readonly IReadOnlyDictionary<string, double> WordValues = BuildWordValues();

    /// <summary>The words of a non-negative integer, in title case.</summary>
    public static string ToWords(double value, bool ordinal) => Spell(value, false, ordinal);

    // `afterLarger` says a larger part has already been written, which decides the joining
    // word: " and " before a part under a hundred, ", " before anything bigger.
    private static string Spell(double n, bool afterLarger, bool ordinal)
    {
        if (n < 20)
        {
            int index = (int)n;
            return (afterLarger ? " and " : "") + (ordinal ? UnitOrdinals[index] : Units[index]);
        }
        if (n < 100)
        {
            double unit = n % 10;
            string tens = Tens[(int)Math.Floor(n / 10) - 2];
            string head = (afterLarger ? " and " : "") + tens;
            if (unit > 0)
            {
                return head + "-" + Spell(unit, false, ordinal);
            }
            // "Twenty" becomes "Twentieth".
            return ordinal ? head[..^1] + "ieth" : head;
        }
        string prefix = afterLarger ? ", " : "";
        double rest;
        string lead;
        if (n < 1000)
        {
            lead = Units[(int)Math.Floor(n / 100)] + " Hundred";
            rest = n % 100;
        }
        else
        {
            int scale = Math.Min((int)Math.Floor(Math.Log10(n) / 3), Scales.Length);
            double factor = Math.Pow(10, scale * 3);
            double count = Math.Floor(n / factor);
            lead = Spell(count, false, false) + " " + Scales[scale - 1];
            rest = n - count * factor;
        }
        if (rest > 0)
        {
            return prefix + lead + Spell(rest, true, ordinal);
        }
        return prefix + lead + (ordinal ? "th" : "");
    }

    /// <summary>
    /// Reads number words (any case already lowered). Returns NaN when a word is not known.
    /// Small values add into the current group; hundred and the scales multiply it; a group that
    /// has reached a thousand is closed so "one million, two hundred" sums two groups.
    /// </summary>
    public static double FromWords(string lowerText)
    {
        var groups = new List<double> { 0 };
        foreach (string word in WordSplitter().Split(lowerText))
        {
            if (!WordValues.TryGetValue(word, out double value))
            {
                return double.NaN;
            }
            double current = groups[^1];
            if (value < 100)
            {
                if (current >= 1000)
                {
                    groups.Add(value);
                }
                else
                {
                    groups[^1] = current + value;
                }
            }
            else
            {
                groups[^1] = current * value;
            }
        }
        return groups.Sum();
    }

    private static Dictionary<string, double> BuildWordValues()
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        for (int i = 0; i < Units.Length; i++)
        {
            values[Units[i].ToLowerInvariant()] = i;
            values[UnitOrdinals[i].ToLowerInvariant()] = i;
        }
        for (int i = 0; i < Tens.Length; i++)
        {
            string word = Tens[i].ToLowerInvariant();
            values[word] = (i + 2) * 10;
            values[word[..^1] + "ieth"] = (i + 2) * 10;
        }
        values["hundred"] = 100;
        values["hundredth"] = 100;
        for (int i = 0; i < Scales.Length; i++)
        {
            string word = Scales[i].ToLowerInvariant();
            double value = Math.Pow(10, (i + 1) * 3);
            values[word] = value;
            values[word + "th"] = value;
        }
        return values;
    }

    [GeneratedRegex(@",\s|\sand\s|[\s\\-]")]
    private static partial Regex WordSplitter();
}
