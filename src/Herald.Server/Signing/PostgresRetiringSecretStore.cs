using Herald.Server.Http;
using Herald.Server.Storage.Postgres;

namespace Herald.Server.Signing;

public sealed class PostgresRetiringSecretStore(PostgresDatabase database) : IRetiringSecretStore
{
    public async Task NoteAsync(OrganizationId orgId, ConfigId configId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand("""
            INSERT INTO retiring_signing_secrets (org_id, config_id, expires_at) VALUES ($1, $2, $3)
            ON CONFLICT (org_id, config_id) DO UPDATE SET expires_at = excluded.expires_at
            """);
        command.Parameters.AddWithValue(orgId.Value);
        command.Parameters.AddWithValue(configId.Value);
        command.Parameters.AddWithValue(expiresAt);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<(OrganizationId OrgId, ConfigId ConfigId)>> DueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand(
            "SELECT org_id, config_id FROM retiring_signing_secrets WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2");
        command.Parameters.AddWithValue(now);
        command.Parameters.AddWithValue(max);
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
        await using var command = database.DataSource.CreateCommand(
            "DELETE FROM retiring_signing_secrets WHERE org_id = $1 AND config_id = $2 AND expires_at <= $3");
        command.Parameters.AddWithValue(orgId.Value);
        command.Parameters.AddWithValue(configId.Value);
        command.Parameters.AddWithValue(now);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
