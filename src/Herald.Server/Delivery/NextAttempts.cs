using System.Text.Json;
using Herald.Server.Events;
using Herald.Server.Http;
using Herald.Server.Storage.Postgres;
using Herald.Server.Storage.Sqlite;
using Npgsql;

namespace Herald.Server.Delivery;

/// <summary>
/// <see cref="INextAttempts"/> on SQLite: an automatic job that has made attempts (<c>attempt &gt; 0</c>) is a
/// scheduled retry; its due time is the next attempt's. A finished job has no row.
/// </summary>
public sealed class SqliteNextAttempts(SqliteDatabase database) : INextAttempts
{
    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> DueAsync(OrganizationId orgId, IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken)
    {
        var due = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        if (eventIds.Count == 0)
        {
            return due;
        }
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT event_id, due_at FROM delivery_jobs
            WHERE org_id = $org AND kind = 'deliver' AND attempt > 0 AND event_id IN (SELECT value FROM json_each($ids))
            """;
        command.Parameters.AddWithValue("$org", orgId.Value);
        command.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(eventIds));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            due[reader.GetString(0)] = SqliteTime.Parse(reader.GetString(1));
        }
        return due;
    }
}

/// <summary><see cref="INextAttempts"/> on PostgreSQL, as <see cref="SqliteNextAttempts"/>.</summary>
public sealed class PostgresNextAttempts(PostgresDatabase database) : INextAttempts
{
    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> DueAsync(OrganizationId orgId, IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken)
    {
        var due = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        if (eventIds.Count == 0)
        {
            return due;
        }
        await using var command = database.DataSource.CreateCommand("""
            SELECT event_id, due_at FROM delivery_jobs
            WHERE org_id = $1 AND kind = 'deliver' AND attempt > 0 AND event_id = ANY($2)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = orgId.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = eventIds.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            due[reader.GetString(0)] = reader.GetFieldValue<DateTimeOffset>(1);
        }
        return due;
    }
}
