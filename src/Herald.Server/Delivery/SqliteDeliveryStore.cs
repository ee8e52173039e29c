using System.Text.Json;
using Herald.Server.Events;
using Herald.Server.Idempotency;
using Herald.Server.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Herald.Server.Delivery;

/// <summary>
/// The queue on SQLite. Every write takes its turn on one held connection (<see cref="SqliteWriteLane"/>), in a
/// <c>BEGIN IMMEDIATE</c> transaction when it has several statements; a claim is one <c>UPDATE ... RETURNING</c>,
/// atomic on its own. Reads use pooled connections.
/// </summary>
public sealed class SqliteDeliveryStore(SqliteDatabase database, DeliveryOptions? options = null) : IDeliveryStore, IAsyncDisposable
{
    // Stores built without options (store tests, benchmarks) take the defaults.
    private readonly int _maxLeaseExpiries = (options ?? new DeliveryOptions()).MaxLeaseExpiries;

    private const string JobColumns = "job_id, event_id, org_id, config_id, kind, attempt, reapply_transform, due_at, lease_owner, lease_until, reclaims";

    private const string InsertEvent = """
        INSERT INTO webhook_events (event_id, org_id, config_id, event_name, created_at, status, retry_attempt, http_method, url, metadata, input, payload, original_payload, http_response, start_date, end_date, input_id)
        VALUES ($id, $org, $config, $name, $created, $status, $retry, $method, $url, $metadata, $input, $payload, $original, $response, $start, $end, $input_id)
        """;

    private const string InsertSharedInput = """
        INSERT INTO event_inputs (input_id, stored_at, body, slots, metadata_start, metadata_end)
        VALUES ($id, $stored, $body, $slots, $start, $end)
        """;

    private const string InsertJob = """
        INSERT INTO delivery_jobs (event_id, org_id, config_id, kind, attempt, reapply_transform, due_at, lease_owner, lease_until)
        VALUES ($event, $org, $config, $kind, $attempt, $reapply, $due, $owner, $until)
        RETURNING job_id
        """;

    // The queue's writes (enqueues, replays, claims, completions, renewals, releases) take turns on one held connection.
    private readonly SqliteWriteLane _lane = new(database);

    public Task<IReadOnlyList<long>> EnqueueAsync(IReadOnlyList<NewDelivery> deliveries, CancellationToken cancellationToken) =>
        _lane.WriteAsync(session => InsertAsync(session, deliveries, cancellationToken), cancellationToken);

    public Task<(IReadOnlyList<long>? JobIds, StoredAnswer? Earlier)> EnqueueOnceAsync(
        IReadOnlyList<NewDelivery> deliveries, IdempotencyClaim claim, CancellationToken cancellationToken) =>
        _lane.WriteAsync<(IReadOnlyList<long>?, StoredAnswer?)>(async session =>
        {
            if (await SqliteIdempotencyStore.ClaimAsync(session.Connection, session.Transaction!, claim, cancellationToken) is { } earlier)
            {
                // Nothing was written; committing the empty transaction costs as little as rolling it back.
                return (null, earlier);
            }
            return (await InsertAsync(session, deliveries, cancellationToken), null);
        }, cancellationToken);

