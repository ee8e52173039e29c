using Herald.Server.Events;
using Herald.Server.Http;
using Herald.Server.Storage;
using Herald.Server.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Herald.Server.Delivery;

/// <summary>
/// The queue on SQLite. Its writes take their turn on the database's one write lane (<see cref="SqliteWriteLane"/>),
/// within the caller's session when they belong with other rows; a claim is one <c>UPDATE ... RETURNING</c>.
/// Reads use pooled connections.
/// </summary>
public sealed class SqliteDeliveryStore(SqliteDatabase database, SqliteWriteLane lane, DeliveryOptions? options = null) : IDeliveryStore
{
    // Stores built without options (store tests, benchmarks) take the defaults.
    private readonly int _maxLeaseExpiries = (options ?? new DeliveryOptions()).MaxLeaseExpiries;

    private const string JobColumns = "job_id, event_id, org_id, config_id, kind, attempt, reapply_transform, due_at, lease_owner, lease_until, reclaims";

    private const string InsertJob = """
        INSERT INTO delivery_jobs (event_id, org_id, config_id, kind, attempt, reapply_transform, due_at, lease_owner, lease_until, after_job_id)
        VALUES ($event, $org, $config, $kind, $attempt, $reapply, $due, $owner, $until, $after)
        RETURNING job_id
        """;

    public async Task<Later<IReadOnlyList<long>>> EnqueueAsync(WriteSession session, IReadOnlyList<DeliveryJob> jobs, bool chain, CancellationToken cancellationToken)
    {
        var insert = session.As<SqliteWriteLane.Session>().Prepare(InsertJob, "$event", "$org", "$config", "$kind", "$attempt", "$reapply", "$due", "$owner", "$until", "$after");
        var ids = new long[jobs.Count];
        long? previous = null;
        for (var i = 0; i < jobs.Count; i++)
        {
            var job = jobs[i];
            insert.Bind(job.EventId.Value, job.OrgId.Value, job.ConfigId.Value, job.Kind.ToContract(), job.Attempt, job.ReapplyTransform ? 1 : 0, SqliteTime.ToText(job.DueAt), job.LeaseOwner,
                Time(job.LeaseUntil), chain ? previous : null);
            ids[i] = (long)(await insert.Command.ExecuteScalarAsync(cancellationToken))!;
            previous = ids[i];
        }
        return Later<IReadOnlyList<long>>.Now(ids);
    }

