namespace Jsonata.Functions.Pictures;

// Placeholder until the picture-string formatting lands; this file is removed when it does.
internal static class PictureFormat
{
    public static string FormatInteger(double value, string picture) => throw Pending();

    public static double? ParseInteger(string value, string picture) => throw Pending();

    public static string FormatNumber(double value, string picture, IReadOnlyDictionary<string, string>? options) => throw Pending();

    public static string FormatDateTime(double millis, string? picture, string? timezone) => throw Pending();

    public static double? ParseDateTime(string timestamp, string? picture) => throw Pending();

    private static JsonataException Pending() => new("D3999", "picture formats pending");
}
