using Herald.Server.Http;
using Herald.Server.Storage.Postgres;
using Npgsql;

namespace Herald.Server.Idempotency;

public sealed class PostgresIdempotencyStore(PostgresDatabase database) : IIdempotencyStore
{
    public async Task<StoredAnswer?> FindAsync(OrganizationId orgId, string scope, string key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        var answer = await ReadAsync(connection, null, orgId, scope, key, cancellationToken);
        return answer is not null && !IdempotencyRules.IsExpired(answer, now) ? answer : null;
    }

    public async Task CompleteAsync(IdempotencyClaim claim, int statusCode, string body, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand("""
            UPDATE idempotency_keys SET status_code = $1, body = $2, completed = true
            WHERE org_id = $3 AND scope = $4 AND idempotency_key = $5 AND NOT completed AND body = $6
            """);
        foreach (var value in new object[] { statusCode, body, claim.OrgId.Value, claim.Scope, claim.Key, claim.Body })
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<int> PurgeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand("DELETE FROM idempotency_keys WHERE created_at <= $1");
        command.Parameters.Add(new NpgsqlParameter { Value = cutoff });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Inside the caller's transaction: takes the key (new, or expired) with the claim's answer and returns null,
    /// or returns the answer that holds the key and changes nothing. A concurrent claim of the same key waits on
    /// the unique index until the first commits or rolls back, then sees its outcome.
    /// </summary>
    public async Task<StoredAnswer?> ClaimAsync(Storage.WriteSession session, IdempotencyClaim claim, CancellationToken cancellationToken)
    {
        var pg = session.As<Storage.Postgres.PostgresWriteSession>();
        // Statements other writers added must run first: the claim is read at once.
        await pg.RunAsync(cancellationToken);
        return await ClaimAsync(pg.Connection, pg.Transaction, claim, cancellationToken);
    }

    private static async Task<StoredAnswer?> ClaimAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IdempotencyClaim claim, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO idempotency_keys (org_id, scope, idempotency_key, created_at, status_code, body, completed)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (org_id, scope, idempotency_key) DO UPDATE
            SET created_at = excluded.created_at, status_code = excluded.status_code, body = excluded.body, completed = excluded.completed
            WHERE idempotency_keys.created_at <= $8
            RETURNING 1
            """, connection, transaction);
        foreach (var value in new object[] { claim.OrgId.Value, claim.Scope, claim.Key, claim.CreatedAt, claim.StatusCode, claim.Body, claim.Completed, claim.ExpiredAtOrBefore })
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        if (await command.ExecuteScalarAsync(cancellationToken) is not null)
        {
            return null;
        }
        return await ReadAsync(connection, transaction, claim.OrgId, claim.Scope, claim.Key, cancellationToken)
            ?? throw new InvalidOperationException("An idempotency key that could not be claimed has no answer");
    }

    private static async Task<StoredAnswer?> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, OrganizationId orgId, string scope, string key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT created_at, status_code, body, completed FROM idempotency_keys WHERE org_id = $1 AND scope = $2 AND idempotency_key = $3", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = orgId.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = scope });
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StoredAnswer(reader.GetFieldValue<DateTimeOffset>(0), reader.GetInt32(1), reader.GetString(2), reader.GetBoolean(3))
            : null;
    }
}
