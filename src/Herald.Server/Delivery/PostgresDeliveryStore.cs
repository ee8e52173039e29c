using Herald.Server.Events;
using Herald.Server.Http;
using Herald.Server.Storage;
using Herald.Server.Storage.Postgres;
using Npgsql;
using NpgsqlTypes;

namespace Herald.Server.Delivery;

/// <summary>
/// The queue on PostgreSQL. Claims use <c>FOR UPDATE SKIP LOCKED</c>, so nodes claiming at once take disjoint jobs
/// without waiting for each other; an enqueue of jobs not yet leased sends a <c>NOTIFY</c> that wakes idle workers on
/// other nodes. Writes within a session go to the server together with the other features' statements of that session.
/// </summary>
public sealed class PostgresDeliveryStore(PostgresDatabase database, DeliveryOptions? options = null) : IDeliveryStore
{
    // Stores built without options (store tests, benchmarks) take the defaults.
    private readonly int _maxLeaseExpiries = (options ?? new DeliveryOptions()).MaxLeaseExpiries;

    public const string WakeChannel = "herald_jobs";

    private const string JobColumns = "job_id, event_id, org_id, config_id, kind, attempt, reapply_transform, due_at, lease_owner, lease_until, reclaims";

    private static readonly string Prefixed = string.Join(", ", JobColumns.Split(", ").Select(c => "j." + c));

    /// <summary>
    /// The claim ($1 owner, $2 now, $3 lease until, $4 most jobs, $5 most lease expiries). The update and the delete
    /// find the chosen jobs through the key (<c>job_id = ANY</c> of them): joined with the chosen set alone, the planner
    /// may hash it and read the whole table, every leased job and every dead version, at each claim. A chained job's
    /// predecessor is looked up as a value for the same reason: as <c>NOT EXISTS</c> under an <c>OR</c>, the planner may
    /// hash the whole table to answer it.
    /// </summary>
    internal static readonly string ClaimSql = $"""
        WITH RECURSIVE
        {OrganizationWalkSql.Ctes(after: "$10::text", until: "$11::text", steps: "$12", now: "$2")},
        heads AS (
            SELECT h.job_id, h.due_at, h.reclaims,
                   row_number() OVER (PARTITION BY h.org_id ORDER BY h.due_at, h.job_id) + COALESCE(held.n, 0) AS rank
            FROM orgs CROSS JOIN LATERAL (
                SELECT j.job_id, j.org_id, j.due_at, j.reclaims + CASE WHEN j.lease_owner IS NULL THEN 0 ELSE 1 END AS reclaims FROM delivery_jobs j
                WHERE j.org_id = orgs.org_id AND j.lease_until IS NULL AND j.due_at <= $2
                  AND (j.after_job_id IS NULL OR (SELECT p.job_id FROM delivery_jobs p WHERE p.job_id = j.after_job_id) IS NULL)
                ORDER BY j.due_at, j.job_id
                LIMIT $6
                FOR UPDATE SKIP LOCKED) AS h
            LEFT JOIN unnest($7::text[], $8::integer[]) AS held(org_id, n) ON held.org_id = h.org_id),
        waiting AS (
            SELECT job_id, due_at, reclaims FROM heads
            WHERE rank <= $6
            ORDER BY CASE WHEN $9 THEN rank ELSE 0 END, due_at, job_id
            LIMIT $4),
        expired AS (
            SELECT j.job_id, j.due_at, j.reclaims + CASE WHEN j.lease_owner IS NULL THEN 0 ELSE 1 END AS reclaims FROM delivery_jobs j
            WHERE j.lease_until <= $2 AND j.due_at <= $2
              AND (j.after_job_id IS NULL OR (SELECT p.job_id FROM delivery_jobs p WHERE p.job_id = j.after_job_id) IS NULL)
            ORDER BY j.due_at, j.job_id
            LIMIT $4
            FOR UPDATE SKIP LOCKED),
        due AS (
            SELECT job_id, reclaims FROM (SELECT * FROM waiting UNION ALL SELECT * FROM expired) AS d
            ORDER BY due_at, job_id
            LIMIT $4),
        claimed AS (
            UPDATE delivery_jobs AS j
            SET reclaims = due.reclaims, lease_owner = $1, lease_until = $3
            FROM due WHERE j.job_id = ANY(ARRAY(SELECT job_id FROM due)) AND j.job_id = due.job_id AND due.reclaims < $5
            RETURNING {Prefixed}),
        exhausted AS (
            DELETE FROM delivery_jobs AS j USING due WHERE j.job_id = ANY(ARRAY(SELECT job_id FROM due)) AND j.job_id = due.job_id AND due.reclaims >= $5
            RETURNING {Prefixed})
        SELECT {JobColumns}, false FROM claimed
        UNION ALL
        SELECT {JobColumns}, true FROM exhausted
        UNION ALL
        SELECT NULL, NULL, (SELECT org_id FROM orgs ORDER BY step DESC LIMIT 1), NULL, NULL, (SELECT count(*) FROM orgs)::integer, NULL, NULL, NULL, NULL, NULL, NULL
        """;

