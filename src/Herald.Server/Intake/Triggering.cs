using System.Diagnostics;
using System.Globalization;
using Herald.Server.Configs;
using Herald.Server.Events;
using Herald.Server.Http;
using Herald.Server.Idempotency;
using Herald.Server.Storage;
using Herald.Server.Telemetry;

namespace Herald.Server.Intake;

/// <summary>What an accepted request created: the new events' ids, in order, or the answer already held by its idempotency key.</summary>
public sealed record Accepted
{
    /// <summary>Empty when <see cref="Earlier"/> is set: nothing was written.</summary>
    public required IReadOnlyList<EnqueuedJob> Jobs { get; init; }

    public StoredAnswer? Earlier { get; init; }

    public IReadOnlyList<string> EventIds => Jobs.Select(j => j.Request.EventId.Value).ToList();
}

/// <summary>
/// Accepts work: every new event is committed with its job (and, under an <c>Idempotency-Key</c>, with the key's
/// claim) in one transaction before the caller hears "accepted". The events are written here, through the event log's
/// writer; the jobs through the queue's port (<see cref="IJobQueue"/>), which also runs a sync trigger's job and hands
/// others to this node's worker. A sync trigger's job is leased to this node while it runs, so a crash mid-attempt
/// leaves a job that a worker picks up when the lease runs out. The transaction also checks that each config is still
/// the version its event was made under (<see cref="TriggerConfigs.CheckUnchanged"/>); when one changed, it fails
/// (<see cref="TriggerConfigs.IsChanged"/>) and nothing is written.
/// </summary>
public sealed class Triggering(IJobQueue queue, IEventWriter events, IIdempotencyStore answers, TriggerConfigs configs, TimeProvider time, DiskRoom room, IntakeMetrics? metrics = null)
{
    /// <summary>Why a config cannot be triggered, or null when it can.</summary>
    public static string? RefusalFor(ConfigRecord config) => config.Document.Status switch
    {
        _ when config.Document.Enabled == false => $"Webhook config {config.Id} is disabled",
        ConfigStatus.Incomplete => $"Webhook config {config.Id} is incomplete: it needs a url and the values its auth type requires",
        ConfigStatus.Active => null,
        var other => $"Webhook config {config.Id} is not active (status {other})",
    };

    /// <summary>A new event for the config, not yet written.</summary>
    public EventRecord NewEvent(ConfigRecord config, EventInput input)
    {
        // Milliseconds, the precision of the event id's timestamp and of every time the API shows: a list cursor
        // built from what a client saw then names the event exactly.
        var now = time.GetUtcNow();
        now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
        return new EventRecord
        {
            EventId = WebhookEventId.From(RandomGuid.NewVersion7(now).ToString()),
            OrgId = config.OrgId,
            ConfigId = config.Id,
            EventName = config.EventName,
            CreatedAt = now,
            Status = EventStatus.InProgress,
            HttpMethod = config.Document.HttpMethod ?? "POST",
            Url = config.Document.Url,
            Metadata = input.Metadata,
            Input = input.Input,
            Shared = input.Shared,
        };
    }

    /// <summary>
    /// The one intake path: commits the events, each with its job, and the claim when given, in one transaction; or,
    /// when the claim's key already holds an answer, writes nothing and returns that answer.
    /// </summary>
    public async Task<Accepted> AcceptAsync(
        IReadOnlyList<(ConfigRecord Config, EventRecord Event)> accepted, IdempotencyClaim? claim, JobStart start,
        Func<WriteSession, CancellationToken, Task<bool>>? alongside = null)
    {
        if (accepted.Count == 0 && claim is null && alongside is null)
        {
            return new Accepted { Jobs = [] };
        }
        if (accepted.Count > 0)
        {
            room.EnsureRoomForNewWork();
        }
        // The trace of the deliveries starts here: jobs handed over or run at once get their attempts' spans as children.
        using var span = HeraldTraces.Source.StartActivity(HeraldTraces.Trigger, ActivityKind.Internal);
        span?.SetTag("herald.events", accepted.Count);
        var requests = accepted.Select(a => JobRequest.Deliver(a.Event, a.Config, start)).ToList();
        var newEvents = accepted.Select(a => a.Event).ToList();
        StoredAnswer? earlier = null;
        var jobs = await queue.EnqueueAsync(requests, async (session, cancellationToken) =>
        {
            if (alongside is not null && !await alongside(session, cancellationToken))
            {
                return [];
            }
            earlier = claim is null ? null : await answers.ClaimAsync(session, claim, cancellationToken);
            if (earlier is not null)
            {
                return [];
            }
            // A config used unread (TriggerConfigs.GetForTriggerAsync) is checked here: when another node changed it,
            // the transaction fails and the trigger starts over with the config read again.
            configs.CheckUnchanged(session, accepted.Select(a => a.Config));
            await events.InsertAsync(session, newEvents, cancellationToken);
            return requests;
        }, chain: false);
        if (earlier is null && accepted.Count > 0)
        {
            metrics?.Accepted(accepted[0].Config.OrgId, jobs.Count);
        }
        return new Accepted { Jobs = earlier is null ? jobs : [], Earlier = earlier };
    }

