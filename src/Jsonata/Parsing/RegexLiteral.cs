using System.Text.RegularExpressions;

namespace Jsonata.Parsing;

/// <summary>A regular expression literal as written (<c>/pattern/flags</c>) and its compiled form.</summary>
internal sealed class RegexLiteral
{
    public RegexLiteral(string pattern, string flags, Regex regex)
    {
        Pattern = pattern;
        Flags = flags;
        Regex = regex;
    }

    public string Pattern { get; }

    public string Flags { get; }

    /// <summary>Compiled once at parse time; <see cref="Regex"/> is safe to share between threads.</summary>
    public Regex Regex { get; }
}