    /// <summary>
    /// Sent first, in the same round trip, by every transaction that finds jobs by key or through the queue's indexes
    /// (claim, finish, retry, renewal, release): its statements read indexes entry by entry, never the whole table and
    /// never as a bitmap, and are not compiled.
    /// <list type="bullet">
    /// <item>Every claimed job leaves a dead entry behind in the waiting index (its lease moved it to the other), and
    /// every finished one in the leased index. An index scan that meets an entry whose row is dead to everyone marks it,
    /// and later scans step over it without reading the table; a bitmap scan marks nothing and reads the table for every
    /// entry, so until a vacuum each claim, even one that finds nothing, read every job claimed since the last (25,000
    /// entries and 3 to 25 ms a claim in a 20,000-delivery benchmark, half the server's time). An index scan also stops
    /// at the claim's limit, in due order, without sorting.</item>
    /// <item>The server keeps one plan for a statement it has run five times, made for the table as it was then. Made
    /// while the queue was nearly empty, the finish's plan read the whole table for each job, every dead version of
    /// the jobs finished before it included (240 pages and 0.5 ms for one job after a few thousand deliveries), until
    /// a vacuum. Made with these settings, every plan finds its rows through an index, however large the table grew.</item>
    /// <item>No compilation by the server's JIT. The claim's estimate for the expired leases grows with the jobs leased
    /// to the nodes: 100,000 with a few thousand leased in the three-node benchmark, past <c>jit_above_cost</c>. Each
    /// claim was then compiled before it ran (67 functions), 50 to 200 ms of the server's CPU for a claim that reads a
    /// few pages; the claims of idle workers cost the server about 0.12 ms per delivery, a third of its CPU. Set for
    /// the transaction, not at connection start, so that it works through a connection pooler too.</item>
    /// </list>
    /// </summary>
    internal static readonly string[] QueueSettings = ["SET LOCAL enable_bitmapscan = off", "SET LOCAL enable_seqscan = off", "SET LOCAL jit = off"];

    /// <summary>
    /// The completions of a batch: finished jobs ($1 ids, $2 owners) are deleted and jobs to retry ($3 ids, $4 owners,
    /// $5 due times) set free, each only while its owner still holds its lease, found through the key. Followed by what
    /// the statement answers (<see cref="CompleteSql"/>, <see cref="CompleteHeldSql"/>).
    /// </summary>
    private const string CompletionsSql = """
        WITH finished AS (
            DELETE FROM delivery_jobs AS j USING unnest($1::bigint[], $2::text[]) AS c(job_id, owner)
            WHERE j.job_id = ANY($1) AND j.job_id = c.job_id AND j.lease_owner = c.owner RETURNING j.job_id
        ), retried AS (
            UPDATE delivery_jobs AS j SET attempt = j.attempt + 1, due_at = c.due_at, lease_owner = NULL, lease_until = NULL
            FROM unnest($3::bigint[], $4::text[], $5::timestamptz[]) AS c(job_id, owner, due_at)
            WHERE j.job_id = ANY($3) AND j.job_id = c.job_id AND j.lease_owner = c.owner RETURNING j.job_id
        )

        """;

    /// <summary><see cref="CompletionsSql"/> answering the ids of the jobs it changed.</summary>
    internal const string CompleteSql = CompletionsSql + "SELECT job_id FROM finished UNION ALL SELECT job_id FROM retried";

    /// <summary>SQLSTATE of <see cref="CompleteHeldSql"/> when a lease was lost: the transaction fails and writes nothing.</summary>
    public const string LeaseLostState = "HR002";

