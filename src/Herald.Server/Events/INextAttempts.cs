using Herald.Server.Http;

namespace Herald.Server.Events;

/// <summary>
/// When each event's next automatic attempt is due, while one is scheduled after a failed attempt (a Herald extension
/// field of the event, <c>next_attempt_at</c>). The event log declares this port; the queue, which holds the due times,
/// implements it.
/// </summary>
public interface INextAttempts
{
    /// <summary>The due retries among <paramref name="eventIds"/> of the organization; events without one are absent.</summary>
    Task<IReadOnlyDictionary<string, DateTimeOffset>> DueAsync(OrganizationId orgId, IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken);
}