    /// <summary>
    /// Waiting jobs and expired leases come from indexes of their own (migrations 12 and 13), so that the jobs leased to
    /// this node that runs them, due but not claimable, are never read. Waiting jobs are found by organization: the
    /// organizations with any are walked through their index one step each (a recursive skip over it), at most
    /// <see cref="ClaimRoom.WalkSteps"/> of them from <see cref="ClaimRoom.WalkAfter"/> on (<see cref="ClaimRoom"/>), each gives its
    /// oldest due jobs up to what <paramref name="room"/> leaves it, and they are taken in turn (each organization's
    /// first before anyone's second, <see cref="ClaimRoom.InTurn"/>) or the oldest due first; expired leases come first.
    /// The claim counts the expired leases it takes over, then removes the jobs whose count reached
    /// <see cref="DeliveryOptions.MaxLeaseExpiries"/> (see <see cref="LeaseExpiries"/>) and leases only the others.
    /// </summary>
    public async Task<ClaimedJobs> ClaimDueAsync(WriteSession session, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, ClaimRoom room, CancellationToken cancellationToken)
    {
        var lane = session.As<SqliteWriteLane.Session>();
        var walk = await WalkAsync(lane, room, now, cancellationToken);
        var claim = lane.Prepare($"""
            UPDATE delivery_jobs
            SET reclaims = reclaims + (lease_owner IS NOT NULL), lease_owner = $owner, lease_until = $until
            WHERE job_id IN (
                SELECT job_id FROM (
                    SELECT job_id, due_at, rank FROM (
                        WITH orgs(org_id) AS (SELECT value FROM json_each($orgs))
                        SELECT j.job_id, j.due_at,
                               ROW_NUMBER() OVER (PARTITION BY j.org_id ORDER BY j.due_at, j.job_id)
                                 + COALESCE((SELECT h.value FROM json_each($held) h WHERE h.key = j.org_id), 0) AS rank
                        FROM orgs, delivery_jobs j
                        WHERE j.job_id IN (
                            SELECT w.job_id FROM delivery_jobs w
                            WHERE w.org_id = orgs.org_id AND w.lease_until IS NULL AND w.due_at <= $now
                              AND (w.after_job_id IS NULL OR NOT EXISTS (SELECT 1 FROM delivery_jobs p WHERE p.job_id = w.after_job_id))
                            ORDER BY w.due_at, w.job_id
                            LIMIT $perOrg))
                    WHERE rank <= $perOrg
                    UNION ALL
                    SELECT * FROM (
                        SELECT j.job_id, j.due_at, 0 AS rank FROM delivery_jobs j
                        WHERE j.lease_until <= $now AND j.due_at <= $now
                          AND (j.after_job_id IS NULL OR NOT EXISTS (SELECT 1 FROM delivery_jobs p WHERE p.job_id = j.after_job_id))
                        ORDER BY j.due_at, j.job_id
                        LIMIT $max))
                ORDER BY CASE WHEN $inTurn THEN rank ELSE 0 END, due_at, job_id
                LIMIT $max)
            RETURNING {JobColumns}
            """, "$owner", "$until", "$now", "$max", "$perOrg", "$held", "$inTurn", "$orgs");
        claim.Bind(owner, SqliteTime.ToText(leaseUntil), SqliteTime.ToText(now), room.Max, room.PerOrganizationRead, HeldJson(room), room.InTurn ? 1 : 0, walk.Json);
        var jobs = new List<DeliveryJob>();
        await using (var reader = await claim.Command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                jobs.Add(ReadJob(reader));
            }
        }
        jobs.Sort((x, y) => x.DueAt != y.DueAt ? x.DueAt.CompareTo(y.DueAt) : x.JobId.CompareTo(y.JobId));
        var givenUp = jobs.FindAll(j => LeaseExpiries.Exhausted(j.Reclaims, _maxLeaseExpiries));
        if (givenUp.Count > 0)
        {
            var remove = lane.Prepare("DELETE FROM delivery_jobs WHERE job_id = $job", "$job");
            foreach (var job in givenUp)
            {
                await remove.Bind(job.JobId).Command.ExecuteNonQueryAsync(cancellationToken);
            }
            jobs.RemoveAll(j => LeaseExpiries.Exhausted(j.Reclaims, _maxLeaseExpiries));
        }
        return new ClaimedJobs { Leased = jobs, GivenUp = givenUp, Walk = walk.Walk };
    }

    private static readonly string WalkSql = $"""
        WITH RECURSIVE
        {OrganizationWalkSql.Ctes(after: "$after", until: "$until", steps: "$steps", now: "$now")}
        SELECT org_id FROM orgs ORDER BY step
        """;

    /// <summary>The organizations <see cref="OrganizationWalkSql"/> visits, in order, as a JSON array for the claim, and how far it went.</summary>
    private static async Task<(string Json, OrganizationWalk Walk)> WalkAsync(SqliteWriteLane.Session lane, ClaimRoom room, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var walk = lane.Prepare(WalkSql, "$after", "$until", "$steps", "$now");
        walk.Bind(room.WalkAfter, room.WalkUntil, room.WalkSteps, SqliteTime.ToText(now));
        var orgs = new List<string>();
        await using (var reader = await walk.Command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                orgs.Add(reader.GetString(0));
            }
        }
        return (System.Text.Json.JsonSerializer.Serialize(orgs), new OrganizationWalk(orgs.Count, orgs.Count > 0 ? orgs[^1] : null));
    }

    /// <summary>The jobs the claimer holds per organization, as a JSON object for <c>json_each</c>.</summary>
    private static string HeldJson(ClaimRoom room) =>
        System.Text.Json.JsonSerializer.Serialize(room.Held.ToDictionary(held => held.Key.Value, held => held.Value));

    public Task RenewAsync(string owner, IReadOnlyCollection<long> jobIds, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        jobIds.Count == 0 ? Task.CompletedTask : lane.RunAsync(session => session
            .Prepare("UPDATE delivery_jobs SET lease_until = $until WHERE lease_owner = $owner AND job_id IN (SELECT value FROM json_each($ids))", "$until", "$owner", "$ids")
            .Bind(SqliteTime.ToText(leaseUntil), owner, "[" + string.Join(',', jobIds) + "]")
            .Command.ExecuteNonQueryAsync(cancellationToken), cancellationToken);

    public Task ReleaseAsync(string owner, IReadOnlyCollection<long> jobIds, DateTimeOffset dueAt, CancellationToken cancellationToken) =>
        jobIds.Count == 0 ? Task.CompletedTask : lane.RunAsync(session => session
            .Prepare("UPDATE delivery_jobs SET lease_owner = NULL, lease_until = NULL, due_at = $due WHERE lease_owner = $owner AND job_id IN (SELECT value FROM json_each($ids))", "$due", "$owner", "$ids")
            .Bind(SqliteTime.ToText(dueAt), owner, "[" + string.Join(',', jobIds) + "]")
            .Command.ExecuteNonQueryAsync(cancellationToken), cancellationToken);

    /// <summary>SQLite answers at once, so this is <see cref="CompleteAsync"/> failing when a lease was lost.</summary>
    public async Task CompleteHeldAsync(WriteSession session, IReadOnlyList<JobCompletion> completions, CancellationToken cancellationToken)
    {
        var held = await CompleteAsync(session, completions, cancellationToken);
        if (held.Any(h => !h))
        {
            throw new LeaseLostException();
        }
    }

    public bool IsLeaseLost(Exception error) => error is LeaseLostException;

    public async Task<IReadOnlyList<bool>> CompleteAsync(WriteSession session, IReadOnlyList<JobCompletion> completions, CancellationToken cancellationToken)
    {
        var lane = session.As<SqliteWriteLane.Session>();
        var finish = lane.Prepare("DELETE FROM delivery_jobs WHERE job_id = $job AND lease_owner = $owner", "$job", "$owner");
        var reschedule = lane.Prepare(
            "UPDATE delivery_jobs SET attempt = attempt + 1, due_at = $due, lease_owner = NULL, lease_until = NULL WHERE job_id = $job AND lease_owner = $owner",
            "$job", "$owner", "$due");
        var held = new bool[completions.Count];
        for (var i = 0; i < completions.Count; i++)
        {
            var completion = completions[i];
            held[i] = completion.RetryAt is { } due
                ? await reschedule.Bind(completion.Job.JobId, completion.Owner, SqliteTime.ToText(due)).Command.ExecuteNonQueryAsync(cancellationToken) == 1
                : await finish.Bind(completion.Job.JobId, completion.Owner).Command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }
        return held;
    }

    public async Task<bool> HasJobAsync(WebhookEventId eventId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM delivery_jobs WHERE event_id = $event)";
        command.Parameters.AddWithValue("$event", eventId.Value);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) != 0;
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

    private static DeliveryJob ReadJob(SqliteDataReader reader) => new()
    {
        JobId = reader.GetInt64(0),
        EventId = WebhookEventId.From(reader.GetString(1)),
        OrgId = OrganizationId.From(reader.GetString(2)),
        ConfigId = ConfigId.From(reader.GetString(3)),
        Kind = JobKinds.FromStore(reader.GetString(4)),
        Attempt = reader.GetInt32(5),
        ReapplyTransform = reader.GetInt64(6) != 0,
        DueAt = SqliteTime.Parse(reader.GetString(7)),
        LeaseOwner = reader.IsDBNull(8) ? null : reader.GetString(8),
        LeaseUntil = reader.IsDBNull(9) ? null : SqliteTime.Parse(reader.GetString(9)),
        Reclaims = reader.GetInt32(10),
    };

    private static string? Time(DateTimeOffset? value) => value is { } v ? SqliteTime.ToText(v) : null;
}
