using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Herald.Server.Events;

namespace Herald.Server.Recovery;

/// <summary>
/// The window a recovery covers: events created from <see cref="Since"/> to <see cref="Until"/>, both inclusive, as
/// the event lists' time filters. <see cref="Key"/> names it as it was asked for, so that the same request while its
/// recovery runs finds that recovery: <c>until</c> left out (meaning "now") is part of the key, not the time it became.
/// </summary>
public sealed record RecoveryWindow(DateTimeOffset Since, DateTimeOffset Until, bool UntilGiven)
{
    public string Key => Timestamp.Format(Since) + "/" + (UntilGiven ? Timestamp.Format(Until) : "now");
}

/// <summary>Reads the body of <c>recoverEvents</c>: <c>{ since, until? }</c>. Pure.</summary>
public static class RecoveryRequest
{
    private const string Example = "an ISO 8601 date-time, e.g. 2026-03-01T00:00:00Z";

    public static (RecoveryWindow? Window, string? Error) Read(JsonObject body, DateTimeOffset now, TimeSpan maxWindow)
    {
        var (since, sinceError) = Time(body, "since");
        if (sinceError is not null)
        {
            return (null, sinceError);
        }
        if (since is null)
        {
            return (null, $"since is required: {Example}");
        }
        var (until, untilError) = Time(body, "until");
        if (untilError is not null)
        {
            return (null, untilError);
        }
        var end = until ?? now;
        if (since >= end)
        {
            return (null, until is null ? "since must be before until (now, when until is absent)" : "since must be before until");
        }
        if (end - since > maxWindow)
        {
            return (null, $"until must be at most {Spelled(maxWindow)} after since (setting {RecoveryOptions.Section}:{nameof(RecoveryOptions.MaxWindow)})");
        }
        return (new RecoveryWindow(since.Value, end, until is not null), null);
    }

    private static (DateTimeOffset? Value, string? Error) Time(JsonObject body, string name) => body[name] switch
    {
        null => (null, null),
        JsonValue value when value.GetValueKind() == JsonValueKind.String && Timestamp.Parse(value.GetValue<string>()) is { } parsed => (parsed, null),
        _ => (null, $"{name} must be {Example}"),
    };

    private static string Spelled(TimeSpan span) =>
        span.Ticks % TimeSpan.TicksPerDay == 0 ? $"{span.TotalDays.ToString(CultureInfo.InvariantCulture)} days" : span.ToString("c", CultureInfo.InvariantCulture);
}
