namespace Herald.Server.Secrets;

/// <summary>Reads and replaces sealed values of a <see cref="SealedColumn"/>, for <see cref="Resealing"/>.</summary>
public interface ISealedValues
{
    /// <summary>Up to <paramref name="limit"/> rows with a value, in key order, after the key <paramref name="after"/> (null: from the first).</summary>
    Task<IReadOnlyList<SealedRow>> PageAsync(SealedColumn column, (string OrgId, string Id)? after, int limit, CancellationToken cancellationToken);

    /// <summary>The column's first row with a value; null when it has none, or when its table is not made yet (a database before its migrations).</summary>
    Task<SealedRow?> FirstAsync(SealedColumn column, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="resealed"/> in place of the row's value while it is still the one read; false when the
    /// row changed meanwhile (its writer sealed it with the current key) or is gone.
    /// </summary>
    Task<bool> ReplaceAsync(SealedColumn column, SealedRow row, byte[] resealed, CancellationToken cancellationToken);
}
