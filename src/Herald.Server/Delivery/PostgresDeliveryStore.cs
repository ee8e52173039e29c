using Herald.Server.Events;
using Herald.Server.Idempotency;
using Herald.Server.Storage.Postgres;
using Npgsql;
using NpgsqlTypes;

namespace Herald.Server.Delivery;

/// <summary>
/// The queue on PostgreSQL. Claims use <c>FOR UPDATE SKIP LOCKED</c>, so nodes claiming at once take disjoint jobs
/// without waiting for each other; an enqueue of jobs not yet leased sends a <c>NOTIFY</c> that wakes idle workers on other nodes.
/// </summary>
public sealed class PostgresDeliveryStore(PostgresDatabase database, DeliveryOptions? options = null) : IDeliveryStore
{
    // Stores built without options (store tests, benchmarks) take the defaults.
    private readonly int _maxLeaseExpiries = (options ?? new DeliveryOptions()).MaxLeaseExpiries;

    public const string WakeChannel = "herald_jobs";

    private const string JobColumns = "job_id, event_id, org_id, config_id, kind, attempt, reapply_transform, due_at, lease_owner, lease_until, reclaims";

    public async Task<IReadOnlyList<long>> EnqueueAsync(IReadOnlyList<NewDelivery> deliveries, CancellationToken cancellationToken) =>
        (await WriteOnceAsync(deliveries, [], cancellationToken)).JobIds;

    public async Task<(IReadOnlyList<long>? JobIds, StoredAnswer? Earlier)> EnqueueOnceAsync(
        IReadOnlyList<NewDelivery> deliveries, IdempotencyClaim claim, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await PostgresIdempotencyStore.ClaimAsync(connection, transaction, claim, cancellationToken) is { } earlier)
        {
            await transaction.RollbackAsync(cancellationToken);
            return (null, earlier);
        }
        var ids = await InsertAsync(connection, transaction, deliveries, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (ids, null);
    }

