using Herald.Server.Http;
using System.Text.Json;
using Herald.Server.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Herald.Server.Environments;

public sealed class SqliteEnvironmentStore(SqliteDatabase database) : IEnvironmentStore
{
    private const string Columns = "org_id, key, type, description, group_name, protected, value, sealed_value, version, created_at, updated_at";

    // One statement: SQLite runs one writer at a time, so the count and the insert see the same rows.
    public async Task<EnvironmentInsert> InsertAsync(EnvironmentRecord record, int maxPerOrganization, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            INSERT INTO environment_variables ({Columns})
            SELECT $org, $key, $type, $description, $group, $protected, $value, $sealed, $version, $created, $updated
            WHERE (SELECT COUNT(*) FROM environment_variables WHERE org_id = $org) < $max
            ON CONFLICT (org_id, key) DO NOTHING
            """;
        Bind(command, record);
        command.Parameters.AddWithValue("$max", maxPerOrganization);
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 1)
        {
            return EnvironmentInsert.Inserted;
        }
        return await GetAsync(record.OrgId, record.Key, cancellationToken) is null ? EnvironmentInsert.TooMany : EnvironmentInsert.Exists;
    }

    public async Task<EnvironmentRecord?> GetAsync(OrganizationId orgId, string key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM environment_variables WHERE org_id = $org AND key = $key";
        command.Parameters.AddWithValue("$org", orgId.Value);
        command.Parameters.AddWithValue("$key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<EnvironmentRecord>> GetManyAsync(OrganizationId orgId, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return [];
        }
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {Columns} FROM environment_variables
            WHERE org_id = $org AND key IN (SELECT value FROM json_each($keys))
            ORDER BY key
            """;
        command.Parameters.AddWithValue("$org", orgId.Value);
        command.Parameters.AddWithValue("$keys", JsonSerializer.Serialize(keys));
        return await ReadAllAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<EnvironmentRecord>> ListAsync(OrganizationId orgId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM environment_variables WHERE org_id = $org ORDER BY key";
        command.Parameters.AddWithValue("$org", orgId.Value);
        return await ReadAllAsync(command, cancellationToken);
    }

    public async Task<bool> UpdateAsync(EnvironmentRecord record, long expectedVersion, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE environment_variables
            SET type = $type, description = $description, group_name = $group, protected = $protected, value = $value,
                sealed_value = $sealed, version = $version, updated_at = $updated
            WHERE org_id = $org AND key = $key AND version = $expected
            """;
        Bind(command, record);
        command.Parameters.AddWithValue("$expected", expectedVersion);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> DeleteAsync(OrganizationId orgId, string key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM environment_variables WHERE org_id = $org AND key = $key";
        command.Parameters.AddWithValue("$org", orgId.Value);
        command.Parameters.AddWithValue("$key", key);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static void Bind(SqliteCommand command, EnvironmentRecord record)
    {
        command.Parameters.AddWithValue("$org", record.OrgId.Value);
        command.Parameters.AddWithValue("$key", record.Key);
        command.Parameters.AddWithValue("$type", record.Type);
        command.Parameters.AddWithValue("$description", (object?)record.Description ?? DBNull.Value);
        command.Parameters.AddWithValue("$group", (object?)record.Group ?? DBNull.Value);
        command.Parameters.AddWithValue("$protected", record.Protected ? 1 : 0);
        command.Parameters.AddWithValue("$value", (object?)record.Value ?? DBNull.Value);
        command.Parameters.Add("$sealed", SqliteType.Blob).Value = (object?)record.SealedValue ?? DBNull.Value;
        command.Parameters.AddWithValue("$version", record.Version);
        command.Parameters.AddWithValue("$created", SqliteTime.ToText(record.CreatedAt));
        command.Parameters.AddWithValue("$updated", SqliteTime.ToText(record.UpdatedAt));
    }

    private static async Task<IReadOnlyList<EnvironmentRecord>> ReadAllAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var records = new List<EnvironmentRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(Read(reader));
        }
        return records;
    }

    private static EnvironmentRecord Read(SqliteDataReader reader) => new(
        OrganizationId.From(reader.GetString(0)),
        reader.GetString(1),
        reader.GetString(2),
        reader.IsDBNull(3) ? null : reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        reader.GetInt64(5) != 0,
        reader.IsDBNull(6) ? null : reader.GetString(6),
        reader.IsDBNull(7) ? null : (byte[])reader[7],
        reader.GetInt64(8),
        SqliteTime.Parse(reader.GetString(9)),
        SqliteTime.Parse(reader.GetString(10)));
}
