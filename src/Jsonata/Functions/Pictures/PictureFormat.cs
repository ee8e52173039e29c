namespace Jsonata.Functions.Pictures;

/// <summary>
/// The XPath/XSLT picture-string functions of JSONata: $formatInteger, $parseInteger,
/// $formatNumber, $fromMillis and $toMillis. Undefined arguments are the caller's concern
/// (the functions return undefined for an undefined first argument before calling here).
/// </summary>
internal static class PictureFormat
{
    /// <summary>$formatInteger(number, picture): F&amp;O 3.1 format-integer; the value is floored first.</summary>
    public static string FormatInteger(double value, string picture)
    {
        var analysed = IntegerPicture.Analyse(picture);
        return IntegerFormatter.Format(Math.Floor(value), analysed);
    }

    /// <summary>$parseInteger(string, picture); null stands for undefined. Text that cannot be read
    /// gives NaN, as in the reference.</summary>
    public static double? ParseInteger(string value, string picture)
    {
        var analysed = IntegerPicture.Analyse(picture);
        return IntegerParser.Parse(value, analysed);
    }

    /// <summary>$formatNumber(number, picture [, options]): F&amp;O 3.1 format-number, the options
    /// replacing the decimal-format properties of the same name.</summary>
    public static string FormatNumber(double value, string picture, IReadOnlyDictionary<string, string>? options) =>
        NumberFormatter.Format(value, picture, options);

    /// <summary>$fromMillis(number [, picture [, timezone]]). Without a picture the result is ISO 8601
    /// with milliseconds and the offset ("Z" for UTC); the timezone is "+hhmm" or "-hhmm".</summary>
    public static string FormatDateTime(double millis, string? picture, string? timezone, long limit = 0) =>
        DateTimeFormatter.Format(millis, picture, timezone, limit);

    /// <summary>$toMillis(timestamp [, picture]); null stands for undefined (text that does not fit
    /// the picture). Components missing before the first given one come from the current time.</summary>
    public static double? ParseDateTime(string timestamp, string? picture) =>
        ParseDateTime(timestamp, picture, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    /// <summary>As <see cref="ParseDateTime(string, string?)"/> with an explicit current time, so that an
    /// evaluation can use one fixed "now" throughout (as $now() does).</summary>
    public static double? ParseDateTime(string timestamp, string? picture, double nowMillis) =>
        picture is null ? IsoTimestamp.Parse(timestamp) : DateTimeParser.Parse(timestamp, picture, nowMillis);
}