    private static async Task<IReadOnlyList<long>> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<NewDelivery> deliveries, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        AddInserts(batch, deliveries);
        return (await ReadAnswersAsync(batch, deliveries.Count, cancellationToken)).JobIds;
    }

    /// <summary>Per delivery its event and its job, the job answering its id: one row per delivery, in order.</summary>
    private static void AddInserts(NpgsqlBatch batch, IReadOnlyList<NewDelivery> deliveries)
    {
        HashSet<string>? sharedWritten = null;
        foreach (var (e, job) in deliveries)
        {
            if (e.Shared is { } shared && (sharedWritten ??= new(StringComparer.Ordinal)).Add(shared.Id))
            {
                // A fan-out's payload, once, before the first of its events.
                batch.BatchCommands.Add(Command("""
                    INSERT INTO event_inputs (input_id, stored_at, body, slots, metadata_start, metadata_end) VALUES ($1, $2, $3, $4, $5, $6)
                    """, shared.Id, e.CreatedAt, shared.Body, shared.SlotsText, shared.MetadataStart, shared.MetadataEnd));
            }
            batch.BatchCommands.Add(Command("""
                INSERT INTO webhook_events (event_id, org_id, config_id, event_name, created_at, status, retry_attempt, http_method, url, metadata, input, payload, original_payload, http_response, start_date, end_date, input_id)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
                """, e.EventId, e.OrgId, e.ConfigId, e.EventName, e.CreatedAt, e.Status.ToContract(), e.RetryAttempt, e.HttpMethod, e.Url, e.Metadata, e.Input, e.Payload,
                e.OriginalPayload, e.HttpResponse, e.StartDate, e.EndDate, e.Shared?.Id));
            batch.BatchCommands.Add(Command("""
                INSERT INTO delivery_jobs (event_id, org_id, config_id, kind, attempt, reapply_transform, due_at, lease_owner, lease_until)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                RETURNING job_id
                """, job.EventId, job.OrgId, job.ConfigId, job.Kind.ToContract(), job.Attempt, job.ReapplyTransform, job.DueAt, job.LeaseOwner, job.LeaseUntil));
        }
        if (deliveries.Any(d => d.Job.LeaseOwner is null))
        {
            // Jobs leased at enqueue run on the node that wrote them; only unleased ones need another node awake.
            batch.BatchCommands.Add(new NpgsqlBatchCommand($"NOTIFY {WakeChannel}"));
        }
    }

    public async Task<IReadOnlyList<string>> EnqueueReplaysAsync(IReadOnlyList<ReplayJob> replays, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var queued = new List<string>(replays.Count);
        long? previous = null;
        // One statement per replay: each job names the one before it, whose id only the previous insert knows.
        foreach (var replay in replays)
        {
            await using var insert = new NpgsqlCommand($"""
                INSERT INTO delivery_jobs (event_id, org_id, config_id, kind, attempt, reapply_transform, due_at, after_job_id)
                SELECT $1, $2, $3, '{JobKind.Replay.ToContract()}', 0, $4, $5, $6
                WHERE EXISTS (SELECT 1 FROM webhook_events WHERE event_id = $1 AND org_id = $2 AND config_id = $3)
                RETURNING job_id
                """, connection, transaction);
            foreach (var value in new object?[] { replay.EventId, replay.OrgId, replay.ConfigId, replay.ReapplyTransform, dueAt })
            {
                insert.Parameters.Add(Parameter(value));
            }
            insert.Parameters.Add(new NpgsqlParameter { Value = (object?)previous ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
            if (await insert.ExecuteScalarAsync(cancellationToken) is long jobId)
            {
                previous = jobId;
                queued.Add(replay.EventId);
            }
        }
        if (queued.Count > 0)
        {
            await using var notify = new NpgsqlCommand($"NOTIFY {WakeChannel}", connection, transaction);
            await notify.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return queued;
    }

    /// <summary>
    /// One statement: the claim counts the expired leases it takes over and leases the jobs whose count stays below
    /// <see cref="DeliveryOptions.MaxLeaseExpiries"/>; the others it deletes, ending their events as failed (see
    /// <see cref="LeaseExpiries"/>).
    /// </summary>
    public async Task<IReadOnlyList<DeliveryJob>> ClaimDueAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand($"""
            WITH due AS (
                SELECT j.job_id, j.reclaims + CASE WHEN j.lease_owner IS NULL THEN 0 ELSE 1 END AS reclaims FROM delivery_jobs j
                WHERE j.due_at <= $2 AND (j.lease_until IS NULL OR j.lease_until <= $2)
                  AND (j.after_job_id IS NULL OR NOT EXISTS (SELECT 1 FROM delivery_jobs p WHERE p.job_id = j.after_job_id))
                ORDER BY j.due_at, j.job_id
                LIMIT $4
                FOR UPDATE SKIP LOCKED),
            claimed AS (
                UPDATE delivery_jobs AS j
                SET reclaims = due.reclaims, lease_owner = $1, lease_until = $3
                FROM due WHERE j.job_id = due.job_id AND due.reclaims < $5
                RETURNING {string.Join(", ", JobColumns.Split(", ").Select(c => "j." + c))}),
            exhausted AS (
                DELETE FROM delivery_jobs AS j USING due WHERE j.job_id = due.job_id AND due.reclaims >= $5
                RETURNING j.event_id, j.kind, j.attempt),
            failed AS (
                UPDATE webhook_events AS e
                SET status = '{EventStatus.Failed.ToContract()}', retry_attempt = CASE WHEN x.kind = '{JobKind.Deliver.ToContract()}' THEN x.attempt ELSE e.retry_attempt END,
                    http_response = $6, start_date = COALESCE(e.start_date, $2), end_date = $2
                FROM exhausted x WHERE e.event_id = x.event_id)
            SELECT {JobColumns} FROM claimed
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = owner });
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        command.Parameters.Add(new NpgsqlParameter { Value = leaseUntil });
        command.Parameters.Add(new NpgsqlParameter { Value = max });
        command.Parameters.Add(new NpgsqlParameter { Value = _maxLeaseExpiries });
        command.Parameters.Add(new NpgsqlParameter { Value = LeaseExpiries.Response(_maxLeaseExpiries), NpgsqlDbType = NpgsqlDbType.Text });
        var jobs = new List<DeliveryJob>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            jobs.Add(new DeliveryJob(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), JobKinds.FromStore(reader.GetString(4)), reader.GetInt32(5),
                reader.GetBoolean(6), reader.GetFieldValue<DateTimeOffset>(7), reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9), reader.GetInt32(10)));
        }
        jobs.Sort((a, b) => a.DueAt != b.DueAt ? a.DueAt.CompareTo(b.DueAt) : a.JobId.CompareTo(b.JobId));
        return jobs;
    }

    public async Task<IReadOnlyDictionary<string, EventRecord>> EventsOfAsync(IReadOnlyList<DeliveryJob> jobs, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, EventRecord>(jobs.Count, StringComparer.Ordinal);
        if (jobs.Count == 0)
        {
            return found;
        }
        await using var command = database.DataSource.CreateCommand($"SELECT {PostgresEventStore.Columns} FROM {PostgresEventStore.From} WHERE event_id = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = jobs.Select(j => j.EventId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var stored = PostgresEventStore.Read(reader);
            found[stored.EventId] = stored;
        }
        return JobInputs.OfTheirOrganizations(jobs, found);
    }

    public async Task RenewAsync(string owner, IReadOnlyCollection<long> jobIds, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        if (jobIds.Count == 0)
        {
            return;
        }
        // Rows a completion is writing right now are skipped, not waited for: the renewal locks many rows in its own
        // order while the completion holds some of them, and waiting would let the two deadlock. A skipped job is
        // either finished by that completion or renewed at the next beat, well within its lease.
        await using var command = database.DataSource.CreateCommand("""
            UPDATE delivery_jobs AS j SET lease_until = $1
            FROM (SELECT job_id FROM delivery_jobs WHERE lease_owner = $2 AND job_id = ANY($3) ORDER BY job_id FOR UPDATE SKIP LOCKED) AS mine
            WHERE j.job_id = mine.job_id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = leaseUntil });
        command.Parameters.Add(new NpgsqlParameter { Value = owner });
        command.Parameters.Add(new NpgsqlParameter { Value = jobIds.ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ReleaseAsync(string owner, IReadOnlyCollection<long> jobIds, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        if (jobIds.Count == 0)
        {
            return;
        }
        // Two statements go as a batch (one implicit transaction): a command with $n parameters may hold only one.
        await using var batch = database.DataSource.CreateBatch();
        batch.BatchCommands.Add(Command(
            "UPDATE delivery_jobs SET lease_owner = NULL, lease_until = NULL, due_at = $1 WHERE lease_owner = $2 AND job_id = ANY($3)",
            dueAt, owner, jobIds.ToArray()));
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"NOTIFY {WakeChannel}"));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<bool>> CompleteAsync(IReadOnlyList<JobCompletion> completions, CancellationToken cancellationToken) =>
        (await WriteAsync([], completions, cancellationToken)).Held;

    public async Task<(IReadOnlyList<long> JobIds, IReadOnlyList<bool> Held)> WriteAsync(
        IReadOnlyList<NewDelivery> deliveries, IReadOnlyList<JobCompletion> completions, CancellationToken cancellationToken)
    {
        // A deadlock victim's transaction is rolled back whole, so running it again writes each row once.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await WriteOnceAsync(deliveries, completions, cancellationToken);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < 3)
            {
            }
        }
    }

    private async Task<(IReadOnlyList<long> JobIds, IReadOnlyList<bool> Held)> WriteOnceAsync(
        IReadOnlyList<NewDelivery> deliveries, IReadOnlyList<JobCompletion> completions, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // One round trip for the whole batch: the new events with their jobs (a row each: the job id), then per
        // completion the attempt row and one statement that changes the job and, only when that job row was still ours,
        // the event, answering how many job rows it changed.
        await using var batch = new NpgsqlBatch(connection, transaction);
        AddInserts(batch, deliveries);
        foreach (var (job, owner, update, attempt, retryAt) in completions)
        {
            if (attempt is not null)
            {
                batch.BatchCommands.Add(Command("""
                    INSERT INTO delivery_attempts (event_id, org_id, number, kind, started_at, duration_ms, status_code, code, message, response_excerpt, after_reclaim)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                    """, attempt.EventId, attempt.OrgId, attempt.Number, attempt.Kind.ToContract(), attempt.StartedAt, attempt.DurationMs, attempt.StatusCode, attempt.Code,
                    attempt.Message, attempt.ResponseExcerpt, attempt.AfterReclaim));
            }
            var jobChange = retryAt is null
                ? "DELETE FROM delivery_jobs WHERE job_id = $1 AND lease_owner = $2 RETURNING job_id"
                : "UPDATE delivery_jobs SET attempt = attempt + 1, due_at = $11, lease_owner = NULL, lease_until = NULL WHERE job_id = $1 AND lease_owner = $2 RETURNING job_id";
            var values = new List<object?> { job.JobId, owner, job.EventId, update.Status.ToContract(), update.RetryAttempt, update.Payload, update.OriginalPayload, update.HttpResponse, update.StartDate, update.EndDate };
            if (retryAt is { } due)
            {
                values.Add(due);
            }
            batch.BatchCommands.Add(Command($"""
                WITH job AS ({jobChange}),
                event AS (
                    UPDATE webhook_events
                    SET status = $4, retry_attempt = $5, payload = COALESCE($6, payload), original_payload = COALESCE($7, original_payload),
                        http_response = COALESCE($8, http_response), start_date = COALESCE(start_date, $9), end_date = $10
                    WHERE event_id = $3 AND EXISTS (SELECT 1 FROM job)
                    RETURNING 1)
                SELECT COUNT(*) FROM job
                """, values.ToArray()));
        }
        if (completions.Any(c => c.Job.Kind == JobKind.Replay && c.RetryAt is null))
        {
            // A finished replay may free the next job of its chain: wake the workers of every node for it.
            batch.BatchCommands.Add(new NpgsqlBatchCommand($"NOTIFY {WakeChannel}"));
        }
        var answers = await ReadAnswersAsync(batch, deliveries.Count, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return answers;
    }

    /// <summary>
    /// Runs the batch and reads its answers, which come in the batch's order: first a job id per new delivery, then a
    /// count per completion (1 when the job row was still ours).
    /// </summary>
    private static async Task<(IReadOnlyList<long> JobIds, IReadOnlyList<bool> Held)> ReadAnswersAsync(NpgsqlBatch batch, int deliveries, CancellationToken cancellationToken)
    {
        var ids = new List<long>(deliveries);
        var held = new List<bool>();
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        do
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                if (ids.Count < deliveries)
                {
                    ids.Add(reader.GetInt64(0));
                }
                else
                {
                    held.Add(reader.GetInt64(0) == 1);
                }
            }
        }
        while (await reader.NextResultAsync(cancellationToken));
        return (ids, held);
    }

    public async Task<(int Pending, int Leased)> CountAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand("SELECT COUNT(*)::int, COUNT(*) FILTER (WHERE lease_until > $1)::int FROM delivery_jobs");
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt32(0), reader.GetInt32(1));
    }

    private static NpgsqlBatchCommand Command(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(Parameter(value));
        }
        return command;
    }

    /// <summary>Positional parameters; nulls are typed from the column, strings as text.</summary>
    private static NpgsqlParameter Parameter(object? value) => value switch
    {
        null => new NpgsqlParameter { Value = DBNull.Value },
        string text => new NpgsqlParameter { Value = text, NpgsqlDbType = NpgsqlDbType.Text },
        _ => new NpgsqlParameter { Value = value },
    };
}
