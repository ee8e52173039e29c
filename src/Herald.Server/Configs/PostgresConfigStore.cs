using System.Text.Json;
using Herald.Server.Http;
using Herald.Server.Storage;
using Herald.Server.Storage.Postgres;
using Npgsql;
using NpgsqlTypes;

namespace Herald.Server.Configs;

public sealed class PostgresConfigStore(PostgresDatabase database) : IConfigStore
{
    private const string Columns = "org_id, id, version, created_at, updated_at, document::text, secrets";

    public Task<bool> InsertAsync(ConfigRecord record, int maxPerOrganization, CancellationToken cancellationToken) =>
        database.InsertCountedAsync("webhook_configs", record.OrgId.Value, """
            INSERT INTO webhook_configs (org_id, id, version, created_at, updated_at, document, secrets, event_name)
            SELECT @org, @id, @version, @created, @updated, @doc, @secrets, @event
            WHERE (SELECT COUNT(*) FROM webhook_configs WHERE org_id = @org) < @max
            """, command =>
            {
                Bind(command, record);
                command.Parameters.AddWithValue("max", (long)maxPerOrganization);
            }, cancellationToken);

    public async Task<bool> AnyAsync(OrganizationId orgId, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM webhook_configs WHERE org_id = @org)");
        command.Parameters.AddWithValue("org", orgId.Value);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<ConfigRecord?> GetAsync(OrganizationId orgId, ConfigId id, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand($"SELECT {Columns} FROM webhook_configs WHERE org_id = @org AND id = @id");
        command.Parameters.AddWithValue("org", orgId.Value);
        command.Parameters.AddWithValue("id", id.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>
    /// The config's row as a trigger needs it, given the stamp of the record this node read before (or null): one
    /// statement, the same read as <see cref="GetAsync"/>, that answers the row's stamp and, only when the stamp
    /// differs from <paramref name="known"/>, the record (document and secrets). Null when there is no such config.
    /// </summary>
    public async Task<StampedConfig?> GetStampedAsync(OrganizationId orgId, ConfigId id, ConfigStamp? known, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand("""
            SELECT xmin, org_id, id, version, created_at, updated_at,
                   CASE WHEN xmin = $3 AND version = $4 THEN NULL ELSE document::text END,
                   CASE WHEN xmin = $3 AND version = $4 THEN NULL ELSE secrets END
            FROM webhook_configs WHERE org_id = $1 AND id = $2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = orgId.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = id.Value });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Xid, Value = known is { } k ? k.RowVersion : DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = known is { } v ? v.Version : DBNull.Value });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        var stamp = new ConfigStamp(reader.GetFieldValue<uint>(0), reader.GetInt64(3));
        if (reader.IsDBNull(6))
        {
            return new StampedConfig(stamp, null);
        }
        return new StampedConfig(stamp, Read(reader, from: 1));
    }

    /// <summary>SQLSTATE of the check below: a config changed since its stamp was read.</summary>
    public const string ChangedState = "HR001";

    /// <summary>
    /// Fails with <see cref="ChangedState"/>, naming them, when configs ($1 organizations, $2 ids) are not the row
    /// version ($3) and version ($4) read. A plain statement that answers nothing, not a procedure: a procedure's call
    /// costs the server 50 µs more, once per sync trigger (migration 14's <c>herald_check_config_stamps</c> is kept for
    /// nodes of an earlier version while they run beside this one).
    /// </summary>
    internal const string CheckStampsSql = """
        SELECT FROM (
            SELECT herald_fail('HR001', 'webhook configs changed since this node read them: ' || string_agg(s.org_id || '/' || s.id, ', '))
            FROM unnest($1::text[], $2::text[], $3::xid[], $4::bigint[]) AS s(org_id, id, row_version, version)
            WHERE NOT EXISTS (SELECT 1 FROM webhook_configs c
                              WHERE c.org_id = s.org_id AND c.id = s.id AND c.xmin = s.row_version AND c.version = s.version)
            HAVING count(*) > 0
        ) AS changed
        """;

    /// <summary>
    /// Has the session's transaction check that each config's row is still the version <paramref name="stamps"/> names
    /// (the checks of every writer of the same round trip go as one statement); the transaction fails with
    /// <see cref="ChangedState"/> when one is not, or is gone.
    /// </summary>
    public static void CheckStamps(PostgresWriteSession session, IEnumerable<(OrganizationId OrgId, ConfigId Id, ConfigStamp Stamp)> stamps) =>
        session.Gather(nameof(CheckStamps), stamps, all =>
        {
            var distinct = all.Distinct().ToArray();
            var command = new NpgsqlBatchCommand(CheckStampsSql);
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = distinct.Select(s => s.OrgId.Value).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = distinct.Select(s => s.Id.Value).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Xid, Value = distinct.Select(s => s.Stamp.RowVersion).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, Value = distinct.Select(s => s.Stamp.Version).ToArray() });
            return command;
        });

    public async Task<IReadOnlyList<ConfigRecord>> ListAsync(OrganizationId orgId, string? eventName, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand($"""
            SELECT {Columns} FROM webhook_configs
            WHERE org_id = @org AND (@event::text IS NULL OR event_name = @event::text)
            ORDER BY created_at, id
            """);
        command.Parameters.AddWithValue("org", orgId.Value);
        command.Parameters.Add(new NpgsqlParameter("event", NpgsqlDbType.Text) { Value = (object?)eventName ?? DBNull.Value });
        var records = new List<ConfigRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(Read(reader));
        }
        return records;
    }

    public async Task<IReadOnlyList<ConfigRecord>> ListPageAsync(OrganizationId orgId, string? eventName, ConfigRecord? after, int limit, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand($"""
            SELECT {Columns} FROM webhook_configs
            WHERE org_id = @org AND (@event::text IS NULL OR event_name = @event::text)
              AND (@after_created::timestamptz IS NULL OR (created_at, id) > (@after_created::timestamptz, @after_id::text))
            ORDER BY created_at, id
            LIMIT @limit
            """);
        command.Parameters.AddWithValue("org", orgId.Value);
        command.Parameters.Add(new NpgsqlParameter("event", NpgsqlDbType.Text) { Value = (object?)eventName ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("after_created", NpgsqlDbType.TimestampTz) { Value = after is null ? DBNull.Value : after.CreatedAt.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter("after_id", NpgsqlDbType.Text) { Value = (object?)after?.Id.Value ?? DBNull.Value });
        command.Parameters.AddWithValue("limit", limit);
        var records = new List<ConfigRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(Read(reader));
        }
        return records;
    }

    private const string UpdateSql = """
        UPDATE webhook_configs
        SET version = @version, updated_at = @updated, document = @doc, secrets = @secrets, event_name = @event
        WHERE org_id = @org AND id = @id AND version = @expected
        """;

    public async Task<bool> UpdateAsync(ConfigRecord record, long expectedVersion, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand(UpdateSql);
        Bind(command, record);
        command.Parameters.AddWithValue("expected", expectedVersion);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Sent at once with what the session holds so far: the caller needs the answer to go on.</summary>
    public async Task<bool> UpdateAsync(WriteSession session, ConfigRecord record, long expectedVersion, CancellationToken cancellationToken)
    {
        var postgres = session.As<PostgresWriteSession>();
        var command = new NpgsqlBatchCommand(UpdateSql + " RETURNING 1");
        Bind(command.Parameters, record);
        command.Parameters.AddWithValue("expected", expectedVersion);
        var updated = 0;
        postgres.Add(command, _ => updated++);
        await postgres.RunAsync(cancellationToken);
        return updated == 1;
    }

    public async Task<bool> DeleteAsync(OrganizationId orgId, ConfigId id, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand("DELETE FROM webhook_configs WHERE org_id = @org AND id = @id");
        command.Parameters.AddWithValue("org", orgId.Value);
        command.Parameters.AddWithValue("id", id.Value);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> BackfillEventVersionAsync(OrganizationId orgId, ConfigId id, string eventVersion, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand("""
            UPDATE webhook_configs SET document = jsonb_set(document, '{eventVersion}', to_jsonb(@version::text))
            WHERE org_id = @org AND id = @id AND (document->>'eventVersion') IS NULL
            """);
        command.Parameters.AddWithValue("org", orgId.Value);
        command.Parameters.AddWithValue("id", id.Value);
        command.Parameters.AddWithValue("version", eventVersion);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static void Bind(NpgsqlCommand command, ConfigRecord record) => Bind(command.Parameters, record);

    private static void Bind(NpgsqlParameterCollection parameters, ConfigRecord record)
    {
        parameters.AddWithValue("org", record.OrgId.Value);
        parameters.AddWithValue("id", record.Id.Value);
        parameters.AddWithValue("version", record.Version);
        parameters.AddWithValue("created", record.CreatedAt.ToUniversalTime());
        parameters.AddWithValue("updated", record.UpdatedAt.ToUniversalTime());
        parameters.Add(new NpgsqlParameter("doc", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(record.Document, HeraldJson.Options) });
        parameters.AddWithValue("secrets", record.SealedSecrets);
        parameters.AddWithValue("event", record.EventName);
    }

    /// <summary>A record from <see cref="Columns"/>, read from column <paramref name="from"/> on.</summary>
    private static ConfigRecord Read(NpgsqlDataReader reader, int from = 0) => new(
        OrganizationId.From(reader.GetString(from)),
        ConfigId.From(reader.GetString(from + 1)),
        reader.GetInt64(from + 2),
        reader.GetFieldValue<DateTimeOffset>(from + 3),
        reader.GetFieldValue<DateTimeOffset>(from + 4),
        JsonSerializer.Deserialize<WebhookConfig>(reader.GetString(from + 5), HeraldJson.Options)!,
        reader.GetFieldValue<byte[]>(from + 6));
}

