namespace Herald.Server.Secrets;

/// <summary>Reads and replaces sealed values of a <see cref="SealedColumn"/>, for <see cref="Resealing"/>.</summary>
public interface ISealedValues
{
    /// <summary>Up to <paramref name="limit"/> rows with a value, in key order, after the key <paramref name="after"/> (null: from the first).</summary>
    Task<IReadOnlyList<SealedRow>> PageAsync(SealedColumn column, (string OrgId, string Id)? after, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// One row for each key that sealed values of the column (by the key id a value carries; values of the first
    /// format, which carry none, make one group), any row of each; none when the column holds no value, or when its
    /// table is not made yet (a database before its migrations).
    /// </summary>
    Task<IReadOnlyList<SealedRow>> OnePerKeyAsync(SealedColumn column, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="resealed"/> in place of the row's value while it is still the one read; false when the
    /// row changed meanwhile (its writer sealed it with the current key) or is gone.
    /// </summary>
    Task<bool> ReplaceAsync(SealedColumn column, SealedRow row, byte[] resealed, CancellationToken cancellationToken);
}
