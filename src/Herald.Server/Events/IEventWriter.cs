using Herald.Server.Http;
using Herald.Server.Storage;

namespace Herald.Server.Events;

/// <summary>
/// The event log's writes, each within a caller's <see cref="WriteSession"/>, so that they commit with what belongs
/// to them in other features' tables (a new event with its job; an outcome with the job's end). The only code that
/// writes <c>webhook_events</c>, <c>event_inputs</c> and <c>delivery_attempts</c>, besides retention.
/// </summary>
public interface IEventWriter
{
    /// <summary>Inserts the events, and the shared input of a fan-out once, before the first of its events.</summary>
    Task InsertAsync(WriteSession session, IReadOnlyList<EventRecord> events, CancellationToken cancellationToken);

    /// <summary>Applies the events' new states, in order.</summary>
    Task UpdateAsync(WriteSession session, IReadOnlyList<EventUpdate> updates, CancellationToken cancellationToken);

    /// <summary>Records the attempts.</summary>
    Task AddAttemptsAsync(WriteSession session, IReadOnlyList<DeliveryAttempt> attempts, CancellationToken cancellationToken);

    /// <summary>Which of the given events of the organization's config are in the log, read within the session.</summary>
    Task<IReadOnlySet<string>> ExistingAsync(WriteSession session, OrganizationId orgId, ConfigId configId, IReadOnlyList<string> eventIds, CancellationToken cancellationToken);
}
