using System.Text.Json;
using Herald.Server.Http;
using Herald.Server.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Herald.Server.Configs;

public sealed class SqliteConfigStore(SqliteDatabase database) : IConfigStore
{
    private const string Columns = "org_id, id, version, created_at, updated_at, document, secrets";

    public async Task InsertAsync(ConfigRecord record, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO webhook_configs ({Columns}, event_name) VALUES ($org, $id, $version, $created, $updated, $doc, $secrets, $event)";
        Bind(command, record);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<ConfigRecord?> GetAsync(string orgId, string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM webhook_configs WHERE org_id = $org AND id = $id";
        command.Parameters.AddWithValue("$org", orgId);
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<ConfigRecord>> ListAsync(string orgId, string? eventName, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {Columns} FROM webhook_configs
            WHERE org_id = $org AND ($event IS NULL OR event_name = $event)
            ORDER BY created_at, id
            """;
        command.Parameters.AddWithValue("$org", orgId);
        command.Parameters.AddWithValue("$event", (object?)eventName ?? DBNull.Value);
        var records = new List<ConfigRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(Read(reader));
        }
        return records;
    }

    public async Task<bool> UpdateAsync(ConfigRecord record, long expectedVersion, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE webhook_configs
            SET version = $version, updated_at = $updated, document = $doc, secrets = $secrets, event_name = $event
            WHERE org_id = $org AND id = $id AND version = $expected
            """;
        Bind(command, record);
        command.Parameters.AddWithValue("$expected", expectedVersion);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> DeleteAsync(string orgId, string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM webhook_configs WHERE org_id = $org AND id = $id";
        command.Parameters.AddWithValue("$org", orgId);
        command.Parameters.AddWithValue("$id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> BackfillEventVersionAsync(string orgId, string id, string eventVersion, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE webhook_configs SET document = json_set(document, '$.eventVersion', $version)
            WHERE org_id = $org AND id = $id AND json_extract(document, '$.eventVersion') IS NULL
            """;
        command.Parameters.AddWithValue("$org", orgId);
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$version", eventVersion);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static void Bind(SqliteCommand command, ConfigRecord record)
    {
        command.Parameters.AddWithValue("$org", record.OrgId);
        command.Parameters.AddWithValue("$id", record.Id);
        command.Parameters.AddWithValue("$version", record.Version);
        command.Parameters.AddWithValue("$created", SqliteTime.ToText(record.CreatedAt));
        command.Parameters.AddWithValue("$updated", SqliteTime.ToText(record.UpdatedAt));
        command.Parameters.AddWithValue("$doc", JsonSerializer.Serialize(record.Document, HeraldJson.Options));
        command.Parameters.AddWithValue("$secrets", record.SealedSecrets);
        command.Parameters.AddWithValue("$event", record.EventName);
    }

    private static ConfigRecord Read(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetInt64(2),
        SqliteTime.Parse(reader.GetString(3)),
        SqliteTime.Parse(reader.GetString(4)),
        JsonSerializer.Deserialize<WebhookConfig>(reader.GetString(5), HeraldJson.Options)!,
        (byte[])reader[6]);
}
