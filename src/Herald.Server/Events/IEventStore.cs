using Herald.Server.Http;


namespace Herald.Server.Events;

/// <summary>Reads of the event log, and its retention. Writes of events go through <see cref="IEventWriter"/>, within the transaction of what they belong to.</summary>
public interface IEventStore
{
    Task<EventRecord?> GetAsync(OrganizationId orgId, WebhookEventId eventId, CancellationToken cancellationToken);

    /// <summary>
    /// The given events in one read, by event id (of whichever organization: the caller checks each against what it
    /// expects); an event that is gone is absent.
    /// </summary>
    Task<IReadOnlyDictionary<string, EventRecord>> FindAsync(IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <see cref="EventQuery.Limit"/> events of one config, newest first (<c>created_at</c>, then <c>event_id</c>,
    /// both descending), after the query's cursor and within its filters. Reads the index
    /// <c>ix_webhook_events_page (org_id, config_id, created_at DESC, event_id DESC)</c>.
    /// </summary>
    Task<IReadOnlyList<EventRecord>> ListAsync(OrganizationId orgId, ConfigId configId, EventQuery query, CancellationToken cancellationToken);

    /// <summary>How many events of one config have <paramref name="status"/> and were created from <paramref name="from"/> to <paramref name="to"/>, both inclusive.</summary>
    Task<int> CountAsync(OrganizationId orgId, ConfigId configId, EventStatus status, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>
    /// The keys of up to <paramref name="limit"/> events of one config with <paramref name="status"/>, created from
    /// <paramref name="from"/> to <paramref name="to"/> (inclusive), oldest first (<c>created_at</c>, then
    /// <c>event_id</c>, both ascending), strictly after <paramref name="after"/> in that order. Reads the page index backwards.
    /// </summary>
    Task<IReadOnlyList<EventCursor>> KeysOldestFirstAsync(
        OrganizationId orgId, ConfigId configId, EventStatus status, DateTimeOffset from, DateTimeOffset to, EventCursor? after, int limit, CancellationToken cancellationToken);

    /// <summary>Every recorded HTTP try of the event, oldest first.</summary>
    async Task<IReadOnlyList<DeliveryAttempt>> AttemptsAsync(OrganizationId orgId, WebhookEventId eventId, CancellationToken cancellationToken) =>
        (await AttemptsAsync(orgId, eventId, after: null, int.MaxValue, cancellationToken)).Attempts;

    /// <summary>
    /// Up to <paramref name="limit"/> recorded HTTP tries of the event, oldest first, after the try that
    /// <paramref name="after"/> names (a page's <see cref="AttemptPage.Next"/>); an event replayed again and again has
    /// as many tries as replays, so they are read a page at a time.
    /// </summary>
    Task<AttemptPage> AttemptsAsync(OrganizationId orgId, WebhookEventId eventId, long? after, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes up to <paramref name="max"/> events created before <paramref name="cutoff"/>, oldest first, with their
    /// attempts, in one transaction. An event that still has a job in the queue is kept. The shared inputs of fan-outs
    /// whose last event is gone go too (up to <paramref name="max"/>). Returns how many events went.
    /// </summary>
    Task<int> PurgeEventsAsync(DateTimeOffset cutoff, int max, CancellationToken cancellationToken);

    /// <summary>Deletes up to <paramref name="max"/> attempts started before <paramref name="cutoff"/> (those of events kept for a job). Returns how many went.</summary>
    Task<int> PurgeAttemptsAsync(DateTimeOffset cutoff, int max, CancellationToken cancellationToken);
}
