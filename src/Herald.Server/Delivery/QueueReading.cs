using Herald.Server.Storage.Postgres;
using Herald.Server.Storage.Sqlite;
using Npgsql;

namespace Herald.Server.Delivery;

/// <summary>The queue at one moment, for the gauges: jobs not yet finished, and the due time of the oldest one waiting for a worker.</summary>
public sealed record QueueState(long Depth, DateTimeOffset? OldestDueAt);

/// <summary>Reads <see cref="QueueState"/>: two aggregates over the jobs table, which holds only unfinished jobs.</summary>
public interface IQueueReading
{
    Task<QueueState> ReadAsync(DateTimeOffset now, CancellationToken cancellationToken);
}

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
