using System.Globalization;
using System.Text.Json.Nodes;
using Herald.Server.Configs;
using Herald.Server.Events;
using Herald.Server.Http;
using Herald.Server.Idempotency;

namespace Herald.Server.Delivery;

/// <summary>
/// Accepts events for delivery. An accepted event and its job are committed together before the caller hears
/// "accepted"; a sync trigger also runs the first attempt itself, holding the job's lease while it does, so a
/// crash mid-attempt leaves a job that a worker picks up when the lease runs out.
/// </summary>
public sealed class Triggering(
    IDeliveryStore store,
    QueueWriter writes,
    DeliverySignal signal,
    AttemptRunner runner,
    LeaseKeeper leases,
    TriggerConfigs configs,
    IEnumerable<DeliveryWorker> localWorkers,
    TimeProvider time)
{
    // This node's worker, when it runs one: an accepted event goes straight to it.
    private readonly DeliveryWorker? _worker = localWorkers.FirstOrDefault();

    /// <summary>Why a config cannot be triggered, or null when it can.</summary>
    public static string? RefusalFor(ConfigRecord config) => config.Document.Status switch
    {
        _ when config.Document.Enabled == false => $"Webhook config {config.Id} is disabled",
        ConfigStatus.Incomplete => $"Webhook config {config.Id} is incomplete: it needs a url and the values its auth type requires",
        ConfigStatus.Active => null,
        var other => $"Webhook config {config.Id} is not active (status {other})",
    };

    public NewDelivery Build(ConfigRecord config, JsonObject payload, JobKind kind = JobKind.Deliver, string? leaseOwner = null) =>
        Build(config, EventInput.Of(payload), kind, leaseOwner);

    public NewDelivery Build(ConfigRecord config, EventInput input, JobKind kind = JobKind.Deliver, string? leaseOwner = null)
    {
        // Milliseconds, the precision of the event id's timestamp and of every time the API shows: a list cursor
        // built from what a client saw then names the event exactly.
        var now = time.GetUtcNow();
        now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
        var eventId = RandomGuid.NewVersion7(now).ToString();
        var stored = new EventRecord
        {
            EventId = eventId,
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
        var job = new DeliveryJob(0, eventId, config.OrgId, config.Id, kind, 0, false, now, leaseOwner,
            leaseOwner is null ? null : leases.NewLeaseEnd(), 0);
        return new NewDelivery(stored, job);
    }

    /// <summary>
    /// Commits the event with its job; workers deliver it. When this node's worker can take it (it runs, and has room
    /// for another waiting job of this config: <see cref="WaitingJobs"/>), the job is committed already
    /// leased to this node and handed to the worker with the event and config in hand, which spares the claim and the
    /// reads; otherwise it waits in the queue for whichever node claims it first.
    /// </summary>
    public async Task<string> AcceptAsync(ConfigRecord config, JsonObject payload) => (await AcceptAllAsync([(config, EventInput.Of(payload))]))[0];

    /// <summary>
    /// Commits one event per config, each with its job, all in one transaction; returns the event ids, in order. Each
    /// event that this node's worker can take is handed to it as <see cref="AcceptAsync"/> says.
    /// </summary>
    public async Task<IReadOnlyList<string>> AcceptAllAsync(IReadOnlyList<(ConfigRecord Config, EventInput Input)> events)
    {
        var handOver = new bool[events.Count];
        var deliveries = new List<NewDelivery>(events.Count);
        IReadOnlyList<long> jobIds;
        try
        {
            for (var i = 0; i < events.Count; i++)
            {
                handOver[i] = _worker?.TryReserve(events[i].Config.OrgId, events[i].Config.Id) == true;
                deliveries.Add(Build(events[i].Config, events[i].Input, leaseOwner: handOver[i] ? leases.Owner : null));
            }
            jobIds = await writes.EnqueueAsync(deliveries);
        }
        catch
        {
            for (var i = 0; i < handOver.Length; i++)
            {
                if (handOver[i])
                {
                    _worker!.CancelReservation(events[i].Config.OrgId, events[i].Config.Id);
                }
            }
            throw;
        }
        for (var i = 0; i < events.Count; i++)
        {
            if (handOver[i])
            {
                _worker!.RunReserved(deliveries[i].Job with { JobId = jobIds[i] }, Inputs(deliveries[i], events[i].Config));
            }
        }
        return deliveries.ConvertAll(d => d.Event.EventId);
    }

    /// <summary>
    /// Commits the events with their jobs and the claim's answer in one transaction, unless the claim's key already
    /// holds an answer: then nothing is written and that answer is returned.
    /// </summary>
    public async Task<(IReadOnlyList<long>? JobIds, StoredAnswer? Earlier)> AcceptOnceAsync(IReadOnlyList<NewDelivery> deliveries, IdempotencyClaim claim)
    {
        var accepted = await store.EnqueueOnceAsync(deliveries, claim, CancellationToken.None);
        if (accepted.JobIds is { Count: > 0 })
        {
            signal.Notify();
        }
        return accepted;
    }

    /// <summary>An event with a job leased to this node, for a sync trigger that runs the first attempt itself.</summary>
    public NewDelivery BuildLeased(ConfigRecord config, JsonObject payload) => Build(config, payload, leaseOwner: leases.Owner);

    /// <summary>Commits the event with a job leased to this node, runs the first attempt, and returns its outcome.</summary>
    public async Task<TriggerWebhookResp> DeliverNowAsync(ConfigRecord config, JsonObject payload, CancellationToken abort)
    {
        var delivery = BuildLeased(config, payload);
        var ids = await store.EnqueueAsync([delivery], abort);
        return await RunLeasedAsync(delivery.Job with { JobId = ids[0] }, abort, Inputs(delivery, config));
    }

    /// <summary>What the first attempt of a delivery built here needs, in hand: no reads.</summary>
    public JobInputs Inputs(NewDelivery delivery, ConfigRecord config) => new(delivery.Event, config, configs.SecretsOf(config));

    /// <summary>
    /// Runs the first attempt of a committed job leased to this node (see <see cref="BuildLeased"/>) and returns its
    /// outcome; with <paramref name="inputs"/> it reads neither the event nor the config.
    /// </summary>
    public async Task<TriggerWebhookResp> RunLeasedAsync(DeliveryJob job, CancellationToken abort, JobInputs? inputs = null)
    {
        leases.Hold(job.JobId);
        try
        {
            var outcome = await runner.RunAsync(job, leases.Owner, abort, inputs: inputs);
            var done = (RunOutcome.Done)outcome;
            await writes.CompleteAsync(done.Completion);
            var update = done.Completion.Event;
            return new TriggerWebhookResp
            {
                EventId = job.EventId,
                Status = update.Status == EventStatus.Succeeded || update.Status == EventStatus.Skipped ? EventStatus.Succeeded.ToContract() : EventStatus.Failed.ToContract(),
                StatusCode = done.Result?.StatusCode?.ToString(CultureInfo.InvariantCulture),
                Message = done.Result?.Message,
                Body = done.Result?.Body,
                Code = done.Result?.Code,
                StartDate = Format(update.StartDate),
                EndDate = Format(update.EndDate ?? time.GetUtcNow()),
            };
        }
        finally
        {
            leases.Drop(job.JobId);
        }
    }

    private static string? Format(DateTimeOffset? value) => value is { } v ? HeraldJson.Timestamp(v) : null;
}
