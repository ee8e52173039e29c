namespace Herald.Server.Secrets;

/// <summary>
/// A column that holds sealed values, keyed by <c>org_id</c> and <paramref name="IdColumn"/>, each sealed for the owner
/// <c>{OwnerPrefix}:{org}:{id}</c>. The names are the code's own, never a caller's.
/// </summary>
public sealed record SealedColumn(string Table, string IdColumn, string ValueColumn, string OwnerPrefix)
{
    public string Owner(string orgId, string id) => $"{OwnerPrefix}:{orgId}:{id}";

    public override string ToString() => $"{Table}.{ValueColumn}";
}

/// <summary>One row's sealed value, as read.</summary>
public sealed record SealedRow(string OrgId, string Id, byte[] Value)
{
    /// <summary>The rows a <c>SELECT org_id, {id}, {value}</c> of either engine answers.</summary>
    internal static async Task<IReadOnlyList<SealedRow>> ReadAllAsync(System.Data.Common.DbCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<SealedRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new SealedRow(reader.GetString(0), reader.GetString(1), (byte[])reader.GetValue(2)));
        }
        return rows;
    }
}