    private static async Task<IReadOnlyList<long>> InsertAsync(SqliteWriteLane.Session session, IReadOnlyList<NewDelivery> deliveries, CancellationToken cancellationToken)
    {
        var insertEvent = session.Prepare(InsertEvent, "$id", "$org", "$config", "$name", "$created", "$status", "$retry", "$method", "$url", "$metadata", "$input", "$payload", "$original", "$response", "$start", "$end", "$input_id");
        var insertJob = session.Prepare(InsertJob, "$event", "$org", "$config", "$kind", "$attempt", "$reapply", "$due", "$owner", "$until");
        var ids = new long[deliveries.Count];
        HashSet<string>? sharedWritten = null;
        for (var i = 0; i < deliveries.Count; i++)
        {
            var (e, job) = deliveries[i];
            if (e.Shared is { } shared && (sharedWritten ??= new(StringComparer.Ordinal)).Add(shared.Id))
            {
                // A fan-out's payload, once, before the first of its events.
                await session.Prepare(InsertSharedInput, "$id", "$stored", "$body", "$slots", "$start", "$end")
                    .Bind(shared.Id, SqliteTime.ToText(e.CreatedAt), shared.Body, shared.SlotsText, shared.MetadataStart, shared.MetadataEnd)
                    .Command.ExecuteNonQueryAsync(cancellationToken);
            }
            insertEvent.Bind(e.EventId, e.OrgId, e.ConfigId, e.EventName, SqliteTime.ToText(e.CreatedAt), e.Status.ToContract(), e.RetryAttempt, e.HttpMethod, e.Url,
                e.Metadata, e.Input, e.Payload, e.OriginalPayload, e.HttpResponse, Time(e.StartDate), Time(e.EndDate), e.Shared?.Id);
            await insertEvent.Command.ExecuteNonQueryAsync(cancellationToken);
            insertJob.Bind(job.EventId, job.OrgId, job.ConfigId, job.Kind.ToContract(), job.Attempt, job.ReapplyTransform ? 1 : 0, SqliteTime.ToText(job.DueAt), job.LeaseOwner, Time(job.LeaseUntil));
            ids[i] = (long)(await insertJob.Command.ExecuteScalarAsync(cancellationToken))!;
        }
        return ids;
    }

    public Task<IReadOnlyList<string>> EnqueueReplaysAsync(IReadOnlyList<ReplayJob> replays, DateTimeOffset dueAt, CancellationToken cancellationToken) =>
        _lane.WriteAsync<IReadOnlyList<string>>(async session =>
        {
            var insert = session.Prepare($"""
                INSERT INTO delivery_jobs (event_id, org_id, config_id, kind, attempt, reapply_transform, due_at, after_job_id)
                SELECT $event, $org, $config, '{JobKind.Replay.ToContract()}', 0, $reapply, $due, $after
                WHERE EXISTS (SELECT 1 FROM webhook_events WHERE event_id = $event AND org_id = $org AND config_id = $config)
                RETURNING job_id
                """, "$event", "$org", "$config", "$reapply", "$due", "$after");
            var queued = new List<string>(replays.Count);
            long? previous = null;
            foreach (var replay in replays)
            {
                insert.Bind(replay.EventId, replay.OrgId, replay.ConfigId, replay.ReapplyTransform ? 1 : 0, SqliteTime.ToText(dueAt), previous);
                if (await insert.Command.ExecuteScalarAsync(cancellationToken) is long jobId)
                {
                    previous = jobId;
                    queued.Add(replay.EventId);
                }
            }
            return queued;
        }, cancellationToken);

