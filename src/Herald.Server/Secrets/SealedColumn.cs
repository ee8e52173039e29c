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
public sealed record SealedRow(string OrgId, string Id, byte[] Value);