    /// <summary>
    /// <see cref="CompletionsSql"/> answering nothing and failing with <see cref="LeaseLostState"/> unless it changed
    /// every job, so that it can go with the commit.
    /// </summary>
    internal const string CompleteHeldSql = CompletionsSql + """
        SELECT FROM (
            SELECT herald_fail('HR002', 'the lease of a job whose outcome was being written had been lost; the outcome is written again, the job left to its new owner')
            WHERE (SELECT count(*) FROM finished) + (SELECT count(*) FROM retried) < cardinality($1) + cardinality($3)
        ) AS lost
        """;

    /// <summary>
    /// Jobs not chained go in one statement, their values in arrays; their ids are drawn in the arrays' order, so the
    /// ids answered, in ascending order, are the jobs' in order. Each job of a chain names the one before it, whose id
    /// only the previous insert knows: one statement and round trip each. Jobs not chained wait for the session's next
    /// round trip, so that a trigger's event and job go to the server with its commit.
    /// </summary>
    public async Task<Later<IReadOnlyList<long>>> EnqueueAsync(WriteSession session, IReadOnlyList<DeliveryJob> jobs, bool chain, CancellationToken cancellationToken)
    {
        var pg = session.As<PostgresWriteSession>();
        var ids = new List<long>(jobs.Count);
        if (chain)
        {
            long? previous = null;
            foreach (var job in jobs)
            {
                var insert = PostgresWriteSession.Command("""
                    INSERT INTO delivery_jobs (event_id, org_id, config_id, kind, attempt, reapply_transform, due_at, lease_owner, lease_until, after_job_id)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                    RETURNING job_id
                    """, [job.EventId.Value, job.OrgId.Value, job.ConfigId.Value, job.Kind.ToContract(), job.Attempt, job.ReapplyTransform, job.DueAt, job.LeaseOwner, job.LeaseUntil, previous]);
                insert.Parameters[9].NpgsqlDbType = NpgsqlDbType.Bigint;
                pg.Add(insert, reader => ids.Add(reader.GetInt64(0)));
                await pg.RunAsync(cancellationToken);
                previous = ids[^1];
            }
        }
        else if (jobs.Count > 0)
        {
            pg.Add(PostgresWriteSession.Command("""
                INSERT INTO delivery_jobs (event_id, org_id, config_id, kind, attempt, reapply_transform, due_at, lease_owner, lease_until)
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::integer[], $6::boolean[], $7::timestamptz[], $8::text[], $9::timestamptz[])
                RETURNING job_id
                """, [jobs.Select(j => j.EventId.Value).ToArray(), jobs.Select(j => j.OrgId.Value).ToArray(), jobs.Select(j => j.ConfigId.Value).ToArray(),
                jobs.Select(j => j.Kind.ToContract()).ToArray(), jobs.Select(j => j.Attempt).ToArray(), jobs.Select(j => j.ReapplyTransform).ToArray(),
                jobs.Select(j => j.DueAt).ToArray(), jobs.Select(j => j.LeaseOwner).ToArray(), jobs.Select(j => j.LeaseUntil).ToArray()]),
                reader => ids.Add(reader.GetInt64(0)));
        }
        if (jobs.Any(j => j.LeaseOwner is null))
        {
            // Jobs leased at enqueue run on the node that wrote them; only unleased ones need another node awake.
            pg.Add(new NpgsqlBatchCommand($"NOTIFY {WakeChannel}"));
        }
        if (chain)
        {
            await pg.RunAsync(cancellationToken);
            return Later<IReadOnlyList<long>>.Now(ids);
        }
        // Sent with the session's next round trip, at the latest its commit, with whatever its other writers added
        // before (the jobs' events): the ids are read then.
        return Later<IReadOnlyList<long>>.After(pg.Answered(), () =>
        {
            ids.Sort();
            return ids;
        });
    }

