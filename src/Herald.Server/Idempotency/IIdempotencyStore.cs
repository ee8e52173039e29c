namespace Herald.Server.Idempotency;

/// <summary>
/// The remembered answers. A key is claimed in the same transaction that commits the events it stands for (see
/// <c>IDeliveryStore.EnqueueOnceAsync</c>): the unique key decides which of two concurrent requests creates them.
/// </summary>
public interface IIdempotencyStore
{
    /// <summary>The answer remembered under the key, or null when there is none or it has expired.</summary>
    Task<StoredAnswer?> FindAsync(string orgId, string scope, string key, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Replaces a claim's provisional answer with the final one, unless the key was claimed again meanwhile.</summary>
    Task CompleteAsync(IdempotencyClaim claim, int statusCode, string body, CancellationToken cancellationToken);

    /// <summary>Deletes the keys created at or before <paramref name="cutoff"/>; returns how many.</summary>
    Task<int> PurgeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}
