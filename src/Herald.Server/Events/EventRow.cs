using Herald.Server.Http;
using System.Data.Common;

namespace Herald.Server.Events;

/// <summary>
/// Reads one event row as both engines select it (the same columns in the same order); only how a time is stored
/// differs, so each engine passes its own reader of a time column.
/// </summary>
internal static class EventRow
{
    /// <summary>An event's columns, then those of its fan-out's shared input (null for an event with its own input), in the order <see cref="Read"/> reads them.</summary>
    public const string Columns = "event_id, org_id, config_id, event_name, created_at, status, retry_attempt, http_method, url, metadata, input, payload, original_payload, http_response, start_date, end_date, "
        + "input_id, body, slots, metadata_start, metadata_end";

    /// <summary>Events with the shared input of their fan-out, when they have one.</summary>
    public const string From = "webhook_events LEFT JOIN event_inputs USING (input_id)";

    /// <summary>An attempt's columns, in the order <see cref="ReadAttempt"/> reads them.</summary>
    public const string AttemptColumns = "event_id, org_id, number, kind, started_at, duration_ms, status_code, code, message, response_excerpt, after_reclaim, request";

    /// <summary>How many columns <see cref="AttemptColumns"/> names: a column selected after them is at this index.</summary>
    public const int AttemptColumnCount = 12;

    /// <summary>
    /// The first <paramref name="limit"/> of <paramref name="read"/> (tries with their ids, read one beyond the limit),
    /// and where the next page starts when there was one beyond.
    /// </summary>
    public static AttemptPage Page(List<(DeliveryAttempt Attempt, long Id)> read, int limit) =>
        read.Count > limit
            ? new AttemptPage(read.Take(limit).Select(a => a.Attempt).ToList(), read[limit - 1].Id)
            : new AttemptPage(read.Select(a => a.Attempt).ToList(), null);

    public static EventRecord Read(DbDataReader reader, Func<DbDataReader, int, DateTimeOffset> time)
    {
        var (input, metadata) = SharedInput.Resolve(reader.GetString(10), Text(reader, 9), Text(reader, 16), Text(reader, 17), Text(reader, 18),
            reader.IsDBNull(19) ? null : reader.GetInt32(19), reader.IsDBNull(20) ? null : reader.GetInt32(20));
        return new EventRecord
        {
            EventId = WebhookEventId.From(reader.GetString(0)),
            OrgId = OrganizationId.From(reader.GetString(1)),
            ConfigId = ConfigId.From(reader.GetString(2)),
            EventName = reader.GetString(3),
            CreatedAt = time(reader, 4),
            Status = EventStatuses.FromStore(reader.GetString(5)),
            RetryAttempt = reader.GetInt32(6),
            HttpMethod = Text(reader, 7),
            Url = Text(reader, 8),
            Metadata = metadata,
            Input = input,
            Payload = StoredPayload.FromStore(Text(reader, 11), input),
            OriginalPayload = Text(reader, 12),
            HttpResponse = Text(reader, 13),
            StartDate = reader.IsDBNull(14) ? null : time(reader, 14),
            EndDate = reader.IsDBNull(15) ? null : time(reader, 15),
        };
    }

    /// <summary>Reads one attempt row selected as <see cref="AttemptColumns"/>.</summary>
    public static DeliveryAttempt ReadAttempt(DbDataReader reader, Func<DbDataReader, int, DateTimeOffset> time) => new()
    {
        EventId = WebhookEventId.From(reader.GetString(0)),
        OrgId = OrganizationId.From(reader.GetString(1)),
        Number = reader.GetInt32(2),
        Kind = JobKinds.FromStore(reader.GetString(3)),
        StartedAt = time(reader, 4),
        DurationMs = reader.GetInt32(5),
        StatusCode = reader.IsDBNull(6) ? null : reader.GetInt32(6),
        Code = reader.IsDBNull(7) ? null : DeliveryCodes.FromWire(reader.GetString(7)),
        Message = Text(reader, 8),
        ResponseExcerpt = Text(reader, 9),
        AfterReclaim = reader.GetBoolean(10),
        Request = Text(reader, 11),
    };

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
