using Herald.Server.Http;
using Herald.Server.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Herald.Server.Signing;

public sealed class SqliteOrgKeyStore(SqliteDatabase database) : IOrgKeyStore
{
    public async Task<IReadOnlyList<OrgSigningKey>> GetSigningKeysAsync(OrganizationId orgId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT org_id, key_id, created_at, public_key, private_key, retired_at
            FROM org_signing_keys
            WHERE org_id = $org AND (retired_at IS NULL OR retired_at > $now)
            ORDER BY retired_at IS NOT NULL, created_at DESC, key_id
            """;
        command.Parameters.AddWithValue("$org", orgId.Value);
        command.Parameters.AddWithValue("$now", SqliteTime.ToText(now));
        var keys = new List<OrgSigningKey>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(new OrgSigningKey
            {
                OrgId = OrganizationId.From(reader.GetString(0)),
                KeyId = reader.GetString(1),
                CreatedAt = SqliteTime.Parse(reader.GetString(2)),
                PublicKey = (byte[])reader[3],
                SealedPrivateKey = (byte[])reader[4],
                RetiredAt = reader.IsDBNull(5) ? null : SqliteTime.Parse(reader.GetString(5)),
            });
        }
        return keys;
    }

    public async Task<OrgSigningKey> InsertIfNoneActiveAsync(OrgSigningKey key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO org_signing_keys (org_id, key_id, created_at, public_key, private_key, retired_at)
            SELECT $org, $kid, $created, $pub, $priv, NULL
            WHERE NOT EXISTS (SELECT 1 FROM org_signing_keys WHERE org_id = $org AND retired_at IS NULL)
            """;
        insert.Parameters.AddWithValue("$org", key.OrgId.Value);
        insert.Parameters.AddWithValue("$kid", key.KeyId);
        insert.Parameters.AddWithValue("$created", SqliteTime.ToText(key.CreatedAt));
        insert.Parameters.AddWithValue("$pub", key.PublicKey);
        insert.Parameters.AddWithValue("$priv", key.SealedPrivateKey);
        await insert.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        var keys = await GetSigningKeysAsync(key.OrgId, key.CreatedAt, cancellationToken);
        return keys.First(k => k.RetiredAt is null);
    }

    public async Task<IReadOnlyList<OrgSigningKey>> RotateAsync(OrgSigningKey key, DateTimeOffset retireAt, CancellationToken cancellationToken)
    {
        await using (var connection = await database.OpenAsync(cancellationToken))
        await using (var transaction = connection.BeginTransaction(deferred: false))
        await using (var rotate = connection.CreateCommand())
        {
            rotate.Transaction = transaction;
            rotate.CommandText = """
                UPDATE org_signing_keys SET retired_at = $now WHERE org_id = $org AND retired_at > $now;
                UPDATE org_signing_keys SET retired_at = $retire WHERE org_id = $org AND retired_at IS NULL;
                INSERT INTO org_signing_keys (org_id, key_id, created_at, public_key, private_key, retired_at)
                VALUES ($org, $kid, $now, $pub, $priv, NULL);
                """;
            rotate.Parameters.AddWithValue("$org", key.OrgId.Value);
            rotate.Parameters.AddWithValue("$now", SqliteTime.ToText(key.CreatedAt));
            rotate.Parameters.AddWithValue("$retire", SqliteTime.ToText(retireAt));
            rotate.Parameters.AddWithValue("$kid", key.KeyId);
            rotate.Parameters.AddWithValue("$pub", key.PublicKey);
            rotate.Parameters.AddWithValue("$priv", key.SealedPrivateKey);
            await rotate.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        return await GetSigningKeysAsync(key.OrgId, key.CreatedAt, cancellationToken);
    }

    public async Task<int> DeleteRetiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM org_signing_keys WHERE retired_at IS NOT NULL AND retired_at <= $now";
        delete.Parameters.AddWithValue("$now", SqliteTime.ToText(now));
        return await delete.ExecuteNonQueryAsync(cancellationToken);
    }
}
