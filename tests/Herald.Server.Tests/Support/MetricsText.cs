using System.Text.RegularExpressions;

namespace Herald.Server.Tests.Support;

/// <summary>Reads the Prometheus text that <c>/metrics</c> answers.</summary>
public static class MetricsText
{
    /// <summary>The value of the first sample of <paramref name="name"/> whose labels contain every one of <paramref name="labels"/>; null when none.</summary>
    public static double? Sample(string text, string name, params string[] labels)
    {
        foreach (var line in text.Split('\n'))
        {
            var match = Regex.Match(line, "^" + Regex.Escape(name) + @"\{(?<labels>[^}]*)\} (?<value>\S+)");
            if (match.Success && labels.All(l => match.Groups["labels"].Value.Contains(l, StringComparison.Ordinal)))
            {
                return double.Parse(match.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return null;
    }
}
