using Herald.Server.Events;
using Herald.Server.Http;
using Herald.Server.Storage;
using Herald.Server.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Herald.Server.Recovery;

public sealed class SqliteRecoveryStore(SqliteDatabase database) : IRecoveryStore
{
    private const string Columns = "recovery_id, org_id, config_id, window_key, since, until, total, paged, after_created_at, after_event_id, created_at";

    public async Task<EventRecovery?> FindAsync(OrganizationId orgId, ConfigId configId, string windowKey, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM event_recoveries WHERE org_id = $org AND config_id = $config AND window_key = $key";
        command.Parameters.AddWithValue("$org", orgId.Value);
        command.Parameters.AddWithValue("$config", configId.Value);
        command.Parameters.AddWithValue("$key", windowKey);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<EventRecovery?> StartAsync(EventRecovery recovery, int maxPerOrganization, CancellationToken cancellationToken)
    {
        await using (var connection = await database.OpenAsync(cancellationToken))
        await using (var command = connection.CreateCommand())
        {
            // One statement: SQLite runs one writer at a time, so the count and the insert see the same rows.
            command.CommandText = $"""
                INSERT INTO event_recoveries ({Columns})
                SELECT $id, $org, $config, $key, $since, $until, $total, 0, NULL, NULL, $created
                WHERE (SELECT COUNT(*) FROM event_recoveries WHERE org_id = $org) < $max
                ON CONFLICT (org_id, config_id, window_key) DO NOTHING
                """;
            command.Parameters.AddWithValue("$id", recovery.RecoveryId);
            command.Parameters.AddWithValue("$org", recovery.OrgId.Value);
            command.Parameters.AddWithValue("$config", recovery.ConfigId.Value);
            command.Parameters.AddWithValue("$key", recovery.WindowKey);
            command.Parameters.AddWithValue("$since", SqliteTime.ToText(recovery.Since));
            command.Parameters.AddWithValue("$until", SqliteTime.ToText(recovery.Until));
            command.Parameters.AddWithValue("$total", recovery.Total);
            command.Parameters.AddWithValue("$created", SqliteTime.ToText(recovery.CreatedAt));
            command.Parameters.AddWithValue("$max", maxPerOrganization);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        return await FindAsync(recovery.OrgId, recovery.ConfigId, recovery.WindowKey, cancellationToken);
    }

    public async Task<IReadOnlyList<EventRecovery>> ListAsync(int max, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM event_recoveries ORDER BY created_at, recovery_id LIMIT $max";
        command.Parameters.AddWithValue("$max", max);
        var running = new List<EventRecovery>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            running.Add(Read(reader));
        }
        return running;
    }

    public async Task<bool> AdvanceAsync(WriteSession session, string recoveryId, int pagedBefore, int paged, EventCursor after, CancellationToken cancellationToken)
    {
        var update = session.As<SqliteWriteLane.Session>().Prepare(
            "UPDATE event_recoveries SET paged = $paged, after_created_at = $at, after_event_id = $event WHERE recovery_id = $id AND paged = $before",
            "$paged", "$at", "$event", "$id", "$before");
        update.Bind(paged, SqliteTime.ToText(after.CreatedAt), after.EventId, recoveryId, pagedBefore);
        return await update.Command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task FinishAsync(string recoveryId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM event_recoveries WHERE recovery_id = $id";
        command.Parameters.AddWithValue("$id", recoveryId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static EventRecovery Read(SqliteDataReader reader) => new()
    {
        RecoveryId = reader.GetString(0),
        OrgId = OrganizationId.From(reader.GetString(1)),
        ConfigId = ConfigId.From(reader.GetString(2)),
        WindowKey = reader.GetString(3),
        Since = SqliteTime.Parse(reader.GetString(4)),
        Until = SqliteTime.Parse(reader.GetString(5)),
        Total = reader.GetInt32(6),
        Paged = reader.GetInt32(7),
        After = reader.IsDBNull(8) ? null : new EventCursor(SqliteTime.Parse(reader.GetString(8)), reader.GetString(9)),
        CreatedAt = SqliteTime.Parse(reader.GetString(10)),
    };
}
