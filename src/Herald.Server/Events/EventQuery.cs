using System.Text.Json;
using System.Text.Json.Nodes;
using Herald.Server.Http;

namespace Herald.Server.Events;

/// <summary>
/// One page request against a config's event log, in list order (newest first). Every filter is optional;
/// <see cref="From"/> and <see cref="To"/> are inclusive; <see cref="After"/> starts the page after a cursor.
/// <see cref="Limit"/> is how many rows the store returns at most.
/// </summary>
public sealed record EventQuery(
    int Limit,
    EventCursor? After = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    EventStatus? Status = null,
    string? EventId = null);

/// <summary>Reads the two list requests (v2 <c>SearchOptions</c>, v1 query string) into an <see cref="EventQuery"/>. Pure.</summary>
public static class EventSearch
{
    public const int MaxLimit = 25;
    public const int DefaultLimit = 25;

    /// <summary>The statuses each list accepts as a filter, as the contract enumerates them.</summary>
    public static readonly EventStatus[] V2Statuses = [EventStatus.Succeeded, EventStatus.Failed, EventStatus.Skipped];

    public static readonly EventStatus[] V1Statuses = [EventStatus.Succeeded, EventStatus.Failed, EventStatus.InProgress];

    /// <summary>The v2 body. Absent or null fields mean "no filter" (or the default limit); anything else malformed is an error.</summary>
    public static (EventQuery? Query, string? Error) FromSearchOptions(JsonObject options)
    {
        var limit = DefaultLimit;
        if (options["limit"] is { } limitNode)
        {
            if (limitNode.GetValueKind() != JsonValueKind.Number || !limitNode.AsValue().TryGetValue<int>(out limit) || limit is < 1 or > MaxLimit)
            {
                return Fail($"limit must be an integer from 1 to {MaxLimit}");
            }
        }

        EventCursor? after = null;
        if (options["cursor"] is { } cursorNode)
        {
            var (cursor, error) = EventCursor.FromJson(cursorNode);
            if (error is not null)
            {
                return Fail(error);
            }
            after = cursor;
        }

        DateTimeOffset? from = null, to = null;
        if (options["timestamp"] is { } range)
        {
            if (range is not JsonObject bounds)
            {
                return Fail("timestamp must be an object with from and/or to");
            }
            var (fromValue, fromError) = Bound(bounds, "from");
            var (toValue, toError) = Bound(bounds, "to");
            if ((fromError ?? toError) is { } error)
            {
                return Fail(error);
            }
            if (fromValue > toValue)
            {
                return Fail("timestamp.from must not be after timestamp.to");
            }
            (from, to) = (fromValue, toValue);
        }

        var (status, statusError) = Text(options, "status");
        if (statusError is not null)
        {
            return Fail(statusError);
        }
        EventStatus? statusFilter = null;
        if (status is not null)
        {
            if (!EventStatuses.TryParse(status, out var parsed) || !V2Statuses.Contains(parsed))
            {
                return Fail($"status must be one of {Spelled(V2Statuses)}");
            }
            statusFilter = parsed;
        }

        var (eventId, eventIdError) = Text(options, "event_id");
        if (eventIdError is not null || eventId is { Length: 0 or > EventCursor.MaxEventIdLength })
        {
            return Fail("event_id must be a non-empty string");
        }
        if (StoredText.HasNul(eventId))
        {
            return Fail(StoredText.NulRefused("event_id"));
        }

        return (new EventQuery(limit, after, from, to, statusFilter, eventId), null);
    }

    /// <summary>The v1 query string: an optional status and an optional base64 cursor; pages of <see cref="DefaultLimit"/>.</summary>
    public static (EventQuery? Query, string? Error) FromV1(string? status, string? cursor)
    {
        EventStatus? statusFilter = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (!EventStatuses.TryParse(status, out var parsed) || !V1Statuses.Contains(parsed))
            {
                return Fail($"status must be one of {Spelled(V1Statuses)}");
            }
            statusFilter = parsed;
        }
        EventCursor? after = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            var (decoded, error) = EventCursor.FromBase64(cursor);
            if (error is not null)
            {
                return Fail(error);
            }
            after = decoded;
        }
        return (new EventQuery(DefaultLimit, after, Status: statusFilter), null);
    }

    private static (DateTimeOffset? Value, string? Error) Bound(JsonObject bounds, string name)
    {
        var (text, error) = Text(bounds, name);
        if (error is not null || text is null)
        {
            return (null, error is null ? null : $"timestamp.{name} must be an ISO 8601 date-time");
        }
        return Timestamp.Parse(text) is { } value ? (value, null) : (null, $"timestamp.{name} must be an ISO 8601 date-time");
    }

    /// <summary>A string field: its value, null when absent or null, or an error when it has another type.</summary>
    private static (string? Value, string? Error) Text(JsonObject fields, string name) => fields[name] switch
    {
        null => (null, null),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => (value.GetValue<string>(), null),
        _ => (null, $"{name} must be a string"),
    };

    private static string Spelled(EventStatus[] statuses) => string.Join(", ", statuses.Select(s => s.ToContract()));

    private static (EventQuery?, string?) Fail(string error) => (null, error);
}