    /// <summary>
    /// One statement: the claim counts the expired leases it takes over and leases the jobs whose count stays below
    /// <see cref="DeliveryOptions.MaxLeaseExpiries"/>; the others it deletes and answers as given up (see <see cref="LeaseExpiries"/>).
    /// Waiting jobs and expired leases come from indexes of their own (migrations 15 and 18), so that the many jobs
    /// leased to nodes that run them, due but not claimable, are never read. Waiting jobs are found by organization: the
    /// organizations with any are walked through their index one step each (a recursive skip over it), at most
    /// <see cref="ClaimRoom.WalkSteps"/> of them from <see cref="ClaimRoom.WalkAfter"/> on (<see cref="ClaimRoom"/>), each gives its
    /// oldest due jobs up to what <paramref name="room"/> leaves it (locked as they are read, skipping those another
    /// claim holds), and they are taken in turn (each organization's first before anyone's second,
    /// <see cref="ClaimRoom.InTurn"/>) or the oldest due first; the waiting and the expired are then merged in due order,
    /// and a row locked beyond the limit is free again at the commit. When no waiting job is due, the first entry of the
    /// waiting jobs' index by due time says so, and the walk does not start. The statement's last row holds no job: it
    /// tells how many organizations the walk visited and the last of them.
    /// </summary>
    public async Task<ClaimedJobs> ClaimDueAsync(WriteSession session, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, ClaimRoom room, CancellationToken cancellationToken)
    {
        var pg = session.As<PostgresWriteSession>();
        PlanForTheQueue(pg);
        var command = PostgresWriteSession.Command(ClaimSql, ClaimParameters(owner, now, leaseUntil, room, _maxLeaseExpiries));
        var leased = new List<DeliveryJob>();
        var givenUp = new List<DeliveryJob>();
        var walk = default(OrganizationWalk);
        pg.Add(command, reader =>
        {
            if (reader.IsDBNull(0))
            {
                // The last row tells how far the walk over the organizations went.
                walk = new OrganizationWalk(reader.GetInt32(5), reader.IsDBNull(2) ? null : reader.GetString(2));
                return;
            }
            (reader.GetBoolean(11) ? givenUp : leased).Add(ReadJob(reader));
        });
        await pg.RunAsync(cancellationToken);
        leased.Sort((a, b) => a.DueAt != b.DueAt ? a.DueAt.CompareTo(b.DueAt) : a.JobId.CompareTo(b.JobId));
        return new ClaimedJobs { Leased = leased, GivenUp = givenUp, Walk = walk };
    }

    /// <summary>The parameters of <see cref="ClaimSql"/>, in order.</summary>
    internal static object?[] ClaimParameters(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, ClaimRoom room, int maxLeaseExpiries) =>
        [owner, now, leaseUntil, room.Max, maxLeaseExpiries, room.PerOrganizationRead,
         room.Held.Keys.Select(o => o.Value).ToArray(), room.Held.Values.ToArray(), room.InTurn, room.WalkAfter, room.WalkUntil, room.WalkSteps];

