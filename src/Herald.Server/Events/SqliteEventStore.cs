using Herald.Server.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Herald.Server.Events;

public sealed class SqliteEventStore(SqliteDatabase database) : IEventStore
{
    internal const string Columns = "event_id, org_id, config_id, event_name, created_at, status, retry_attempt, http_method, url, metadata, input, payload, original_payload, http_response, start_date, end_date";

    public async Task<EventRecord?> GetAsync(string orgId, string eventId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM webhook_events WHERE event_id = $id AND org_id = $org";
        command.Parameters.AddWithValue("$id", eventId);
        command.Parameters.AddWithValue("$org", orgId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    internal static EventRecord Read(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        SqliteTime.Parse(reader.GetString(4)),
        reader.GetString(5),
        reader.GetInt32(6),
        reader.IsDBNull(7) ? null : reader.GetString(7),
        reader.IsDBNull(8) ? null : reader.GetString(8),
        reader.IsDBNull(9) ? null : reader.GetString(9),
        reader.GetString(10),
        reader.IsDBNull(11) ? null : reader.GetString(11),
        reader.IsDBNull(12) ? null : reader.GetString(12),
        reader.IsDBNull(13) ? null : reader.GetString(13),
        reader.IsDBNull(14) ? null : SqliteTime.Parse(reader.GetString(14)),
        reader.IsDBNull(15) ? null : SqliteTime.Parse(reader.GetString(15)));
}
