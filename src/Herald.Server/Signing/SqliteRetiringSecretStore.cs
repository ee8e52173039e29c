using Herald.Server.Http;
using Herald.Server.Storage.Sqlite;

namespace Herald.Server.Signing;

public sealed class SqliteRetiringSecretStore(SqliteDatabase database) : IRetiringSecretStore
{
    public async Task NoteAsync(OrganizationId orgId, ConfigId configId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO retiring_signing_secrets (org_id, config_id, expires_at) VALUES ($org, $config, $expires)
            ON CONFLICT (org_id, config_id) DO UPDATE SET expires_at = excluded.expires_at
            """;
        command.Parameters.AddWithValue("$org", orgId.Value);
        command.Parameters.AddWithValue("$config", configId.Value);
        command.Parameters.AddWithValue("$expires", SqliteTime.ToText(expiresAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<(OrganizationId OrgId, ConfigId ConfigId)>> DueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT org_id, config_id FROM retiring_signing_secrets WHERE expires_at <= $now ORDER BY expires_at LIMIT $max";
        command.Parameters.AddWithValue("$now", SqliteTime.ToText(now));
        command.Parameters.AddWithValue("$max", max);
        var due = new List<(OrganizationId, ConfigId)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            due.Add((OrganizationId.From(reader.GetString(0)), ConfigId.From(reader.GetString(1))));
        }
        return due;
    }

    public async Task RemoveAsync(OrganizationId orgId, ConfigId configId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM retiring_signing_secrets WHERE org_id = $org AND config_id = $config AND expires_at <= $now";
        command.Parameters.AddWithValue("$org", orgId.Value);
        command.Parameters.AddWithValue("$config", configId.Value);
        command.Parameters.AddWithValue("$now", SqliteTime.ToText(now));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
