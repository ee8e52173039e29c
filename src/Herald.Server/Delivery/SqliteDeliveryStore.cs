using System.Text.Json;
using Herald.Server.Events;
using Herald.Server.Idempotency;
using Herald.Server.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Herald.Server.Delivery;

/// <summary>
/// The queue on SQLite. Writes run in <c>BEGIN IMMEDIATE</c> transactions (one writer at a time, no upgrade
/// deadlocks); a claim is one <c>UPDATE ... RETURNING</c>, atomic on its own.
/// </summary>
public sealed class SqliteDeliveryStore(SqliteDatabase database) : IDeliveryStore
{
    private const string JobColumns = "job_id, event_id, org_id, config_id, kind, attempt, reapply_transform, due_at, lease_owner, lease_until, reclaims";

    public async Task<IReadOnlyList<long>> EnqueueAsync(IReadOnlyList<NewDelivery> deliveries, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var ids = await InsertAsync(connection, transaction, deliveries, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ids;
    }

    public async Task<(IReadOnlyList<long>? JobIds, StoredAnswer? Earlier)> EnqueueOnceAsync(
        IReadOnlyList<NewDelivery> deliveries, IdempotencyClaim claim, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        if (await SqliteIdempotencyStore.ClaimAsync(connection, transaction, claim, cancellationToken) is { } earlier)
        {
            await transaction.RollbackAsync(cancellationToken);
            return (null, earlier);
        }
        var ids = await InsertAsync(connection, transaction, deliveries, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (ids, null);
    }

    private static async Task<IReadOnlyList<long>> InsertAsync(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<NewDelivery> deliveries, CancellationToken cancellationToken)
    {
        await using var insertEvent = connection.CreateCommand();
        insertEvent.Transaction = transaction;
        insertEvent.CommandText = """
            INSERT INTO webhook_events (event_id, org_id, config_id, event_name, created_at, status, retry_attempt, http_method, url, metadata, input, payload, original_payload, http_response, start_date, end_date)
            VALUES ($id, $org, $config, $name, $created, $status, $retry, $method, $url, $metadata, $input, $payload, $original, $response, $start, $end)
            """;
        var eventParameters = AddParameters(insertEvent, "$id", "$org", "$config", "$name", "$created", "$status", "$retry", "$method", "$url", "$metadata", "$input", "$payload", "$original", "$response", "$start", "$end");
        await using var insertJob = connection.CreateCommand();
        insertJob.Transaction = transaction;
        insertJob.CommandText = """
            INSERT INTO delivery_jobs (event_id, org_id, config_id, kind, attempt, reapply_transform, due_at, lease_owner, lease_until)
            VALUES ($event, $org, $config, $kind, $attempt, $reapply, $due, $owner, $until)
            RETURNING job_id
            """;
        var jobParameters = AddParameters(insertJob, "$event", "$org", "$config", "$kind", "$attempt", "$reapply", "$due", "$owner", "$until");

        var ids = new long[deliveries.Count];
        for (var i = 0; i < deliveries.Count; i++)
        {
            var (e, job) = deliveries[i];
            Set(eventParameters, e.EventId, e.OrgId, e.ConfigId, e.EventName, SqliteTime.ToText(e.CreatedAt), e.Status, e.RetryAttempt, e.HttpMethod, e.Url,
                e.Metadata, e.Input, e.Payload, e.OriginalPayload, e.HttpResponse, Time(e.StartDate), Time(e.EndDate));
            await insertEvent.ExecuteNonQueryAsync(cancellationToken);
            Set(jobParameters, job.EventId, job.OrgId, job.ConfigId, job.Kind, job.Attempt, job.ReapplyTransform ? 1 : 0, SqliteTime.ToText(job.DueAt), job.LeaseOwner, Time(job.LeaseUntil));
            ids[i] = (long)(await insertJob.ExecuteScalarAsync(cancellationToken))!;
        }
        return ids;
    }

    public async Task<IReadOnlyList<string>> EnqueueReplaysAsync(IReadOnlyList<ReplayJob> replays, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"""
            INSERT INTO delivery_jobs (event_id, org_id, config_id, kind, attempt, reapply_transform, due_at, after_job_id)
            SELECT $event, $org, $config, '{JobKind.Replay}', 0, $reapply, $due, $after
            WHERE EXISTS (SELECT 1 FROM webhook_events WHERE event_id = $event AND org_id = $org AND config_id = $config)
            RETURNING job_id
            """;
        var parameters = AddParameters(insert, "$event", "$org", "$config", "$reapply", "$due", "$after");

        var queued = new List<string>(replays.Count);
        long? previous = null;
        foreach (var replay in replays)
        {
            Set(parameters, replay.EventId, replay.OrgId, replay.ConfigId, replay.ReapplyTransform ? 1 : 0, SqliteTime.ToText(dueAt), previous);
            if (await insert.ExecuteScalarAsync(cancellationToken) is long jobId)
            {
                previous = jobId;
                queued.Add(replay.EventId);
            }
        }
        await transaction.CommitAsync(cancellationToken);
        return queued;
    }

    public async Task<IReadOnlyList<DeliveryJob>> ClaimDueAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            UPDATE delivery_jobs
            SET reclaims = reclaims + (lease_owner IS NOT NULL), lease_owner = $owner, lease_until = $until
            WHERE job_id IN (
                SELECT j.job_id FROM delivery_jobs j
                WHERE j.due_at <= $now AND (j.lease_until IS NULL OR j.lease_until <= $now)
                  AND (j.after_job_id IS NULL OR NOT EXISTS (SELECT 1 FROM delivery_jobs p WHERE p.job_id = j.after_job_id))
                ORDER BY j.due_at, j.job_id
                LIMIT $max)
            RETURNING {JobColumns}
            """;
        command.Parameters.AddWithValue("$owner", owner);
        command.Parameters.AddWithValue("$until", SqliteTime.ToText(leaseUntil));
        command.Parameters.AddWithValue("$now", SqliteTime.ToText(now));
        command.Parameters.AddWithValue("$max", max);
        var jobs = new List<DeliveryJob>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            jobs.Add(ReadJob(reader));
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
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {SqliteEventStore.Columns} FROM webhook_events WHERE event_id IN (SELECT value FROM json_each($ids))";
        command.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(jobs.Select(j => j.EventId)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var stored = SqliteEventStore.Read(reader);
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
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"UPDATE delivery_jobs SET lease_until = $until WHERE lease_owner = $owner AND job_id IN (SELECT value FROM json_each($ids))";
        command.Parameters.AddWithValue("$until", SqliteTime.ToText(leaseUntil));
        command.Parameters.AddWithValue("$owner", owner);
        command.Parameters.AddWithValue("$ids", "[" + string.Join(',', jobIds) + "]");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ReleaseAsync(string owner, IReadOnlyCollection<long> jobIds, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        if (jobIds.Count == 0)
        {
            return;
        }
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE delivery_jobs SET lease_owner = NULL, lease_until = NULL, due_at = $due WHERE lease_owner = $owner AND job_id IN (SELECT value FROM json_each($ids))";
        command.Parameters.AddWithValue("$due", SqliteTime.ToText(dueAt));
        command.Parameters.AddWithValue("$owner", owner);
        command.Parameters.AddWithValue("$ids", "[" + string.Join(',', jobIds) + "]");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<bool>> CompleteAsync(IReadOnlyList<JobCompletion> completions, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using var finish = connection.CreateCommand();
        finish.Transaction = transaction;
        finish.CommandText = "DELETE FROM delivery_jobs WHERE job_id = $job AND lease_owner = $owner";
        var finishParameters = AddParameters(finish, "$job", "$owner");
        await using var reschedule = connection.CreateCommand();
        reschedule.Transaction = transaction;
        reschedule.CommandText = "UPDATE delivery_jobs SET attempt = attempt + 1, due_at = $due, lease_owner = NULL, lease_until = NULL WHERE job_id = $job AND lease_owner = $owner";
        var rescheduleParameters = AddParameters(reschedule, "$job", "$owner", "$due");
        await using var updateEvent = connection.CreateCommand();
        updateEvent.Transaction = transaction;
        updateEvent.CommandText = """
            UPDATE webhook_events
            SET status = $status, retry_attempt = $retry, payload = COALESCE($payload, payload), original_payload = COALESCE($original, original_payload),
                http_response = COALESCE($response, http_response), start_date = COALESCE(start_date, $start), end_date = $end
            WHERE event_id = $id
            """;
        var eventParameters = AddParameters(updateEvent, "$id", "$status", "$retry", "$payload", "$original", "$response", "$start", "$end");
        await using var insertAttempt = connection.CreateCommand();
        insertAttempt.Transaction = transaction;
        insertAttempt.CommandText = """
            INSERT INTO delivery_attempts (event_id, org_id, number, kind, started_at, duration_ms, status_code, code, message, response_excerpt, after_reclaim)
            VALUES ($event, $org, $number, $kind, $started, $duration, $status, $code, $message, $excerpt, $reclaim)
            """;
        var attemptParameters = AddParameters(insertAttempt, "$event", "$org", "$number", "$kind", "$started", "$duration", "$status", "$code", "$message", "$excerpt", "$reclaim");

        var held = new bool[completions.Count];
        for (var i = 0; i < completions.Count; i++)
        {
            var (job, owner, update, attempt, retryAt) = completions[i];
            if (attempt is not null)
            {
                Set(attemptParameters, attempt.EventId, attempt.OrgId, attempt.Number, attempt.Kind, SqliteTime.ToText(attempt.StartedAt), attempt.DurationMs,
                    attempt.StatusCode, attempt.Code, attempt.Message, attempt.ResponseExcerpt, attempt.AfterReclaim ? 1 : 0);
                await insertAttempt.ExecuteNonQueryAsync(cancellationToken);
            }
            if (retryAt is { } due)
            {
                Set(rescheduleParameters, job.JobId, owner, SqliteTime.ToText(due));
                held[i] = await reschedule.ExecuteNonQueryAsync(cancellationToken) == 1;
            }
            else
            {
                Set(finishParameters, job.JobId, owner);
                held[i] = await finish.ExecuteNonQueryAsync(cancellationToken) == 1;
            }
            if (held[i])
            {
                Set(eventParameters, job.EventId, update.Status, update.RetryAttempt, update.Payload, update.OriginalPayload, update.HttpResponse, Time(update.StartDate), Time(update.EndDate));
                await updateEvent.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        await transaction.CommitAsync(cancellationToken);
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
        reader.GetString(4),
        reader.GetInt32(5),
        reader.GetInt64(6) != 0,
        SqliteTime.Parse(reader.GetString(7)),
        reader.IsDBNull(8) ? null : reader.GetString(8),
        reader.IsDBNull(9) ? null : SqliteTime.Parse(reader.GetString(9)),
        reader.GetInt32(10));

    private static string? Time(DateTimeOffset? value) => value is { } v ? SqliteTime.ToText(v) : null;

    private static SqliteParameter[] AddParameters(SqliteCommand command, params string[] names) =>
        names.Select(n => command.Parameters.Add(new SqliteParameter(n, null))).ToArray();

    private static void Set(SqliteParameter[] parameters, params object?[] values)
    {
        for (var i = 0; i < parameters.Length; i++)
        {
            parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }
}
