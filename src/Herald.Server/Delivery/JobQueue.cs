using Herald.Server.Configs;
using Herald.Server.Events;
using Herald.Server.Http;
using Herald.Server.Intake;
using Herald.Server.Storage;

namespace Herald.Server.Delivery;

/// <summary>
/// Delivery's side of Intake's port: jobs are written through the node's group commit (<see cref="GroupCommit"/>),
/// so that under load many triggers (and the outcomes of finished attempts) share one transaction; each call's
/// <c>within</c> writes its events (and claims its idempotency key) in that same transaction, just before its jobs.
/// A job this node's worker has room for (<see cref="JobRunner.ReserveAsync"/>) is committed already leased to this
/// node and handed to the runner with the event and config in hand, which spares the claim and the reads; a sync job
/// is committed leased to this node and run at once by the same runner; any other waits in the queue for whichever
/// node claims it first.
/// </summary>
public sealed class JobQueue : IJobQueue
{
    private readonly IDeliveryStore _store;
    private readonly GroupCommit _commit;
    private readonly JobRunner _runner;
    private readonly LeaseKeeper _leases;
    private readonly TriggerConfigs _configs;
    private readonly DeliverySignal _signal;
    private readonly TimeProvider _time;
    private readonly TimeSpan _handOverWait;
    private readonly GroupWrite<Enqueue, IReadOnlyList<(JobRequest Request, DeliveryJob Job)>> _enqueues;

    public JobQueue(IDeliveryStore store, GroupCommit commit, JobRunner runner, LeaseKeeper leases, TriggerConfigs configs, DeliverySignal signal, WorkerOptions options, TimeProvider time)
    {
        (_store, _commit, _runner, _leases, _configs, _signal, _time) = (store, commit, runner, leases, configs, signal, time);
        // Validated where the options are made (DeliverySetup).
        _handOverWait = options.HandOverWait;
        _enqueues = new GroupWrite<Enqueue, IReadOnlyList<(JobRequest Request, DeliveryJob Job)>>(WriteAsync);
    }

    public async Task<IReadOnlyList<EnqueuedJob>> EnqueueAsync(
        IReadOnlyList<JobRequest> requests, Func<WriteSession, CancellationToken, Task<IReadOnlyList<JobRequest>>> within, bool chain)
    {
        var reserved = new bool[requests.Count];
        var since = _time.GetTimestamp();
        for (var i = 0; i < requests.Count; i++)
        {
            // The wait for room is one for the whole call, whatever the number of its jobs.
            reserved[i] = requests[i].Start == JobStart.HandOver && requests[i].Event is not null && requests[i].Config is not null
                && await _runner.ReserveAsync(requests[i].OrgId, requests[i].ConfigId, WaitingJobs.SizeOf(requests[i].Event), _handOverWait - _time.GetElapsedTime(since));
        }
        IReadOnlyList<(JobRequest Request, DeliveryJob Job)> kept;
        try
        {
            kept = await _commit.WriteAsync(_enqueues, new Enqueue(requests, reserved, within, chain, _time.GetUtcNow()));
        }
        catch
        {
            CancelReservations(requests, reserved, new HashSet<object>());
            throw;
        }

        CancelReservations(requests, reserved, kept.Select(k => (object)k.Request).ToHashSet(ReferenceEqualityComparer.Instance!));

        var enqueued = new List<EnqueuedJob>(kept.Count);
        var queued = false;
        foreach (var (request, job) in kept)
        {
            Task<JobRun>? run = null;
            if (job.LeaseOwner is null)
            {
                queued = true;
            }
            else if (request.Start == JobStart.Now)
            {
                run = RunNowAsync(job, Inputs(request));
            }
            else
            {
                _runner.RunHandedOver(job, Inputs(request));
            }
            enqueued.Add(new EnqueuedJob { Request = request, JobId = job.JobId, Run = run });
        }
        if (queued)
        {
            _signal.Notify();
        }
        return enqueued;
    }

    public Task<bool> HasJobAsync(WebhookEventId eventId, CancellationToken cancellationToken) => _store.HasJobAsync(eventId, cancellationToken);

