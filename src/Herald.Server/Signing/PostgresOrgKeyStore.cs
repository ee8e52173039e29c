using Herald.Server.Http;
using Herald.Server.Storage.Postgres;

namespace Herald.Server.Signing;

public sealed class PostgresOrgKeyStore(PostgresDatabase database) : IOrgKeyStore
{
    public async Task<IReadOnlyList<OrgSigningKey>> GetSigningKeysAsync(OrganizationId orgId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand("""
            SELECT org_id, key_id, created_at, public_key, private_key, retired_at
            FROM org_signing_keys
            WHERE org_id = $1 AND (retired_at IS NULL OR retired_at > $2)
            ORDER BY retired_at IS NOT NULL, created_at DESC, key_id
            """);
        command.Parameters.AddWithValue(orgId.Value);
        command.Parameters.AddWithValue(now);
        var keys = new List<OrgSigningKey>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(new OrgSigningKey
            {
                OrgId = OrganizationId.From(reader.GetString(0)),
                KeyId = reader.GetString(1),
                CreatedAt = reader.GetFieldValue<DateTimeOffset>(2),
                PublicKey = reader.GetFieldValue<byte[]>(3),
                SealedPrivateKey = reader.GetFieldValue<byte[]>(4),
                RetiredAt = reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
            });
        }
        return keys;
    }

    public async Task<OrgSigningKey> InsertIfNoneActiveAsync(OrgSigningKey key, CancellationToken cancellationToken)
    {
        await using (var connection = await database.DataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            // Serialize creators of the same organization's key; the lock ends with the transaction.
            await using (var lockCommand = new Npgsql.NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended($1, 7))", connection, transaction))
            {
                lockCommand.Parameters.AddWithValue(key.OrgId.Value);
                await lockCommand.ExecuteNonQueryAsync(cancellationToken);
            }
            await using var insert = new Npgsql.NpgsqlCommand("""
                INSERT INTO org_signing_keys (org_id, key_id, created_at, public_key, private_key, retired_at)
                SELECT $1, $2, $3, $4, $5, NULL
                WHERE NOT EXISTS (SELECT 1 FROM org_signing_keys WHERE org_id = $1 AND retired_at IS NULL)
                """, connection, transaction);
            insert.Parameters.AddWithValue(key.OrgId.Value);
            insert.Parameters.AddWithValue(key.KeyId);
            insert.Parameters.AddWithValue(key.CreatedAt);
            insert.Parameters.AddWithValue(key.PublicKey);
            insert.Parameters.AddWithValue(key.SealedPrivateKey);
            await insert.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        var keys = await GetSigningKeysAsync(key.OrgId, key.CreatedAt, cancellationToken);
        return keys.First(k => k.RetiredAt is null);
    }

    public async Task<IReadOnlyList<OrgSigningKey>> RotateAsync(OrgSigningKey key, DateTimeOffset retireAt, CancellationToken cancellationToken)
    {
        await using (var connection = await database.DataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            // The same lock as the first key's creation: rotations and creations of one organization take turns.
            await using (var lockCommand = new Npgsql.NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended($1, 7))", connection, transaction))
            {
                lockCommand.Parameters.AddWithValue(key.OrgId.Value);
                await lockCommand.ExecuteNonQueryAsync(cancellationToken);
            }
            await using var batch = new Npgsql.NpgsqlBatch(connection, transaction)
            {
                BatchCommands =
                {
                    Command("UPDATE org_signing_keys SET retired_at = $2 WHERE org_id = $1 AND retired_at > $2", key.OrgId.Value, key.CreatedAt),
                    Command("UPDATE org_signing_keys SET retired_at = $2 WHERE org_id = $1 AND retired_at IS NULL", key.OrgId.Value, retireAt),
                    Command("""
                        INSERT INTO org_signing_keys (org_id, key_id, created_at, public_key, private_key, retired_at)
                        VALUES ($1, $2, $3, $4, $5, NULL)
                        """, key.OrgId.Value, key.KeyId, key.CreatedAt, key.PublicKey, key.SealedPrivateKey),
                },
            };
            await batch.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        return await GetSigningKeysAsync(key.OrgId, key.CreatedAt, cancellationToken);
    }

    public async Task<int> DeleteRetiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand("DELETE FROM org_signing_keys WHERE retired_at IS NOT NULL AND retired_at <= $1");
        command.Parameters.AddWithValue(now);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static Npgsql.NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new Npgsql.NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = value });
        }
        return command;
    }
}