    /// <summary>
    /// Commits one event per config, each with its job, in one transaction; returns the event ids, in order. With
    /// <paramref name="alongside"/>, that runs first in the same transaction (also when there is no event), and when it
    /// answers false nothing is queued.
    /// </summary>
    public async Task<IReadOnlyList<string>> AcceptAllAsync(
        IReadOnlyList<(ConfigRecord Config, EventInput Input)> events, Func<WriteSession, CancellationToken, Task<bool>>? alongside = null) =>
        (await AcceptAsync(events.Select(e => (e.Config, NewEvent(e.Config, e.Input))).ToList(), null, JobStart.HandOver, alongside)).EventIds;

    /// <summary>
    /// Queues one replay job per event in the log (under that organization and config), as a chain in the given
    /// order; an event not in the log gets none. With <paramref name="alongside"/>, that runs first in the same
    /// transaction (a recovery noting its progress, say), and when it answers false nothing is queued. Returns the
    /// event ids that got a job, in order.
    /// </summary>
    public async Task<IReadOnlyList<string>> ReplayAsync(
        OrganizationId orgId, ConfigId configId, IReadOnlyList<string> eventIds, bool reapplyTransform,
        Func<WriteSession, CancellationToken, Task<bool>>? alongside = null)
    {
        if (eventIds.Count > 0)
        {
            room.EnsureRoomForNewWork();
        }
        var requests = eventIds.Select(id => JobRequest.Replay(WebhookEventId.From(id), orgId, configId, reapplyTransform)).ToList();
        var jobs = await queue.EnqueueAsync(requests, async (session, cancellationToken) =>
        {
            if (alongside is not null && !await alongside(session, cancellationToken))
            {
                return [];
            }
            var existing = await events.ExistingAsync(session, orgId, configId, eventIds, cancellationToken);
            return requests.Where(r => existing.Contains(r.EventId.Value)).ToList();
        }, chain: true);
        return jobs.Select(j => j.Request.EventId.Value).ToList();
    }

    /// <summary>
    /// The answer of a sync trigger once its run is over. Its event is written: while it waits for its receiver, the
    /// request gives its turn (<paramref name="turn"/>) to its organization's next request.
    /// </summary>
    public async Task<TriggerWebhookResp> OutcomeAsync(EnqueuedJob job, RequestTurn? turn)
    {
        turn?.Release();
        var run = await job.Run!;
        return new TriggerWebhookResp
        {
            EventId = job.Request.EventId.Value,
            // The contract's status is succeeded or failed: an attempt that never started has neither, so none is given.
            Status = run.GivenBack ? null
                : run.Status is EventStatus.Succeeded or EventStatus.Skipped ? EventStatus.Succeeded.ToContract()
                : EventStatus.Failed.ToContract(),
            StatusCode = run.Result?.StatusCode?.ToString(CultureInfo.InvariantCulture),
            Message = run.GivenBack ? GivenBackMessage : run.Result?.Message,
            Body = run.Result?.Body,
            Code = run.Result?.Code?.ToWire(),
            StartDate = Format(run.StartDate),
            EndDate = run.GivenBack ? null : Format(run.EndDate ?? time.GetUtcNow()),
        };
    }

    /// <summary>The answer's message when this node stopped before the sync attempt's send started.</summary>
    public const string GivenBackMessage = "This node stopped before the attempt was sent; the event stays queued and a worker delivers it (getEventById shows its outcome)";

    private static string? Format(DateTimeOffset? value) => value is { } v ? HeraldJson.Timestamp(v) : null;
}