    private void CancelReservations(IReadOnlyList<JobRequest> requests, bool[] reserved, IReadOnlySet<object> written)
    {
        for (var i = 0; i < requests.Count; i++)
        {
            if (reserved[i] && !written.Contains(requests[i]))
            {
                _runner.CancelReservation(requests[i].OrgId, requests[i].ConfigId, WaitingJobs.SizeOf(requests[i].Event));
            }
        }
    }

    private JobInputs Inputs(JobRequest request) => new(request.Event, request.Config, _configs.SecretsOf(request.Config!));

    private async Task<JobRun> RunNowAsync(DeliveryJob job, JobInputs inputs)
    {
        var done = await _runner.RunNowAsync(job, inputs);
        if (done is null)
        {
            return new JobRun { Status = EventStatus.InProgress, GivenBack = true };
        }
        var update = done.Completion.Event;
        return new JobRun { Status = update.Status, Result = done.Result, StartDate = update.StartDate, EndDate = update.EndDate };
    }

    /// <summary>
    /// Within the group's transaction: each call's own writes, then all their jobs (a chain's on their own). The jobs'
    /// ids come with the commit on PostgreSQL, so the results are made after it.
    /// </summary>
    private async Task<Later<IReadOnlyList<IReadOnlyList<(JobRequest Request, DeliveryJob Job)>>>> WriteAsync(
        WriteSession session, IReadOnlyList<Enqueue> batch, CancellationToken cancellationToken)
    {
        var jobs = new List<DeliveryJob>[batch.Count];
        var kept = new IReadOnlyList<JobRequest>[batch.Count];
        for (var b = 0; b < batch.Count; b++)
        {
            var enqueue = batch[b];
            var keep = kept[b] = await enqueue.Within(session, cancellationToken);
            jobs[b] = new List<DeliveryJob>(keep.Count);
            foreach (var request in keep)
            {
                var at = IndexOf(enqueue.Requests, request);
                var leased = request.Start == JobStart.Now || enqueue.Reserved[at];
                jobs[b].Add(new DeliveryJob
                {
                    EventId = request.EventId,
                    OrgId = request.OrgId,
                    ConfigId = request.ConfigId,
                    Kind = request.Kind,
                    ReapplyTransform = request.ReapplyTransform,
                    DueAt = request.Event?.CreatedAt ?? enqueue.Now,
                    LeaseOwner = leased ? _leases.Owner : null,
                    LeaseUntil = leased ? _leases.NewLeaseEnd() : null,
                });
            }
        }
        var together = Enumerable.Range(0, batch.Count).Where(b => !batch[b].Chain).SelectMany(b => jobs[b]).ToList();
        var ids = together.Count == 0 ? null : await _store.EnqueueAsync(session, together, chain: false, cancellationToken);
        var chained = new Later<IReadOnlyList<long>>?[batch.Count];
        for (var b = 0; b < batch.Count; b++)
        {
            if (batch[b].Chain && jobs[b].Count > 0)
            {
                chained[b] = await _store.EnqueueAsync(session, jobs[b], chain: true, cancellationToken);
            }
        }
        return Later<IReadOnlyList<IReadOnlyList<(JobRequest, DeliveryJob)>>>.From(() =>
        {
            var next = 0;
            var results = new IReadOnlyList<(JobRequest, DeliveryJob)>[batch.Count];
            for (var b = 0; b < batch.Count; b++)
            {
                var (written, requests) = (jobs[b], kept[b]);
                var own = batch[b].Chain ? chained[b]!.Value : null;
                var list = new List<(JobRequest, DeliveryJob)>(written.Count);
                for (var i = 0; i < written.Count; i++)
                {
                    list.Add((requests[i], written[i] with { JobId = own is null ? ids!.Value[next++] : own[i] }));
                }
                results[b] = list;
            }
            return results;
        });
    }

    private static int IndexOf(IReadOnlyList<JobRequest> requests, JobRequest request)
    {
        for (var i = 0; i < requests.Count; i++)
        {
            if (ReferenceEquals(requests[i], request))
            {
                return i;
            }
        }
        throw new InvalidOperationException("A job queue's within answered a request it was not given");
    }

    private sealed record Enqueue(
        IReadOnlyList<JobRequest> Requests, bool[] Reserved, Func<WriteSession, CancellationToken, Task<IReadOnlyList<JobRequest>>> Within, bool Chain, DateTimeOffset Now);
}
