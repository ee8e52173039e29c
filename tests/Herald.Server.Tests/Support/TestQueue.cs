using Herald.Server.Delivery;
using Herald.Server.Events;
using Herald.Server.Http;
using Herald.Server.Idempotency;
using Herald.Server.Storage;
using Herald.Server.Storage.Postgres;
using Herald.Server.Storage.Sqlite;

namespace Herald.Server.Tests.Support;

/// <summary>A new event and the job that delivers it, for the store tests.</summary>
public sealed record NewDelivery(EventRecord Event, DeliveryJob Job);

/// <summary>A replay to queue for an event in the log, for the store tests.</summary>
public sealed record ReplayJob(string EventId, OrganizationId OrgId, ConfigId ConfigId, bool ReapplyTransform);

/// <summary>
/// One engine's queue as the server writes it, without the server: the real stores and writers of Storage, Events,
/// Idempotency and Delivery, each writing its own tables in one shared session, in the order Intake and the job runner
/// use them (claim, events, jobs; job ends, attempts, event updates; a claim with its given-up events).
/// </summary>
public sealed class TestQueue : IAsyncDisposable
{
    private readonly SqliteWriteLane? _lane;

    private TestQueue(IWriteSessions sessions, IEventWriter events, IDeliveryStore jobs, IIdempotencyStore answers, SqliteWriteLane? lane)
    {
        (Sessions, Events, Jobs, Answers, _lane) = (sessions, events, jobs, answers, lane);
        Claims = new JobClaims(jobs, events, sessions, new DeliveryOptions());
    }

    public IWriteSessions Sessions { get; }

    public IEventWriter Events { get; }

    public IDeliveryStore Jobs { get; }

    public IIdempotencyStore Answers { get; }

    public JobClaims Claims { get; }

    public static TestQueue Sqlite(SqliteDatabase database)
    {
        var lane = new SqliteWriteLane(database);
        return new TestQueue(new SqliteWriteSessions(lane), new SqliteEventWriter(), new SqliteDeliveryStore(database, lane), new SqliteIdempotencyStore(database), lane);
    }

    public static TestQueue Postgres(PostgresDatabase database) =>
        new(new PostgresWriteSessions(database), new PostgresEventWriter(), new PostgresDeliveryStore(database), new PostgresIdempotencyStore(database), null);

    /// <summary>A job for a new event, due at <paramref name="dueAt"/>, not leased.</summary>
    public static DeliveryJob Job(string eventId, OrganizationId orgId, ConfigId configId, DateTimeOffset dueAt) =>
        new() { EventId = WebhookEventId.From(eventId), OrgId = orgId, ConfigId = configId, Kind = JobKind.Deliver, DueAt = dueAt };

    /// <summary>An attempt row, by position (test shorthand).</summary>
    public static DeliveryAttempt Attempt(string eventId, OrganizationId orgId, int number, JobKind kind, DateTimeOffset startedAt, int durationMs, int? statusCode, DeliveryCode? code,
        string? message, string? excerpt, bool afterReclaim) => new()
    {
        EventId = WebhookEventId.From(eventId), OrgId = orgId, Number = number, Kind = kind, StartedAt = startedAt, DurationMs = durationMs, StatusCode = statusCode, Code = code,
        Message = message, ResponseExcerpt = excerpt, AfterReclaim = afterReclaim,
    };

    /// <summary>A completion with the event's new state, by position (test shorthand).</summary>
    public static JobCompletion Completion(DeliveryJob job, string owner, EventStatus status, int retryAttempt, string? payload, string? httpResponse,
        DateTimeOffset? startDate, DateTimeOffset? endDate, DeliveryAttempt? attempt, DateTimeOffset? retryAt) => new()
    {
        Job = job, Owner = owner, Attempt = attempt, RetryAt = retryAt,
        Event = new EventUpdate
        {
            EventId = job.EventId, Status = status, RetryAttempt = retryAttempt, Payload = payload, HttpResponse = httpResponse, StartDate = startDate, EndDate = endDate,
        },
    };

