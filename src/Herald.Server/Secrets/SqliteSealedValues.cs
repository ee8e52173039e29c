using Herald.Server.Storage.Sqlite;

namespace Herald.Server.Secrets;

public sealed class SqliteSealedValues(SqliteDatabase database) : ISealedValues
{
    public async Task<IReadOnlyList<SealedRow>> PageAsync(SealedColumn column, (string OrgId, string Id)? after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT org_id, {column.IdColumn}, {column.ValueColumn} FROM {column.Table}
            WHERE {column.ValueColumn} IS NOT NULL AND ($org IS NULL OR (org_id, {column.IdColumn}) > ($org, $id))
            ORDER BY org_id, {column.IdColumn} LIMIT $limit
            """;
        command.Parameters.AddWithValue("$org", (object?)after?.OrgId ?? DBNull.Value);
        command.Parameters.AddWithValue("$id", (object?)after?.Id ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", limit);
        return await SealedRow.ReadAllAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<SealedRow>> OnePerKeyAsync(SealedColumn column, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // The key a value names is in its first bytes; SQLite answers any row of each group for the bare columns.
        command.CommandText = $"""
            SELECT org_id, {column.IdColumn}, {column.ValueColumn} FROM {column.Table} WHERE {column.ValueColumn} IS NOT NULL
            GROUP BY CASE WHEN substr({column.ValueColumn}, 1, 1) = $format THEN substr({column.ValueColumn}, 1, $prefix) ELSE substr({column.ValueColumn}, 1, 1) END
            """;
        command.Parameters.AddWithValue("$format", new[] { SecretBox.KeyIdFormat });
        command.Parameters.AddWithValue("$prefix", SecretBox.KeyPrefixSize);
        try
        {
            return await SealedRow.ReadAllAsync(command, cancellationToken);
        }
        catch (Microsoft.Data.Sqlite.SqliteException e) when (e.SqliteErrorCode == 1 && e.Message.Contains("no such table", StringComparison.Ordinal))
        {
            return [];
        }
    }

    public async Task<bool> ReplaceAsync(SealedColumn column, SealedRow row, byte[] resealed, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"UPDATE {column.Table} SET {column.ValueColumn} = $new WHERE org_id = $org AND {column.IdColumn} = $id AND {column.ValueColumn} = $old";
        command.Parameters.AddWithValue("$new", resealed);
        command.Parameters.AddWithValue("$org", row.OrgId);
        command.Parameters.AddWithValue("$id", row.Id);
        command.Parameters.AddWithValue("$old", row.Value);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}
