using Herald.Server.Storage.Postgres;

namespace Herald.Server.Secrets;

public sealed class PostgresSealedValues(PostgresDatabase database) : ISealedValues
{
    public async Task<IReadOnlyList<SealedRow>> PageAsync(SealedColumn column, (string OrgId, string Id)? after, int limit, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand(after is null
            ? $"""
              SELECT org_id, {column.IdColumn}, {column.ValueColumn} FROM {column.Table}
              WHERE {column.ValueColumn} IS NOT NULL ORDER BY org_id, {column.IdColumn} LIMIT @limit
              """
            : $"""
              SELECT org_id, {column.IdColumn}, {column.ValueColumn} FROM {column.Table}
              WHERE {column.ValueColumn} IS NOT NULL AND (org_id, {column.IdColumn}) > (@org, @id) ORDER BY org_id, {column.IdColumn} LIMIT @limit
              """);
        if (after is { } key)
        {
            command.Parameters.AddWithValue("org", key.OrgId);
            command.Parameters.AddWithValue("id", key.Id);
        }
        command.Parameters.AddWithValue("limit", limit);
        return await SealedRow.ReadAllAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<SealedRow>> OnePerKeyAsync(SealedColumn column, CancellationToken cancellationToken)
    {
        // The key a value names is in its first bytes; CASE tries its branches in order, so an empty value reads no byte.
        await using var command = database.DataSource.CreateCommand($"""
            SELECT DISTINCT ON (sealed_by) org_id, {column.IdColumn}, {column.ValueColumn} FROM (
                SELECT org_id, {column.IdColumn}, {column.ValueColumn},
                       CASE WHEN length({column.ValueColumn}) = 0 THEN {column.ValueColumn}
                            WHEN get_byte({column.ValueColumn}, 0) = @format THEN substring({column.ValueColumn} FROM 1 FOR @prefix)
                            ELSE substring({column.ValueColumn} FROM 1 FOR 1) END AS sealed_by
                FROM {column.Table} WHERE {column.ValueColumn} IS NOT NULL) AS sealed
            """);
        command.Parameters.AddWithValue("format", (int)SecretBox.KeyIdFormat);
        command.Parameters.AddWithValue("prefix", SecretBox.KeyPrefixSize);
        try
        {
            return await SealedRow.ReadAllAsync(command, cancellationToken);
        }
        catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.UndefinedTable)
        {
            return [];
        }
    }

    public async Task<bool> ReplaceAsync(SealedColumn column, SealedRow row, byte[] resealed, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand(
            $"UPDATE {column.Table} SET {column.ValueColumn} = @new WHERE org_id = @org AND {column.IdColumn} = @id AND {column.ValueColumn} = @old");
        command.Parameters.AddWithValue("new", resealed);
        command.Parameters.AddWithValue("org", row.OrgId);
        command.Parameters.AddWithValue("id", row.Id);
        command.Parameters.AddWithValue("old", row.Value);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}
