namespace Jsonata.Functions.Pictures;

/// <summary>English month and weekday names (no culture data is available at run time).</summary>
internal static class CalendarNames
{
    public static readonly string[] Months =
    [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ];

    /// <summary>Indexed by ISO weekday, Monday = 1.</summary>
    public static readonly string[] Weekdays =
    [
        "", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
    ];

    public static string Apply(string name, LetterCase letterCase) => letterCase switch
    {
        LetterCase.Upper => name.ToUpperInvariant(),
        LetterCase.Lower => name.ToLowerInvariant(),
        _ => name,
    };
}
