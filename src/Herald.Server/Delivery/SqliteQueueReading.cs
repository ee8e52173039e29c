using Herald.Server.Storage.Sqlite;

namespace Herald.Server.Delivery;

public sealed class SqliteQueueReading(SqliteDatabase database) : IQueueReading
{
    public async Task<QueueState> ReadAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // Waiting for a worker: due, and not leased (or its lease ran out).
        command.CommandText = """
            SELECT COUNT(*),
                   MIN(CASE WHEN due_at <= $now AND (lease_until IS NULL OR lease_until <= $now) THEN due_at END)
            FROM delivery_jobs
            """;
        command.Parameters.AddWithValue("$now", SqliteTime.ToText(now));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new QueueState(reader.GetInt64(0), reader.IsDBNull(1) ? null : SqliteTime.Parse(reader.GetString(1)));
    }
}