    /// <summary>
    /// One transaction: the claim counts the expired leases it takes over, then finishes the jobs whose count reached
    /// <see cref="DeliveryOptions.MaxLeaseExpiries"/> (see <see cref="LeaseExpiries"/>) and returns only the others.
    /// </summary>
    public Task<IReadOnlyList<DeliveryJob>> ClaimDueAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken) =>
        _lane.WriteAsync<IReadOnlyList<DeliveryJob>>(async session =>
        {
            var claim = session.Prepare($"""
                UPDATE delivery_jobs
                SET reclaims = reclaims + (lease_owner IS NOT NULL), lease_owner = $owner, lease_until = $until
                WHERE job_id IN (
                    SELECT j.job_id FROM delivery_jobs j
                    WHERE j.due_at <= $now AND (j.lease_until IS NULL OR j.lease_until <= $now)
                      AND (j.after_job_id IS NULL OR NOT EXISTS (SELECT 1 FROM delivery_jobs p WHERE p.job_id = j.after_job_id))
                    ORDER BY j.due_at, j.job_id
                    LIMIT $max)
                RETURNING {JobColumns}
                """, "$owner", "$until", "$now", "$max");
            claim.Bind(owner, SqliteTime.ToText(leaseUntil), SqliteTime.ToText(now), max);
            var jobs = new List<DeliveryJob>();
            await using (var reader = await claim.Command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    jobs.Add(ReadJob(reader));
                }
            }
            jobs.Sort((x, y) => x.DueAt != y.DueAt ? x.DueAt.CompareTo(y.DueAt) : x.JobId.CompareTo(y.JobId));
            if (jobs.Exists(j => LeaseExpiries.Exhausted(j.Reclaims, _maxLeaseExpiries)))
            {
                await GiveUpAsync(session, jobs.FindAll(j => LeaseExpiries.Exhausted(j.Reclaims, _maxLeaseExpiries)), now, cancellationToken);
                jobs.RemoveAll(j => LeaseExpiries.Exhausted(j.Reclaims, _maxLeaseExpiries));
            }
            return jobs;
        }, cancellationToken);

    /// <summary>Removes the jobs and ends their events as failed, within the claim's transaction.</summary>
    private async Task GiveUpAsync(SqliteWriteLane.Session session, IReadOnlyList<DeliveryJob> exhausted, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var remove = session.Prepare("DELETE FROM delivery_jobs WHERE job_id = $job", "$job");
        var fail = session.Prepare($"""
            UPDATE webhook_events
            SET status = '{EventStatus.Failed.ToContract()}', retry_attempt = CASE WHEN $kind = '{JobKind.Deliver.ToContract()}' THEN $attempt ELSE retry_attempt END,
                http_response = $response, start_date = COALESCE(start_date, $now), end_date = $now
            WHERE event_id = $event
            """, "$event", "$kind", "$attempt", "$response", "$now");
        foreach (var job in exhausted)
        {
            await remove.Bind(job.JobId).Command.ExecuteNonQueryAsync(cancellationToken);
            await fail.Bind(job.EventId, job.Kind.ToContract(), job.Attempt, LeaseExpiries.Response(_maxLeaseExpiries), SqliteTime.ToText(now)).Command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public async Task<IReadOnlyDictionary<string, EventRecord>> EventsOfAsync(IReadOnlyList<DeliveryJob> jobs, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, EventRecord>(jobs.Count, StringComparer.Ordinal);
        if (jobs.Count == 0)
        {
            return found;
        }
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {SqliteEventStore.Columns} FROM {SqliteEventStore.From} WHERE event_id IN (SELECT value FROM json_each($ids))";
        command.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(jobs.Select(j => j.EventId)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var stored = SqliteEventStore.Read(reader);
            found[stored.EventId] = stored;
        }
        return JobInputs.OfTheirOrganizations(jobs, found);
    }

    public Task RenewAsync(string owner, IReadOnlyCollection<long> jobIds, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        jobIds.Count == 0 ? Task.CompletedTask : _lane.RunAsync(session => session
            .Prepare("UPDATE delivery_jobs SET lease_until = $until WHERE lease_owner = $owner AND job_id IN (SELECT value FROM json_each($ids))", "$until", "$owner", "$ids")
            .Bind(SqliteTime.ToText(leaseUntil), owner, "[" + string.Join(',', jobIds) + "]")
            .Command.ExecuteNonQueryAsync(cancellationToken), cancellationToken);

    public Task ReleaseAsync(string owner, IReadOnlyCollection<long> jobIds, DateTimeOffset dueAt, CancellationToken cancellationToken) =>
        jobIds.Count == 0 ? Task.CompletedTask : _lane.RunAsync(session => session
            .Prepare("UPDATE delivery_jobs SET lease_owner = NULL, lease_until = NULL, due_at = $due WHERE lease_owner = $owner AND job_id IN (SELECT value FROM json_each($ids))", "$due", "$owner", "$ids")
            .Bind(SqliteTime.ToText(dueAt), owner, "[" + string.Join(',', jobIds) + "]")
            .Command.ExecuteNonQueryAsync(cancellationToken), cancellationToken);

    public Task<IReadOnlyList<bool>> CompleteAsync(IReadOnlyList<JobCompletion> completions, CancellationToken cancellationToken) =>
        _lane.WriteAsync(session => CompleteAsync(session, completions, cancellationToken), cancellationToken);

    public Task<(IReadOnlyList<long> JobIds, IReadOnlyList<bool> Held)> WriteAsync(
        IReadOnlyList<NewDelivery> deliveries, IReadOnlyList<JobCompletion> completions, CancellationToken cancellationToken) =>
        _lane.WriteAsync<(IReadOnlyList<long>, IReadOnlyList<bool>)>(async session =>
            (await InsertAsync(session, deliveries, cancellationToken), await CompleteAsync(session, completions, cancellationToken)), cancellationToken);

    private static async Task<IReadOnlyList<bool>> CompleteAsync(SqliteWriteLane.Session session, IReadOnlyList<JobCompletion> completions, CancellationToken cancellationToken)
    {
        var finish = session.Prepare("DELETE FROM delivery_jobs WHERE job_id = $job AND lease_owner = $owner", "$job", "$owner");
        var reschedule = session.Prepare(
            "UPDATE delivery_jobs SET attempt = attempt + 1, due_at = $due, lease_owner = NULL, lease_until = NULL WHERE job_id = $job AND lease_owner = $owner",
            "$job", "$owner", "$due");
        var updateEvent = session.Prepare("""
            UPDATE webhook_events
            SET status = $status, retry_attempt = $retry, payload = COALESCE($payload, payload), original_payload = COALESCE($original, original_payload),
                http_response = COALESCE($response, http_response), start_date = COALESCE(start_date, $start), end_date = $end
            WHERE event_id = $id
            """, "$id", "$status", "$retry", "$payload", "$original", "$response", "$start", "$end");
        var insertAttempt = session.Prepare("""
            INSERT INTO delivery_attempts (event_id, org_id, number, kind, started_at, duration_ms, status_code, code, message, response_excerpt, after_reclaim)
            VALUES ($event, $org, $number, $kind, $started, $duration, $status, $code, $message, $excerpt, $reclaim)
            """, "$event", "$org", "$number", "$kind", "$started", "$duration", "$status", "$code", "$message", "$excerpt", "$reclaim");

        var held = new bool[completions.Count];
        for (var i = 0; i < completions.Count; i++)
        {
            var (job, owner, update, attempt, retryAt) = completions[i];
            if (attempt is not null)
            {
                await insertAttempt.Bind(attempt.EventId, attempt.OrgId, attempt.Number, attempt.Kind.ToContract(), SqliteTime.ToText(attempt.StartedAt), attempt.DurationMs,
                    attempt.StatusCode, attempt.Code, attempt.Message, attempt.ResponseExcerpt, attempt.AfterReclaim ? 1 : 0).Command.ExecuteNonQueryAsync(cancellationToken);
            }
            held[i] = retryAt is { } due
                ? await reschedule.Bind(job.JobId, owner, SqliteTime.ToText(due)).Command.ExecuteNonQueryAsync(cancellationToken) == 1
                : await finish.Bind(job.JobId, owner).Command.ExecuteNonQueryAsync(cancellationToken) == 1;
            if (held[i])
            {
                await updateEvent.Bind(job.EventId, update.Status.ToContract(), update.RetryAttempt, update.Payload, update.OriginalPayload, update.HttpResponse,
                    Time(update.StartDate), Time(update.EndDate)).Command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        return held;
    }

    public async Task<(int Pending, int Leased)> CountAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*), COALESCE(SUM(lease_until > $now), 0) FROM delivery_jobs";
        command.Parameters.AddWithValue("$now", SqliteTime.ToText(now));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt32(0), reader.GetInt32(1));
    }

    private static DeliveryJob ReadJob(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        JobKinds.FromStore(reader.GetString(4)),
        reader.GetInt32(5),
        reader.GetInt64(6) != 0,
        SqliteTime.Parse(reader.GetString(7)),
        reader.IsDBNull(8) ? null : reader.GetString(8),
        reader.IsDBNull(9) ? null : SqliteTime.Parse(reader.GetString(9)),
        reader.GetInt32(10));

    public ValueTask DisposeAsync() => _lane.DisposeAsync();

    private static string? Time(DateTimeOffset? value) => value is { } v ? SqliteTime.ToText(v) : null;
}
