using System.Globalization;
using System.Text.RegularExpressions;
using Jsonata.Functions.Pictures;
using Jsonata.Values;

namespace Jsonata.Functions;

/// <summary>
/// <c>$now</c>, <c>$fromMillis</c>, <c>$toMillis</c>. The ISO 8601 forms (no picture) are handled
/// here; picture strings are delegated to <see cref="PictureFormat"/>.
/// </summary>
internal static class DateFunctions
{
    private static readonly Regex Iso8601 = new(
        @"^\d{4}(-[01]\d)*(-[0-3]\d)*(T[0-2]\d:[0-5]\d:[0-5]\d)*(\.\d+)?([+-][0-2]\d:?[0-5]\d|Z)?$",
        RegexOptions.CultureInvariant);

    public static object? Now(in CallContext call, object?[] args) =>
        Format(call.Environment.Context.TimestampMillis, Builtins.Arg(args, 0) as string, Builtins.Arg(args, 1) as string);

    public static object? FromMillis(in CallContext call, object?[] args)
    {
        if (Builtins.Arg(args, 0) is not double millis)
        {
            return null;
        }

        return Format(millis, Builtins.Arg(args, 1) as string, Builtins.Arg(args, 2) as string);
    }

    public static object? ToMillis(in CallContext call, object?[] args)
    {
        if (Builtins.Arg(args, 0) is not string timestamp)
        {
            return null;
        }

        if (Builtins.Arg(args, 1) is string picture)
        {
            return PictureFormat.ParseDateTime(timestamp, picture);
        }

        if (!Iso8601.IsMatch(timestamp))
        {
            throw new JsonataException("D3110", -1, null, timestamp);
        }

        return ParseIso(timestamp);
    }

    private static string Format(double millis, string? picture, string? timezone)
    {
        if (picture == null)
        {
            return FormatIso(millis, timezone);
        }

        return PictureFormat.FormatDateTime(millis, picture, timezone);
    }

    /// <summary>ISO 8601 with milliseconds; UTC is written as <c>Z</c>.</summary>
    public static string FormatIso(double millis, string? timezone)
    {
        var offsetMinutes = ParseOffset(timezone);
        var dt = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Floor(millis)).ToOffset(TimeSpan.FromMinutes(offsetMinutes));
        var text = dt.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture);
        if (offsetMinutes == 0)
        {
            return text + "Z";
        }

        var sign = offsetMinutes < 0 ? '-' : '+';
        var abs = Math.Abs(offsetMinutes);
        return text + sign + (abs / 60).ToString("00", CultureInfo.InvariantCulture) + ":" + (abs % 60).ToString("00", CultureInfo.InvariantCulture);
    }

    private static int ParseOffset(string? timezone)
    {
        if (string.IsNullOrEmpty(timezone) || timezone.Length < 3)
        {
            return 0;
        }

        var hours = int.Parse(timezone.AsSpan(0, timezone.Length - 2), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var minutes = int.Parse(timezone.AsSpan(timezone.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture);
        var negative = timezone[0] == '-';
        return (hours * 60) + (negative ? -minutes : minutes);
    }

    private static object? ParseIso(string timestamp)
    {
        var formats = new[]
        {
            "yyyy", "yyyy-MM", "yyyy-MM-dd",
            "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
            "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
            "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
        };
        var text = timestamp;
        var offsetMatch = Regex.Match(text, @"([+-])(\d\d)(\d\d)$");
        if (offsetMatch.Success && text.Contains('T'))
        {
            text = text.Substring(0, offsetMatch.Index) + offsetMatch.Groups[1].Value + offsetMatch.Groups[2].Value + ":" + offsetMatch.Groups[3].Value;
        }

        if (DateTimeOffset.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var dto))
        {
            return (double)dto.ToUnixTimeMilliseconds();
        }

        return double.NaN;
    }
}
