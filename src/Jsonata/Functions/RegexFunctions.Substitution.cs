using System.Text;

namespace Jsonata.Functions;

internal static partial class RegexFunctions
{
    /// <summary>Expands <c>$0</c>, <c>$1</c>.. and <c>$$</c> in a replacement string, as the reference does.</summary>
    private static string Substitute(string replacement, MatchResult m)
    {
        var sb = new StringBuilder();
        var position = 0;
        var index = replacement.IndexOf('$', position);
        while (index != -1 && position < replacement.Length)
        {
            sb.Append(replacement, position, index - position);
            position = index + 1;
            var dollarVal = position < replacement.Length ? replacement[position] : '\0';
            if (dollarVal == '$')
            {
                sb.Append('$');
                position++;
            }
            else if (dollarVal == '0')
            {
                sb.Append(m.Match);
                position++;
            }
            else
            {
                var groupCount = m.Groups.Count;
                var maxDigits = groupCount == 0 ? 1 : (int)Math.Floor(Math.Log10(groupCount)) + 1;
                var groupIndex = ParseLeadingInt(replacement, position, maxDigits);
                if (maxDigits > 1 && groupIndex > groupCount)
                {
                    groupIndex = ParseLeadingInt(replacement, position, maxDigits - 1);
                }

                if (groupIndex.HasValue)
                {
                    if (groupCount > 0 && groupIndex.Value >= 1 && groupIndex.Value <= groupCount && m.Groups[groupIndex.Value - 1] is string sub)
                    {
                        sb.Append(sub);
                    }

                    position += groupIndex.Value.ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
                }
                else
                {
                    sb.Append('$');
                }
            }

            index = replacement.IndexOf('$', position);
        }

        if (position < replacement.Length)
        {
            sb.Append(replacement, position, replacement.Length - position);
        }

        return sb.ToString();
    }

    /// <summary>JavaScript <c>parseInt</c> of up to <paramref name="maxDigits"/> characters; null for NaN.</summary>
    private static int? ParseLeadingInt(string s, int start, int maxDigits)
    {
        var end = Math.Min(s.Length, start + maxDigits);
        var value = 0;
        var any = false;
        for (var i = start; i < end && char.IsAsciiDigit(s[i]); i++)
        {
            value = (value * 10) + (s[i] - '0');
            any = true;
        }

        return any ? value : null;
    }
}
