namespace Jsonata.Parsing;

/// <summary>A regular expression literal as written (<c>/pattern/flags</c>) and its compiled form.</summary>
internal sealed class RegexLiteral
{
    public RegexLiteral(string pattern, string flags, TimedRegex regex)
    {
        Pattern = pattern;
        Flags = flags;
        Regex = regex;
    }

    public string Pattern { get; }

    public string Flags { get; }

    /// <summary>Compiled once at parse time, timed per evaluation; safe to share between threads.</summary>
    public TimedRegex Regex { get; }
}
