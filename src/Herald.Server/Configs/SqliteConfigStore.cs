using System.Text.Json;
using Herald.Server.Http;
using Herald.Server.Storage;
using Herald.Server.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Herald.Server.Configs;

/// <summary>Configs on SQLite. Every write is counted in <see cref="ConfigChanges"/>, which <see cref="TriggerConfigs"/> trusts.</summary>
public sealed class SqliteConfigStore(SqliteDatabase database, ConfigChanges? changes = null) : IConfigStore
{
    private const string Columns = "org_id, id, version, created_at, updated_at, document, secrets";

    public Task<bool> InsertAsync(ConfigRecord record, int maxPerOrganization, CancellationToken cancellationToken) =>
        Counted(() => InsertCoreAsync(record, maxPerOrganization, cancellationToken));

    // One statement: SQLite runs one writer at a time, so the count and the insert see the same rows.
    private async Task<bool> InsertCoreAsync(ConfigRecord record, int maxPerOrganization, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            INSERT INTO webhook_configs ({Columns}, event_name)
            SELECT $org, $id, $version, $created, $updated, $doc, $secrets, $event
            WHERE (SELECT COUNT(*) FROM webhook_configs WHERE org_id = $org) < $max
            """;
        Bind(command, record);
        command.Parameters.AddWithValue("$max", maxPerOrganization);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> AnyAsync(OrganizationId orgId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM webhook_configs WHERE org_id = $org)";
        command.Parameters.AddWithValue("$org", orgId.Value);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 1;
    }

    public async Task<ConfigRecord?> GetAsync(OrganizationId orgId, ConfigId id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM webhook_configs WHERE org_id = $org AND id = $id";
        command.Parameters.AddWithValue("$org", orgId.Value);
        command.Parameters.AddWithValue("$id", id.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<ConfigRecord>> ListAsync(OrganizationId orgId, string? eventName, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {Columns} FROM webhook_configs
            WHERE org_id = $org AND ($event IS NULL OR event_name = $event)
            ORDER BY created_at, id
            """;
        command.Parameters.AddWithValue("$org", orgId.Value);
        command.Parameters.AddWithValue("$event", (object?)eventName ?? DBNull.Value);
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
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {Columns} FROM webhook_configs
            WHERE org_id = $org AND ($event IS NULL OR event_name = $event)
              AND ($after_created IS NULL OR (created_at, id) > ($after_created, $after_id))
            ORDER BY created_at, id
            LIMIT $limit
            """;
        command.Parameters.AddWithValue("$org", orgId.Value);
        command.Parameters.AddWithValue("$event", (object?)eventName ?? DBNull.Value);
        command.Parameters.AddWithValue("$after_created", after is null ? DBNull.Value : SqliteTime.ToText(after.CreatedAt));
        command.Parameters.AddWithValue("$after_id", (object?)after?.Id.Value ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", limit);
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
        SET version = $version, updated_at = $updated, document = $doc, secrets = $secrets, event_name = $event
        WHERE org_id = $org AND id = $id AND version = $expected
        """;

    public Task<bool> UpdateAsync(ConfigRecord record, long expectedVersion, CancellationToken cancellationToken) => Counted(() => UpdateCoreAsync(record, expectedVersion, cancellationToken));

    private async Task<bool> UpdateCoreAsync(ConfigRecord record, long expectedVersion, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        return await UpdateAsync(command, record, expectedVersion, cancellationToken);
    }

    public async Task<bool> UpdateAsync(WriteSession session, ConfigRecord record, long expectedVersion, CancellationToken cancellationToken)
    {
        var lane = session.As<SqliteWriteLane.Session>();
        await using var command = lane.Connection.CreateCommand();
        command.Transaction = lane.Transaction;
        return await UpdateAsync(command, record, expectedVersion, cancellationToken);
    }

    /// <summary>Runs <see cref="UpdateSql"/> on <paramref name="command"/>; true when the expected version was there.</summary>
    private static async Task<bool> UpdateAsync(SqliteCommand command, ConfigRecord record, long expectedVersion, CancellationToken cancellationToken)
    {
        command.CommandText = UpdateSql;
        Bind(command, record);
        command.Parameters.AddWithValue("$expected", expectedVersion);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public Task<bool> DeleteAsync(OrganizationId orgId, ConfigId id, CancellationToken cancellationToken) => Counted(() => DeleteCoreAsync(orgId, id, cancellationToken));

    private async Task<bool> DeleteCoreAsync(OrganizationId orgId, ConfigId id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM webhook_configs WHERE org_id = $org AND id = $id";
        command.Parameters.AddWithValue("$org", orgId.Value);
        command.Parameters.AddWithValue("$id", id.Value);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public Task<bool> BackfillEventVersionAsync(OrganizationId orgId, ConfigId id, string eventVersion, CancellationToken cancellationToken) => Counted(() => BackfillEventVersionCoreAsync(orgId, id, eventVersion, cancellationToken));

    private async Task<bool> BackfillEventVersionCoreAsync(OrganizationId orgId, ConfigId id, string eventVersion, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE webhook_configs SET document = json_set(document, '$.eventVersion', $version)
            WHERE org_id = $org AND id = $id AND json_extract(document, '$.eventVersion') IS NULL
            """;
        command.Parameters.AddWithValue("$org", orgId.Value);
        command.Parameters.AddWithValue("$id", id.Value);
        command.Parameters.AddWithValue("$version", eventVersion);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    // Counted from before it starts until it has ended, whether or not it went through: a spare count only costs the
    // cache a read.
    private async Task<bool> Counted(Func<Task<bool>> write)
    {
        using var writing = changes?.Writing();
        return await write();
    }

    private static void Bind(SqliteCommand command, ConfigRecord record)
    {
        command.Parameters.AddWithValue("$org", record.OrgId.Value);
        command.Parameters.AddWithValue("$id", record.Id.Value);
        command.Parameters.AddWithValue("$version", record.Version);
        command.Parameters.AddWithValue("$created", SqliteTime.ToText(record.CreatedAt));
        command.Parameters.AddWithValue("$updated", SqliteTime.ToText(record.UpdatedAt));
        command.Parameters.AddWithValue("$doc", JsonSerializer.Serialize(record.Document, HeraldJson.Options));
        command.Parameters.AddWithValue("$secrets", record.SealedSecrets);
        command.Parameters.AddWithValue("$event", record.EventName);
    }

    private static ConfigRecord Read(SqliteDataReader reader) => new(
        OrganizationId.From(reader.GetString(0)),
        ConfigId.From(reader.GetString(1)),
        reader.GetInt64(2),
        SqliteTime.Parse(reader.GetString(3)),
        SqliteTime.Parse(reader.GetString(4)),
        JsonSerializer.Deserialize<WebhookConfig>(reader.GetString(5), HeraldJson.Options)!,
        (byte[])reader[6]);
}
