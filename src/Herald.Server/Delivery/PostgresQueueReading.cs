using Herald.Server.Storage.Postgres;
using Npgsql;

namespace Herald.Server.Delivery;

public sealed class PostgresQueueReading(PostgresDatabase database) : IQueueReading
{
    public async Task<QueueState> ReadAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand("""
            SELECT COUNT(*),
                   MIN(due_at) FILTER (WHERE due_at <= $1 AND (lease_until IS NULL OR lease_until <= $1))
            FROM delivery_jobs
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new QueueState(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1));
    }
}
