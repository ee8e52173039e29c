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
        @"^[0-9]{4}(-[01][0-9])?(-[0-3][0-9])?(T[0-2][0-9]:[0-5][0-9]:[0-5][0-9])?(\.[0-9]+)?([+-][0-2][0-9]:?[0-5][0-9]|Z)?$",
        RegexOptions.CultureInvariant);

    public static object? Now(in CallContext call, object?[] args) =>
        Format(call.Environment.Context.TimestampMillis, Builtins.Arg(args, 0) as string, Builtins.Arg(args, 1) as string, call.Environment.Context.MaxResultBytes);

    public static object? FromMillis(in CallContext call, object?[] args)
    {
        if (Builtins.Arg(args, 0) is not double millis)
        {
            return null;
        }

        return Format(millis, Builtins.Arg(args, 1) as string, Builtins.Arg(args, 2) as string, call.Environment.Context.MaxResultBytes);
    }

    public static object? ToMillis(in CallContext call, object?[] args)
    {
        if (Builtins.Arg(args, 0) is not string timestamp)
        {
            return null;
        }

        if (Builtins.Arg(args, 1) is string picture)
        {
            return PictureFormat.ParseDateTime(timestamp, picture, call.Environment.Context.TimestampMillis);
        }

        if (!Iso8601.IsMatch(timestamp))
        {
            throw new JsonataException("D3110", -1, null, timestamp);
        }

        return IsoDateTime.Parse(timestamp);
    }

    private static string Format(double millis, string? picture, string? timezone, long limit)
    {
        if (picture == null)
        {
            return FormatIso(millis, timezone);
        }

        return PictureFormat.FormatDateTime(millis, picture, timezone, limit);
    }

    private static string FormatIso(double millis, string? timezone) => IsoDateTime.Format(millis, timezone);
}
