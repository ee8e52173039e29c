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

    public async Task<SealedRow?> FirstAsync(SealedColumn column, CancellationToken cancellationToken)
    {
        try
        {
            return (await PageAsync(column, null, 1, cancellationToken)) is [var first] ? first : null;
        }
        catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.UndefinedTable)
        {
            return null;
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
