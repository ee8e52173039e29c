using Herald.Server.Http;
using Herald.Server.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Herald.Server.Idempotency;

public sealed class SqliteIdempotencyStore(SqliteDatabase database) : IIdempotencyStore
{
    public async Task<StoredAnswer?> FindAsync(OrganizationId orgId, string scope, string key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var answer = await ReadAsync(connection, null, orgId, scope, key, cancellationToken);
        return answer is not null && !IdempotencyRules.IsExpired(answer, now) ? answer : null;
    }

    public async Task CompleteAsync(IdempotencyClaim claim, int statusCode, string body, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE idempotency_keys SET status_code = $status, body = $body, completed = 1
            WHERE org_id = $org AND scope = $scope AND idempotency_key = $key AND completed = 0 AND body = $provisional
            """;
        command.Parameters.AddWithValue("$status", statusCode);
        command.Parameters.AddWithValue("$body", body);
        command.Parameters.AddWithValue("$org", claim.OrgId.Value);
        command.Parameters.AddWithValue("$scope", claim.Scope);
        command.Parameters.AddWithValue("$key", claim.Key);
        command.Parameters.AddWithValue("$provisional", claim.Body);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<int> PurgeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM idempotency_keys WHERE created_at <= $cutoff";
        command.Parameters.AddWithValue("$cutoff", SqliteTime.ToText(cutoff));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<StoredAnswer?> ClaimAsync(Storage.WriteSession session, IdempotencyClaim claim, CancellationToken cancellationToken)
    {
        var lane = session.As<Storage.Sqlite.SqliteWriteLane.Session>();
        return await ClaimAsync(lane.Connection, lane.Transaction!, claim, cancellationToken);
    }

    private static async Task<StoredAnswer?> ClaimAsync(SqliteConnection connection, SqliteTransaction transaction, IdempotencyClaim claim, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO idempotency_keys (org_id, scope, idempotency_key, created_at, status_code, body, completed)
            VALUES ($org, $scope, $key, $created, $status, $body, $completed)
            ON CONFLICT (org_id, scope, idempotency_key) DO UPDATE
            SET created_at = excluded.created_at, status_code = excluded.status_code, body = excluded.body, completed = excluded.completed
            WHERE idempotency_keys.created_at <= $expired
            RETURNING 1
            """;
        command.Parameters.AddWithValue("$org", claim.OrgId.Value);
        command.Parameters.AddWithValue("$scope", claim.Scope);
        command.Parameters.AddWithValue("$key", claim.Key);
        command.Parameters.AddWithValue("$created", SqliteTime.ToText(claim.CreatedAt));
        command.Parameters.AddWithValue("$status", claim.StatusCode);
        command.Parameters.AddWithValue("$body", claim.Body);
        command.Parameters.AddWithValue("$completed", claim.Completed ? 1 : 0);
        command.Parameters.AddWithValue("$expired", SqliteTime.ToText(claim.ExpiredAtOrBefore));
        if (await command.ExecuteScalarAsync(cancellationToken) is not null)
        {
            return null;
        }
        return await ReadAsync(connection, transaction, claim.OrgId, claim.Scope, claim.Key, cancellationToken)
            ?? throw new InvalidOperationException("An idempotency key that could not be claimed has no answer");
    }

    private static async Task<StoredAnswer?> ReadAsync(SqliteConnection connection, SqliteTransaction? transaction, OrganizationId orgId, string scope, string key, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT created_at, status_code, body, completed FROM idempotency_keys WHERE org_id = $org AND scope = $scope AND idempotency_key = $key";
        command.Parameters.AddWithValue("$org", orgId.Value);
        command.Parameters.AddWithValue("$scope", scope);
        command.Parameters.AddWithValue("$key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StoredAnswer(SqliteTime.Parse(reader.GetString(0)), reader.GetInt32(1), reader.GetString(2), reader.GetInt64(3) != 0)
            : null;
    }
}