    private static DeliveryJob ReadJob(NpgsqlDataReader reader) => new()
    {
        JobId = reader.GetInt64(0),
        EventId = WebhookEventId.From(reader.GetString(1)),
        OrgId = OrganizationId.From(reader.GetString(2)),
        ConfigId = ConfigId.From(reader.GetString(3)),
        Kind = JobKinds.FromStore(reader.GetString(4)),
        Attempt = reader.GetInt32(5),
        ReapplyTransform = reader.GetBoolean(6),
        DueAt = reader.GetFieldValue<DateTimeOffset>(7),
        LeaseOwner = reader.IsDBNull(8) ? null : reader.GetString(8),
        LeaseUntil = reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9),
        Reclaims = reader.GetInt32(10),
    };

    public async Task RenewAsync(string owner, IReadOnlyCollection<long> jobIds, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        if (jobIds.Count == 0)
        {
            return;
        }
        // Rows a completion is writing right now are skipped, not waited for: the renewal locks many rows in its own
        // order while the completion holds some of them, and waiting would let the two deadlock. A skipped job is
        // either finished by that completion or renewed at the next beat, well within its lease.
        await WriteWithQueueSettingsAsync(pg => pg.Add("""
            UPDATE delivery_jobs AS j SET lease_until = $1
            FROM (SELECT job_id FROM delivery_jobs WHERE lease_owner = $2 AND job_id = ANY($3) ORDER BY job_id FOR UPDATE SKIP LOCKED) AS mine
            WHERE j.job_id = mine.job_id
            """, [leaseUntil, owner, jobIds.ToArray()]), cancellationToken);
    }

    /// <summary>Has the transaction's statements from here on planned with <see cref="QueueSettings"/>.</summary>
    private static void PlanForTheQueue(PostgresWriteSession pg)
    {
        foreach (var setting in QueueSettings)
        {
            pg.Add(setting, []);
        }
    }

    /// <summary>Writes <paramref name="add"/>'s statements in a write transaction of their own, after <see cref="QueueSettings"/>.</summary>
    private Task WriteWithQueueSettingsAsync(Action<PostgresWriteSession> add, CancellationToken cancellationToken) =>
        new PostgresWriteSessions(database).WriteAsync(session =>
        {
            var pg = session.As<PostgresWriteSession>();
            PlanForTheQueue(pg);
            add(pg);
            return Task.FromResult(true);
        }, cancellationToken);

    public async Task ReleaseAsync(string owner, IReadOnlyCollection<long> jobIds, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        if (jobIds.Count == 0)
        {
            return;
        }
        await WriteWithQueueSettingsAsync(pg =>
        {
            pg.Add("UPDATE delivery_jobs SET lease_owner = NULL, lease_until = NULL, due_at = $1 WHERE lease_owner = $2 AND job_id = ANY($3)",
                [dueAt, owner, jobIds.ToArray()]);
            pg.Add(new NpgsqlBatchCommand($"NOTIFY {WakeChannel}"));
        }, cancellationToken);
    }

    /// <summary>
    /// One round trip for all the completions (with whatever the session's other writers added before), one statement
    /// (<see cref="CompleteSql"/>): a job is changed only while this owner still holds its lease; the ids changed come
    /// back.
    /// </summary>
    public async Task<IReadOnlyList<bool>> CompleteAsync(WriteSession session, IReadOnlyList<JobCompletion> completions, CancellationToken cancellationToken)
    {
        var pg = session.As<PostgresWriteSession>();
        var changed = new HashSet<long>();
        AddCompletions(pg, completions, CompleteSql, reader => changed.Add(reader.GetInt64(0)));
        await pg.RunAsync(cancellationToken);
        return completions.Select(c => changed.Contains(c.Job.JobId)).ToArray();
    }

    /// <summary>
    /// One statement for all the completions (<see cref="CompleteHeldSql"/>), sent with the session's next round trip
    /// (its commit, for an outcome): nothing is read before it, and when a lease was lost the transaction fails with
    /// <see cref="LeaseLostState"/>.
    /// </summary>
    public Task CompleteHeldAsync(WriteSession session, IReadOnlyList<JobCompletion> completions, CancellationToken cancellationToken)
    {
        AddCompletions(session.As<PostgresWriteSession>(), completions, CompleteHeldSql, row: null);
        return Task.CompletedTask;
    }

    /// <summary>Adds <paramref name="sql"/>, one of the <see cref="CompletionsSql"/> statements, for the completions, after <see cref="QueueSettings"/>.</summary>
    private static void AddCompletions(PostgresWriteSession pg, IReadOnlyList<JobCompletion> completions, string sql, Action<NpgsqlDataReader>? row)
    {
        PlanForTheQueue(pg);
        var finished = completions.Where(c => c.RetryAt is null).ToList();
        var retried = completions.Where(c => c.RetryAt is not null).ToList();
        pg.Add(PostgresWriteSession.Command(sql, [
            finished.Select(c => c.Job.JobId).ToArray(), finished.Select(c => c.Owner).ToArray(),
            retried.Select(c => c.Job.JobId).ToArray(), retried.Select(c => c.Owner).ToArray(), retried.Select(c => c.RetryAt!.Value).ToArray(),
        ]), row);
        if (completions.Any(c => c.Job.Kind == JobKind.Replay && c.RetryAt is null))
        {
            // A finished replay may free the next job of its chain: wake the workers of every node for it.
            pg.Add(new NpgsqlBatchCommand($"NOTIFY {WakeChannel}"));
        }
    }

    public bool IsLeaseLost(Exception error) => error is PostgresException { SqlState: LeaseLostState };

    public async Task<bool> HasJobAsync(WebhookEventId eventId, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM delivery_jobs WHERE event_id = $1)");
        command.Parameters.Add(new NpgsqlParameter { Value = eventId.Value, NpgsqlDbType = NpgsqlDbType.Text });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<(int Pending, int Leased)> CountAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand("SELECT COUNT(*)::int, COUNT(*) FILTER (WHERE lease_until > $1)::int FROM delivery_jobs");
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt32(0), reader.GetInt32(1));
    }
}