    /// <summary>The one enqueue path: the claim (when given), the events, then their jobs, in one transaction.</summary>
    public async Task<(IReadOnlyList<long>? JobIds, StoredAnswer? Earlier)> EnqueueOnceAsync(IReadOnlyList<NewDelivery> deliveries, IdempotencyClaim? claim, CancellationToken cancellationToken)
    {
        var (ids, earlier) = await Sessions.WriteAsync<(Later<IReadOnlyList<long>>?, StoredAnswer?)>(async session =>
        {
            if (claim is not null && await Answers.ClaimAsync(session, claim, cancellationToken) is { } earlier)
            {
                return (null, earlier);
            }
            await Events.InsertAsync(session, deliveries.Select(d => d.Event).ToList(), cancellationToken);
            return (await Jobs.EnqueueAsync(session, deliveries.Select(d => d.Job).ToList(), chain: false, cancellationToken), null);
        }, cancellationToken);
        return (ids?.Value, earlier);
    }

    public async Task<IReadOnlyList<long>> EnqueueAsync(IReadOnlyList<NewDelivery> deliveries, CancellationToken cancellationToken) =>
        (await EnqueueOnceAsync(deliveries, null, cancellationToken)).JobIds!;

    /// <summary>Replays as Intake queues them: the events that are in the log, checked in the transaction, get a chain of jobs.</summary>
    public Task<IReadOnlyList<string>> EnqueueReplaysAsync(IReadOnlyList<ReplayJob> replays, DateTimeOffset dueAt, CancellationToken cancellationToken) =>
        Sessions.WriteAsync<IReadOnlyList<string>>(async session =>
        {
            var queued = new List<ReplayJob>();
            foreach (var group in replays.GroupBy(r => (r.OrgId, r.ConfigId)))
            {
                var existing = await Events.ExistingAsync(session, group.Key.OrgId, group.Key.ConfigId, group.Select(r => r.EventId).ToList(), cancellationToken);
                queued.AddRange(group.Where(r => existing.Contains(r.EventId)));
            }
            queued = replays.Where(queued.Contains).ToList();
            var jobs = queued.Select(r => new DeliveryJob
            {
                EventId = WebhookEventId.From(r.EventId), OrgId = r.OrgId, ConfigId = r.ConfigId, Kind = JobKind.Replay, ReapplyTransform = r.ReapplyTransform, DueAt = dueAt,
            }).ToList();
            if (jobs.Count > 0)
            {
                await Jobs.EnqueueAsync(session, jobs, chain: true, cancellationToken);
            }
            return queued.ConvertAll(r => r.EventId);
        }, cancellationToken);

    public Task<IReadOnlyList<DeliveryJob>> ClaimDueAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken) =>
        Claims.ClaimDueAsync(owner, now, leaseUntil, max, cancellationToken);

    public async Task<IReadOnlyList<DeliveryJob>> ClaimDueAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, ClaimRoom room, CancellationToken cancellationToken) =>
        (await Claims.ClaimDueAsync(owner, now, leaseUntil, room, cancellationToken)).Leased;

    /// <summary>A claim with what its walk over the organizations visited.</summary>
    public Task<ClaimedJobs> ClaimWithWalkAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, ClaimRoom room, CancellationToken cancellationToken) =>
        Claims.ClaimDueAsync(owner, now, leaseUntil, room, cancellationToken);

    /// <summary>Completions as the job runner records them, in one transaction.</summary>
    public Task<IReadOnlyList<bool>> CompleteAsync(IReadOnlyList<JobCompletion> completions, CancellationToken cancellationToken) =>
        Sessions.WriteAsync(session => CompleteAsync(session, completions, cancellationToken), cancellationToken);

    private async Task<IReadOnlyList<bool>> CompleteAsync(WriteSession session, IReadOnlyList<JobCompletion> completions, CancellationToken cancellationToken)
    {
        var held = await Jobs.CompleteAsync(session, completions, cancellationToken);
        await Events.AddAttemptsAsync(session, completions.Where(c => c.Attempt is not null).Select(c => c.Attempt!).ToList(), cancellationToken);
        await Events.UpdateAsync(session, completions.Where((_, i) => held[i]).Select(c => c.Event).ToList(), cancellationToken);
        return held;
    }

    public Task ReleaseAsync(string owner, IReadOnlyCollection<long> jobIds, DateTimeOffset dueAt, CancellationToken cancellationToken) =>
        Jobs.ReleaseAsync(owner, jobIds, dueAt, cancellationToken);

    public Task<(int Pending, int Leased)> CountAsync(DateTimeOffset now, CancellationToken cancellationToken) => Jobs.CountAsync(now, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_lane is not null)
        {
            await _lane.DisposeAsync();
        }
    }
}
