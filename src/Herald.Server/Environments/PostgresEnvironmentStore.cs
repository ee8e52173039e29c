using Herald.Server.Http;
using Herald.Server.Storage.Postgres;
using Npgsql;
using NpgsqlTypes;

namespace Herald.Server.Environments;

public sealed class PostgresEnvironmentStore(PostgresDatabase database) : IEnvironmentStore
{
    private const string Columns = "org_id, key, type, description, group_name, protected, value, sealed_value, version, created_at, updated_at";

    public async Task<EnvironmentInsert> InsertAsync(EnvironmentRecord record, int maxPerOrganization, CancellationToken cancellationToken)
    {
        var inserted = await database.InsertCountedAsync("environment_variables", record.OrgId.Value, $"""
            INSERT INTO environment_variables ({Columns})
            SELECT @org, @key, @type, @description, @group, @protected, @value, @sealed, @version, @created, @updated
            WHERE (SELECT COUNT(*) FROM environment_variables WHERE org_id = @org) < @max
            ON CONFLICT (org_id, key) DO NOTHING
            """, command =>
            {
                Bind(command, record);
                command.Parameters.AddWithValue("max", (long)maxPerOrganization);
            }, cancellationToken);
        if (inserted)
        {
            return EnvironmentInsert.Inserted;
        }
        return await GetAsync(record.OrgId, record.Key, cancellationToken) is null ? EnvironmentInsert.TooMany : EnvironmentInsert.Exists;
    }

    public async Task<EnvironmentRecord?> GetAsync(OrganizationId orgId, string key, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand($"SELECT {Columns} FROM environment_variables WHERE org_id = @org AND key = @key");
        command.Parameters.AddWithValue("org", orgId.Value);
        command.Parameters.AddWithValue("key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<EnvironmentRecord>> GetManyAsync(OrganizationId orgId, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return [];
        }
        await using var command = database.DataSource.CreateCommand($"SELECT {Columns} FROM environment_variables WHERE org_id = @org AND key = ANY(@keys) ORDER BY key");
        command.Parameters.AddWithValue("org", orgId.Value);
        command.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = keys.ToArray() });
        return await ReadAllAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<EnvironmentRecord>> ListAsync(OrganizationId orgId, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand($"SELECT {Columns} FROM environment_variables WHERE org_id = @org ORDER BY key");
        command.Parameters.AddWithValue("org", orgId.Value);
        return await ReadAllAsync(command, cancellationToken);
    }

    public async Task<bool> UpdateAsync(EnvironmentRecord record, long expectedVersion, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand("""
            UPDATE environment_variables
            SET type = @type, description = @description, group_name = @group, protected = @protected, value = @value,
                sealed_value = @sealed, version = @version, updated_at = @updated
            WHERE org_id = @org AND key = @key AND version = @expected
            """);
        Bind(command, record);
        command.Parameters.AddWithValue("expected", expectedVersion);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> DeleteAsync(OrganizationId orgId, string key, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand("DELETE FROM environment_variables WHERE org_id = @org AND key = @key");
        command.Parameters.AddWithValue("org", orgId.Value);
        command.Parameters.AddWithValue("key", key);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static void Bind(NpgsqlCommand command, EnvironmentRecord record)
    {
        command.Parameters.AddWithValue("org", record.OrgId.Value);
        command.Parameters.AddWithValue("key", record.Key);
        command.Parameters.AddWithValue("type", record.Type);
        command.Parameters.Add(new NpgsqlParameter("description", NpgsqlDbType.Text) { Value = (object?)record.Description ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("group", NpgsqlDbType.Text) { Value = (object?)record.Group ?? DBNull.Value });
        command.Parameters.AddWithValue("protected", record.Protected);
        command.Parameters.Add(new NpgsqlParameter("value", NpgsqlDbType.Text) { Value = (object?)record.Value ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("sealed", NpgsqlDbType.Bytea) { Value = (object?)record.SealedValue ?? DBNull.Value });
        command.Parameters.AddWithValue("version", record.Version);
        command.Parameters.AddWithValue("created", record.CreatedAt.ToUniversalTime());
        command.Parameters.AddWithValue("updated", record.UpdatedAt.ToUniversalTime());
    }

    private static async Task<IReadOnlyList<EnvironmentRecord>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var records = new List<EnvironmentRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(Read(reader));
        }
        return records;
    }

    private static EnvironmentRecord Read(NpgsqlDataReader reader) => new(
        OrganizationId.From(reader.GetString(0)),
        reader.GetString(1),
        reader.GetString(2),
        reader.IsDBNull(3) ? null : reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        reader.GetBoolean(5),
        reader.IsDBNull(6) ? null : reader.GetString(6),
        reader.IsDBNull(7) ? null : reader.GetFieldValue<byte[]>(7),
        reader.GetInt64(8),
        reader.GetFieldValue<DateTimeOffset>(9),
        reader.GetFieldValue<DateTimeOffset>(10));
}
