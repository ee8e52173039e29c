using Herald.Server.Events;
using Herald.Server.Http;
using Herald.Server.Storage;
using Herald.Server.Storage.Postgres;
using Npgsql;

namespace Herald.Server.Recovery;

public sealed class PostgresRecoveryStore(PostgresDatabase database) : IRecoveryStore
{
    private const string Columns = "recovery_id, org_id, config_id, window_key, since, until, total, paged, after_created_at, after_event_id, created_at";

    public async Task<EventRecovery?> FindAsync(OrganizationId orgId, ConfigId configId, string windowKey, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand($"SELECT {Columns} FROM event_recoveries WHERE org_id = $1 AND config_id = $2 AND window_key = $3");
        command.Parameters.AddWithValue(orgId.Value);
        command.Parameters.AddWithValue(configId.Value);
        command.Parameters.AddWithValue(windowKey);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<EventRecovery?> StartAsync(EventRecovery recovery, int maxPerOrganization, CancellationToken cancellationToken)
    {
        // Two starts racing each other may both see room: the limit holds but for such a race.
        await using (var command = database.DataSource.CreateCommand($"""
            INSERT INTO event_recoveries ({Columns})
            SELECT $1, $2, $3, $4, $5, $6, $7, 0, NULL, NULL, $8
            WHERE (SELECT COUNT(*) FROM event_recoveries WHERE org_id = $2) < $9
            ON CONFLICT (org_id, config_id, window_key) DO NOTHING
            """))
        {
            command.Parameters.AddWithValue(recovery.RecoveryId);
            command.Parameters.AddWithValue(recovery.OrgId.Value);
            command.Parameters.AddWithValue(recovery.ConfigId.Value);
            command.Parameters.AddWithValue(recovery.WindowKey);
            command.Parameters.AddWithValue(recovery.Since);
            command.Parameters.AddWithValue(recovery.Until);
            command.Parameters.AddWithValue(recovery.Total);
            command.Parameters.AddWithValue(recovery.CreatedAt);
            command.Parameters.AddWithValue((long)maxPerOrganization);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        return await FindAsync(recovery.OrgId, recovery.ConfigId, recovery.WindowKey, cancellationToken);
    }

    public async Task<IReadOnlyList<EventRecovery>> ListAsync(int max, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand($"SELECT {Columns} FROM event_recoveries ORDER BY created_at, recovery_id LIMIT $1");
        command.Parameters.AddWithValue(max);
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
        var pg = session.As<PostgresWriteSession>();
        var advanced = false;
        pg.Add("""
            UPDATE event_recoveries SET paged = $1, after_created_at = $2, after_event_id = $3 WHERE recovery_id = $4 AND paged = $5
            RETURNING recovery_id
            """, [paged, after.CreatedAt, after.EventId, recoveryId, pagedBefore], _ => advanced = true);
        await pg.RunAsync(cancellationToken);
        return advanced;
    }

    public async Task FinishAsync(string recoveryId, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand("DELETE FROM event_recoveries WHERE recovery_id = $1");
        command.Parameters.AddWithValue(recoveryId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static EventRecovery Read(NpgsqlDataReader reader) => new()
    {
        RecoveryId = reader.GetString(0),
        OrgId = OrganizationId.From(reader.GetString(1)),
        ConfigId = ConfigId.From(reader.GetString(2)),
        WindowKey = reader.GetString(3),
        Since = reader.GetFieldValue<DateTimeOffset>(4),
        Until = reader.GetFieldValue<DateTimeOffset>(5),
        Total = reader.GetInt32(6),
        Paged = reader.GetInt32(7),
        After = reader.IsDBNull(8) ? null : new EventCursor(reader.GetFieldValue<DateTimeOffset>(8), reader.GetString(9)),
        CreatedAt = reader.GetFieldValue<DateTimeOffset>(10),
    };
}
