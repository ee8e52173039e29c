using System.Text;

namespace Jsonata.Functions.Pictures;

/// <summary>Roman numerals and spreadsheet-style letter numbering (a..z, aa, ab, ...).</summary>
internal static class Numerals
{
    private static readonly (int Value, string Text)[] RomanSteps =
    [
        (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
        (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
    ];

    // Past 3999 the numeral is just more and more 'm's; this bound keeps a huge value from
    // building a string of billions of characters.
    private const double RomanLimit = 1e7;

    /// <summary>Lower-case Roman numeral; zero gives the empty string.</summary>
    public static string ToRoman(double value)
    {
        if (value >= RomanLimit)
        {
            throw new JsonataException("D3130", "The number is too large to be formatted as a Roman numeral", value: value);
        }
        var sb = new StringBuilder();
        long remaining = (long)value;
        foreach (var (step, text) in RomanSteps)
        {
            while (remaining >= step)
            {
                sb.Append(text);
                remaining -= step;
            }
        }
        return sb.ToString();
    }

    /// <summary>Reads an upper-case Roman numeral right to left: a symbol smaller than the largest
    /// one seen so far is subtracted. NaN when a character is not a numeral.</summary>
    public static double FromRoman(string upper)
    {
        double total = 0;
        int largest = 1;
        for (int i = upper.Length - 1; i >= 0; i--)
        {
            int value = upper[i] switch
            {
                'M' => 1000, 'D' => 500, 'C' => 100, 'L' => 50, 'X' => 10, 'V' => 5, 'I' => 1,
                _ => 0,
            };
            if (value == 0)
            {
                return double.NaN;
            }
            if (value < largest)
            {
                total -= value;
            }
            else
            {
                largest = value;
                total += value;
            }
        }
        return total;
    }

    /// <summary>Bijective base-26 letters starting at <paramref name="first"/> ('a' or 'A'): 1 = a, 27 = aa.</summary>
    public static string ToLetters(double value, char first)
    {
        var letters = new StringBuilder();
        while (value > 0)
        {
            letters.Insert(0, (char)(first + (int)((value - 1) % 26)));
            value = Math.Floor((value - 1) / 26);
        }
        return letters.ToString();
    }

    public static double FromLetters(string letters, char first)
    {
        double total = 0;
        for (int i = 0; i < letters.Length; i++)
        {
            total += (letters[letters.Length - 1 - i] - first + 1) * Math.Pow(26, i);
        }
        return total;
    }
}
