using Herald.Server.Http;
using System.Data.Common;

namespace Herald.Server.Events;

/// <summary>
/// Reads one event row as both engines select it (the same columns in the same order); only how a time is stored
/// differs, so each engine passes its own reader of a time column.
/// </summary>
internal static class EventRow
{
    public static EventRecord Read(DbDataReader reader, Func<DbDataReader, int, DateTimeOffset> time)
    {
        var (input, metadata) = SharedInput.Resolve(reader.GetString(10), Text(reader, 9), Text(reader, 16), Text(reader, 17), Text(reader, 18),
            reader.IsDBNull(19) ? null : reader.GetInt32(19), reader.IsDBNull(20) ? null : reader.GetInt32(20));
        return new EventRecord
        {
            EventId = reader.GetString(0),
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

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
