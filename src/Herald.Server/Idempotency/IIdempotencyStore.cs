using Herald.Server.Http;

namespace Herald.Server.Idempotency;

/// <summary>
/// The remembered answers. A key is claimed (<see cref="ClaimAsync"/>) in the same transaction that commits the events
/// it stands for: the unique key decides which of two concurrent requests creates them.
/// </summary>
public interface IIdempotencyStore
{
    /// <summary>The answer remembered under the key, or null when there is none or it has expired.</summary>
    Task<StoredAnswer?> FindAsync(OrganizationId orgId, string scope, string key, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Within the caller's write transaction: takes the key (new, or expired) with the claim's answer and returns null,
    /// or returns the answer that holds the key and changes nothing.
    /// </summary>
    Task<StoredAnswer?> ClaimAsync(Storage.WriteSession session, IdempotencyClaim claim, CancellationToken cancellationToken);

    /// <summary>Replaces a claim's provisional answer with the final one, unless the key was claimed again meanwhile.</summary>
    Task CompleteAsync(IdempotencyClaim claim, int statusCode, string body, CancellationToken cancellationToken);

    /// <summary>Deletes the keys created at or before <paramref name="cutoff"/>; returns how many.</summary>
    Task<int> PurgeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}
