using System.Globalization;

namespace Herald.Server.Configs;

/// <summary>
/// The schema version of an Event Catalog event: <c>MAJOR.MINOR</c>, as stamped in <c>_event_version</c> and in each
/// <c>_downgrades[].to</c>. Compared by number, so 2.10 is newer than 2.9.
/// </summary>
public readonly record struct EventVersion(int Major, int Minor) : IComparable<EventVersion>
{
    public static bool TryParse(string? text, out EventVersion version)
    {
        version = default;
        if (text is null)
        {
            return false;
        }
        var dot = text.IndexOf('.');
        if (dot <= 0 || dot == text.Length - 1
            || !TryPart(text.AsSpan(0, dot), out var major)
            || !TryPart(text.AsSpan(dot + 1), out var minor))
        {
            return false;
        }
        version = new EventVersion(major, minor);
        return true;
    }

    public int CompareTo(EventVersion other) => Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    public static bool operator <(EventVersion left, EventVersion right) => left.CompareTo(right) < 0;

    public static bool operator >(EventVersion left, EventVersion right) => left.CompareTo(right) > 0;

    public static bool operator <=(EventVersion left, EventVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(EventVersion left, EventVersion right) => left.CompareTo(right) >= 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}");

    // Digits only: no sign, no spaces, no exponent; at most 9 so the value fits.
    private static bool TryPart(ReadOnlySpan<char> digits, out int value)
    {
        value = 0;
        if (digits.Length is 0 or > 9)
        {
            return false;
        }
        foreach (var c in digits)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }
        value = int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        return true;
    }
}
