using Herald.Server.Delivery;
using Herald.Server.Events;
using Herald.Server.Http;
using Herald.Server.Idempotency;
using Herald.Server.Storage;
using Herald.Server.Tests.Support;
using Herald.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Herald.Server.Tests.Delivery;

/// <summary>What every <see cref="IDeliveryStore"/> must do with leases and the one enqueue path, run once per engine.</summary>
public abstract class DeliveryStoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);
    protected static readonly TimeSpan Lease = TimeSpan.FromSeconds(90);

    protected FakeTimeProvider Clock { get; } = new(T0);

    protected abstract Task<TestQueue> StoreAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected static NewDelivery Delivery(string eventId) => new(
        new EventRecord
        {
            EventId = WebhookEventId.From(eventId), OrgId = new OrganizationId("org-1"), ConfigId = new ConfigId("cfg1"), EventName = "order_created", CreatedAt = T0, Status = EventStatus.InProgress,
            HttpMethod = "POST", Url = "https://receiver.example/hook", Input = """{"entity":{}}""",
        },
        TestQueue.Job(eventId, new OrganizationId("org-1"), new ConfigId("cfg1"), T0));

    [Fact]
    public async Task A_released_job_is_free_again_when_due_and_its_next_claim_is_no_reclaim()
    {
        var store = await StoreAsync();
        var eventId = Guid.CreateVersion7(T0).ToString();
        var jobId = (await store.EnqueueAsync([Delivery(eventId)], Ct))[0];
        var claimed = Assert.Single(await store.ClaimDueAsync("node-1", T0, T0 + Lease, 10, Ct));
        Assert.Equal(jobId, claimed.JobId);

        await store.ReleaseAsync("node-1", [jobId], T0 + TimeSpan.FromSeconds(1), Ct);

        Assert.Equal((1, 0), await store.CountAsync(T0, Ct));
        Assert.Empty(await store.ClaimDueAsync("node-2", T0, T0 + Lease, 10, Ct));
        var again = Assert.Single(await store.ClaimDueAsync("node-2", T0 + TimeSpan.FromSeconds(1), T0 + Lease, 10, Ct));
        Assert.Equal((jobId, "node-2", 0), (again.JobId, again.LeaseOwner, again.Reclaims));
    }

    /// <summary>A delivery of <paramref name="orgId"/>'s, due at <paramref name="dueAt"/>.</summary>
    private static NewDelivery DeliveryOf(string orgId, DateTimeOffset dueAt)
    {
        var eventId = Guid.CreateVersion7(dueAt).ToString();
        var delivery = Delivery(eventId);
        var org = new OrganizationId(orgId);
        return new NewDelivery(delivery.Event with { OrgId = org, CreatedAt = dueAt }, TestQueue.Job(eventId, org, new ConfigId("cfg1"), dueAt));
    }

    /// <summary>
    /// A claim in turn takes each organization's oldest due job before anyone's second, no more of one organization than
    /// its share less what the claimer holds of it, and no more in all than its room: an organization whose backlog is
    /// older does not keep another's due job in the queue. A claim of the oldest first takes them in due order.
    /// </summary>
    [Fact]
    public async Task A_claim_in_turn_takes_organizations_in_turn_within_their_shares()
    {
        var store = await StoreAsync();
        // org-a's six jobs are all due before org-b's one and org-c's two.
        var a = Enumerable.Range(0, 6).Select(i => DeliveryOf("org-a", T0.AddSeconds(i))).ToList();
        var b = DeliveryOf("org-b", T0.AddSeconds(10));
        var c = new[] { DeliveryOf("org-c", T0.AddSeconds(11)), DeliveryOf("org-c", T0.AddSeconds(12)) };
        await store.EnqueueAsync([.. a, b, .. c], Ct);
        var now = T0.AddMinutes(1);
        string[] Ids(IEnumerable<NewDelivery> deliveries) => deliveries.Select(d => d.Event.EventId.Value).ToArray();

        // Shares of two, org-a holding one already: one of org-a's, then org-b's, then both of org-c's, in turn.
        var held = new Dictionary<OrganizationId, int> { [new OrganizationId("org-a")] = 1 };
        var first = await store.ClaimDueAsync("node-1", now, now + Lease, new ClaimRoom(10, 2, held), Ct);
        Assert.Equal(Ids([a[0], b, c[0], c[1]]), first.OrderBy(j => j.DueAt).Select(j => j.EventId.Value));

        // Room for two: org-a's next oldest, then the rest of org-a's, as org-a is the only one left, within its share.
        var second = await store.ClaimDueAsync("node-1", now, now + Lease, new ClaimRoom(2, 2, new Dictionary<OrganizationId, int>()), Ct);
        Assert.Equal(Ids([a[1], a[2]]), second.Select(j => j.EventId.Value));

        // An organization that holds its whole share gets nothing.
        Assert.Empty(await store.ClaimDueAsync("node-1", now, now + Lease, new ClaimRoom(10, 2, new Dictionary<OrganizationId, int> { [new OrganizationId("org-a")] = 2 }), Ct));

        // The oldest first, whoever they belong to.
        var rest = await store.ClaimDueAsync("node-2", now, now + Lease, ClaimRoom.OldestFirst(2), Ct);
        Assert.Equal(Ids([a[3], a[4]]), rest.Select(j => j.EventId.Value));
    }

    /// <summary>Among many organizations, a claim with less room than they have due jobs takes each one's oldest first, oldest due first.</summary>
    [Fact]
    public async Task A_claim_in_turn_with_little_room_takes_each_organizations_oldest_first()
    {
        var store = await StoreAsync();
        var deliveries = new List<NewDelivery>();
        for (var org = 0; org < 5; org++)
        {
            for (var i = 0; i < 3; i++)
            {
                deliveries.Add(DeliveryOf($"org-{org}", T0.AddSeconds(org * 10 + i)));
            }
        }
        await store.EnqueueAsync(deliveries, Ct);
        var now = T0.AddMinutes(1);

        var claimed = await store.ClaimDueAsync("node-1", now, now + Lease, new ClaimRoom(5, 3, new Dictionary<OrganizationId, int>()), Ct);

        Assert.Equal(Enumerable.Range(0, 5).Select(org => deliveries[org * 3].Event.EventId.Value), claimed.Select(j => j.EventId.Value));
    }

    /// <summary>
    /// A claim walks the organizations with due jobs as a ring in the order of their ids, at most
    /// <see cref="ClaimRoom.WalkSteps"/> of them, from after <see cref="ClaimRoom.WalkAfter"/> to
    /// <see cref="ClaimRoom.WalkUntil"/>: only those it visits give jobs, an organization whose jobs are all due later
    /// is not visited (none due at all, no walk), and the claim tells how far it went.
    /// </summary>
    [Fact]
    public async Task A_claim_walks_at_most_its_steps_of_organizations_and_goes_on_round_the_ring_from_where_it_is_told()
    {
        var store = await StoreAsync();
        var now = T0.AddMinutes(1);
        // org-2's only job is due an hour later: the walk passes it by.
        await store.EnqueueAsync([.. Enumerable.Range(0, 5).Select(org => DeliveryOf($"org-{org}", org == 2 ? now.AddHours(1) : T0.AddSeconds(org)))], Ct);
        var room = new ClaimRoom(10, 10, new Dictionary<OrganizationId, int>()) { WalkSteps = 2 };
        async Task<(string Orgs, OrganizationWalk Walk)> ClaimAsync(ClaimRoom r, DateTimeOffset? at = null)
        {
            var claimed = await store.ClaimWithWalkAsync("node-1", at ?? now, (at ?? now) + Lease, r, Ct);
            return (string.Join(" ", claimed.Leased.Select(j => j.OrgId.Value).Order()), claimed.Walk);
        }

        Assert.Equal(("org-0 org-1", new OrganizationWalk(2, "org-1")), await ClaimAsync(room));
        Assert.Equal(("org-3 org-4", new OrganizationWalk(2, "org-4")), await ClaimAsync(room with { WalkAfter = "org-1" }));
        Assert.Equal(("", new OrganizationWalk(0, null)), await ClaimAsync(room with { WalkAfter = "org-4" }));

        // New jobs for every organization; a walk from after org-2 round to org-2 wraps past the last.
        await store.EnqueueAsync([.. Enumerable.Range(0, 5).Select(org => DeliveryOf($"org-{org}", T0.AddSeconds(10 + org)))], Ct);
        Assert.Equal(("org-3 org-4", new OrganizationWalk(2, "org-4")), await ClaimAsync(room with { WalkAfter = "org-2", WalkUntil = "org-2" }));
        Assert.Equal(("org-0 org-1", new OrganizationWalk(2, "org-1")), await ClaimAsync(room with { WalkAfter = "org-4", WalkUntil = "org-2" }));
        // Ends with org-2 (two jobs now, one not due), whatever steps are left.
        Assert.Equal(("org-2", new OrganizationWalk(1, "org-2")), await ClaimAsync(room with { WalkAfter = "org-1", WalkUntil = "org-2", WalkSteps = 10 }));
        // Nothing left but org-2's job of the next hour: with no job due, the walk does not start.
        Assert.Equal(("", new OrganizationWalk(0, null)), await ClaimAsync(room with { WalkAfter = "org-2", WalkUntil = "org-2", WalkSteps = 10 }));
        // Once it is due, it is walked to and claimed (with every job above, whose leases ran out by then).
        var later = await ClaimAsync(room with { WalkAfter = "org-2", WalkUntil = "org-2", WalkSteps = 10 }, now.AddHours(2));
        Assert.Equal(new OrganizationWalk(1, "org-2"), later.Walk);
        Assert.Equal(2, later.Orgs.Split(' ').Count(org => org == "org-2"));
    }

    /// <summary>
    /// With more due jobs than the walk names from the index by due time (a backlog), the walk steps through every
    /// organization with waiting jobs, those whose jobs are all due later among them, at most its steps per claim; once
    /// the backlog is down to that many, it visits only organizations with due jobs again.
    /// </summary>
    [Fact]
    public async Task Behind_a_backlog_a_claim_steps_through_every_organization_with_waiting_jobs_within_its_steps()
    {
        var store = await StoreAsync();
        var now = T0.AddMinutes(1);
        // org-a's backlog, org-b's job of the next hour, org-c's one due job.
        var backlog = OrganizationWalkSql.DueSample + 1;
        await store.EnqueueAsync([
            .. Enumerable.Range(0, backlog).Select(i => DeliveryOf("org-a", T0.AddMilliseconds(i))),
            DeliveryOf("org-b", now.AddHours(1)),
            DeliveryOf("org-c", T0.AddSeconds(30))], Ct);
        var room = new ClaimRoom(2, 2, new Dictionary<OrganizationId, int>()) { WalkSteps = 2 };
        async Task<(string Orgs, OrganizationWalk Walk)> ClaimAsync(ClaimRoom r)
        {
            var claimed = await store.ClaimWithWalkAsync("node-1", now, now + Lease, r, Ct);
            return (string.Join(" ", claimed.Leased.Select(j => j.OrgId.Value).Order()), claimed.Walk);
        }

        // One more due job than the sample: org-b is a step of the walk, though it gives nothing; org-c is past the two steps.
        Assert.Equal(("org-a org-a", new OrganizationWalk(2, "org-b")), await ClaimAsync(room));
        // Two of org-a's jobs claimed, the due jobs left are as many as the sample: each is named, org-b is passed by.
        Assert.Equal(("org-c", new OrganizationWalk(1, "org-c")), await ClaimAsync(room with { WalkAfter = "org-b" }));
        Assert.Equal(("org-a org-a", new OrganizationWalk(1, "org-a")), await ClaimAsync(room with { WalkAfter = "org-c", WalkUntil = "org-c" }));
    }

    [Fact]
    public async Task An_event_has_a_job_from_its_enqueue_until_the_job_is_done()
    {
        var store = await StoreAsync();
        var eventId = Guid.CreateVersion7(T0).ToString();
        var other = Guid.CreateVersion7(T0.AddSeconds(1)).ToString();
        await store.EnqueueAsync([Delivery(eventId)], Ct);

        var queued = await store.Jobs.HasJobAsync(WebhookEventId.From(eventId), Ct);
        var claimed = Assert.Single(await store.ClaimDueAsync("node-1", T0, T0 + Lease, 10, Ct));
        var running = await store.Jobs.HasJobAsync(WebhookEventId.From(eventId), Ct);
        Assert.All(await store.CompleteAsync([Finished(claimed, "node-1")], Ct), Assert.True);

        Assert.True(queued);
        Assert.True(running);
        Assert.False(await store.Jobs.HasJobAsync(WebhookEventId.From(eventId), Ct));
        Assert.False(await store.Jobs.HasJobAsync(WebhookEventId.From(other), Ct));
    }

    protected static JobCompletion Finished(DeliveryJob job, string owner) =>
        new() { Job = job, Owner = owner, Event = new EventUpdate { EventId = job.EventId, Status = EventStatus.Succeeded, RetryAttempt = 0, Payload = """{"entity":{}}""", StartDate = T0, EndDate = T0 } };

    /// <summary>
    /// Outcomes are written assuming their leases are held, without reading first. One whose lease went to another
    /// node fails that write, and both outcomes of the batch are written again the careful way: the held one ends its
    /// job and event, the lost one leaves both to the new owner.
    /// </summary>
    [Fact]
    public async Task An_outcome_whose_lease_was_lost_leaves_job_and_event_to_the_new_owner_and_the_outcome_beside_it_is_still_written()
    {
        var store = await StoreAsync();
        var (kept, lost) = (Guid.CreateVersion7(T0).ToString(), Guid.CreateVersion7(T0.AddMilliseconds(1)).ToString());
        await store.EnqueueAsync([Delivery(kept), Delivery(lost)], Ct);
        var keptJob = Assert.Single(await store.ClaimDueAsync("node-1", T0, T0 + Lease, 1, Ct));
        var lostJob = Assert.Single(await store.ClaimDueAsync("node-1", T0, T0 + TimeSpan.FromSeconds(1), 1, Ct));
        Assert.Equal((kept, lost), (keptJob.EventId.Value, lostJob.EventId.Value));
        // The short lease ran out and another node took the job over.
        Assert.Equal(lostJob.JobId, Assert.Single(await store.ClaimDueAsync("node-2", T0 + TimeSpan.FromSeconds(2), T0 + Lease, 10, Ct)).JobId);

        await using var commit = new GroupCommit(store.Sessions);
        var outcomes = new OutcomeWriter(store.Jobs, store.Events, commit);
        var written = await Task.WhenAll(outcomes.CompleteAsync(Finished(keptJob, "node-1")), outcomes.CompleteAsync(Finished(lostJob, "node-1")));

        Assert.Equal([true, false], written);
        Assert.False(await store.Jobs.HasJobAsync(WebhookEventId.From(kept), Ct));
        Assert.True(await store.Jobs.HasJobAsync(WebhookEventId.From(lost), Ct));
        var events = await EventsAsync([kept, lost]);
        Assert.Equal((EventStatus.Succeeded, EventStatus.InProgress), (events[kept].Status, events[lost].Status));
        Assert.Equal(lostJob.JobId, Assert.Single(await store.ClaimDueAsync("node-3", T0 + Lease + TimeSpan.FromSeconds(1), T0 + Lease * 2, 10, Ct)).JobId);
    }

    [Fact]
    public async Task New_events_and_completions_written_together_commit_together_or_not_at_all()
    {
        var store = await StoreAsync();
        var first = Guid.CreateVersion7(T0).ToString();
        await store.EnqueueAsync([Delivery(first)], Ct);
        var claimed = Assert.Single(await store.ClaimDueAsync("node-1", T0, T0 + Lease, 10, Ct));

        // The event id is taken: the database refuses the new event, and the completion beside it is not written either.
        await Assert.ThrowsAnyAsync<Exception>(() => store.Sessions.WriteAsync(async session =>
        {
            await store.Jobs.CompleteAsync(session, [Finished(claimed, "node-1")], Ct);
            await store.Events.InsertAsync(session, [Delivery(first).Event], Ct);
            return 0;
        }, Ct));
        Assert.Equal((1, 1), await store.CountAsync(T0, Ct));

        var second = Guid.CreateVersion7(T0.AddMilliseconds(1)).ToString();
        var held = await store.CompleteAsync([Finished(claimed, "node-1")], Ct);
        var ids = await store.EnqueueAsync([Delivery(second)], Ct);

        Assert.Single(ids);
        Assert.Equal([true], held);
        Assert.Equal((1, 0), await store.CountAsync(T0, Ct));
        var next = Assert.Single(await store.ClaimDueAsync("node-1", T0, T0 + Lease, 10, Ct));
        Assert.Equal((ids[0], second), (next.JobId, next.EventId.Value));
    }

    [Fact]
    public async Task The_one_enqueue_path_writes_events_and_jobs_without_a_claim_and_with_one_only_while_the_key_is_free()
    {
        var store = await StoreAsync();
        var plain = Guid.CreateVersion7(T0).ToString();
        var (plainIds, none) = await store.EnqueueOnceAsync([Delivery(plain)], null, Ct);
        Assert.Null(none);
        Assert.Single(plainIds!);

        var claim = new IdempotencyClaim(new OrganizationId("org-1"), "events", "key-1", T0, 202, """{"n":1}""", Completed: true);
        var once = Guid.CreateVersion7(T0.AddMilliseconds(1)).ToString();
        var (ids, earlier) = await store.EnqueueOnceAsync([Delivery(once)], claim, Ct);
        Assert.Null(earlier);
        Assert.Single(ids!);

        var again = Guid.CreateVersion7(T0.AddMilliseconds(2)).ToString();
        var (noIds, answer) = await store.EnqueueOnceAsync([Delivery(again)], claim with { Body = """{"n":2}""" }, Ct);
        Assert.Null(noIds);
        Assert.Equal("""{"n":1}""", answer!.Body);

        Assert.Equal((2, 0), await store.CountAsync(T0, Ct));
        var claimed = await store.ClaimDueAsync("node-1", T0, T0 + Lease, 10, Ct);
        Assert.Equal([plain, once], claimed.Select(j => j.EventId.Value));
    }

    /// <summary>New events with their jobs, as a trigger's group write makes them.</summary>
    protected static GroupWrite<NewDelivery, long> Enqueues(TestQueue store) => new(async (session, deliveries, ct) =>
    {
        await store.Events.InsertAsync(session, deliveries.Select(d => d.Event).ToList(), ct);
        return await store.Jobs.EnqueueAsync(session, deliveries.Select(d => d.Job).ToList(), chain: false, ct);
    });

    /// <summary>A group write that holds the group commit from when it is entered until it is opened: the writes queued meanwhile go in one batch.</summary>
    protected sealed class Gate
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public GroupWrite<int, int> Write { get; }

        public Gate() => Write = new GroupWrite<int, int>(async (_, items, _) =>
        {
            Entered.SetResult();
            await Open.Task;
            return items.ToArray();
        });
    }

    [Fact]
    public async Task A_new_event_the_database_refuses_does_not_fail_the_completions_committed_with_it()
    {
        var store = await StoreAsync();
        await using var commit = new GroupCommit(store.Sessions);
        var outcomes = new OutcomeWriter(store.Jobs, store.Events, commit);
        var enqueues = Enqueues(store);
        var gate = new Gate();
        var taken = Guid.CreateVersion7(T0).ToString();
        await store.EnqueueAsync([Delivery(taken)], Ct);
        var claimed = Assert.Single(await store.ClaimDueAsync("node-1", T0, T0 + Lease, 10, Ct));

        // The gate holds the group commit until the other two have queued: they are written as one batch.
        var opening = commit.WriteAsync(gate.Write, 1);
        await gate.Entered.Task.WaitAsync(Ct);
        var refused = commit.WriteAsync(enqueues, Delivery(taken));
        var completion = outcomes.CompleteAsync(Finished(claimed, "node-1"));
        gate.Open.SetResult();

        Assert.Equal(1, await opening);
        await Assert.ThrowsAnyAsync<Exception>(() => refused);
        Assert.True(await completion);
        Assert.Equal((0, 0), await store.CountAsync(T0, Ct));
    }

    [Fact]
    public async Task A_new_event_the_database_refuses_fails_only_its_own_caller_of_those_written_with_it()
    {
        var store = await StoreAsync();
        await using var commit = new GroupCommit(store.Sessions);
        var enqueues = Enqueues(store);
        var gate = new Gate();
        var taken = Guid.CreateVersion7(T0).ToString();
        await store.EnqueueAsync([Delivery(taken)], Ct);
        var (before, after) = (Guid.CreateVersion7(T0.AddMilliseconds(1)).ToString(), Guid.CreateVersion7(T0.AddMilliseconds(2)).ToString());

        // The gate holds the group commit until the three have queued: they are written as one batch of one kind.
        var opening = commit.WriteAsync(gate.Write, 1);
        await gate.Entered.Task.WaitAsync(Ct);
        var first = commit.WriteAsync(enqueues, Delivery(before));
        var refused = commit.WriteAsync(enqueues, Delivery(taken));
        var last = commit.WriteAsync(enqueues, Delivery(after));
        gate.Open.SetResult();

        Assert.Equal(1, await opening);
        await Assert.ThrowsAnyAsync<Exception>(() => refused);
        var ids = new[] { await first, await last };
        Assert.Equal((3, 0), await store.CountAsync(T0, Ct));
        var claimed = await store.ClaimDueAsync("node-1", T0, T0 + Lease, 10, Ct);
        Assert.Equal([taken, before, after], claimed.Select(j => j.EventId.Value).Order(StringComparer.Ordinal));
        Assert.Subset(claimed.Select(j => j.JobId).ToHashSet(), ids.ToHashSet());
    }

    [Fact]
    public async Task An_answer_that_cannot_be_read_after_the_commit_fails_its_callers_and_nothing_is_written_twice()
    {
        var store = await StoreAsync();
        await using var commit = new GroupCommit(store.Sessions);
        var enqueues = Enqueues(store);
        var unreadable = new GroupWrite<int, int>((_, _, _) =>
            Task.FromResult(Later<IReadOnlyList<int>>.From(() => throw new InvalidOperationException("unreadable answer"))));
        var gate = new Gate();

        // The gate holds the group commit until the other two have queued: they are committed as one batch.
        var opening = commit.WriteAsync(gate.Write, 1);
        await gate.Entered.Task.WaitAsync(Ct);
        // The unreadable answer is read first: before, its throw had the whole batch written again, kind by kind.
        var failing = commit.WriteAsync(unreadable, 1);
        var enqueued = commit.WriteAsync(enqueues, Delivery(Guid.CreateVersion7(T0).ToString()));
        gate.Open.SetResult();

        Assert.Equal(1, await opening);
        Assert.Equal("unreadable answer", (await Assert.ThrowsAsync<InvalidOperationException>(() => failing)).Message);
        // Committed once and answered: not written again as if the batch had failed.
        var jobId = await enqueued;
        Assert.Equal(1, commit.TogetherWrites);
        Assert.Equal((1, 0), await store.CountAsync(T0, Ct));
        Assert.Equal(jobId, Assert.Single(await store.ClaimDueAsync("node-1", T0, T0 + Lease, 10, Ct)).JobId);
    }

    [Fact]
    public async Task A_job_whose_lease_ran_out_three_times_is_finished_failed_by_the_claim_instead_of_handed_out_again()
    {
        var store = await StoreAsync();
        var eventId = Guid.CreateVersion7(T0).ToString();
        await store.EnqueueAsync([Delivery(eventId)], Ct);
        var now = T0;
        DeliveryJob? last = null;
        // Three nodes in turn claim the job and die with it: each lease runs out without an outcome.
        for (var node = 1; node <= 3; node++)
        {
            last = Assert.Single(await store.ClaimDueAsync($"node-{node}", now, now + Lease, 10, Ct));
            Assert.Equal(node - 1, last.Reclaims);
            now += Lease;
        }

        // The third expiry is the last (Delivery:MaxLeaseExpiries, default 3): the claim ends the job instead.
        Assert.Empty(await store.ClaimDueAsync("node-4", now, now + Lease, 10, Ct));

        Assert.Equal((0, 0), await store.CountAsync(now, Ct));
        var stored = Assert.Single(await EventsAsync([eventId])).Value;
        Assert.Equal(EventStatus.Failed, stored.Status);
        Assert.Equal(now, stored.EndDate);
        var response = System.Text.Json.Nodes.JsonNode.Parse(stored.HttpResponse!)!;
        Assert.Equal("INTERNAL_ERROR", response["code"]!.GetValue<string>());
        Assert.Contains("Delivery:MaxLeaseExpiries", response["message"]!.GetValue<string>());
    }

    /// <summary>The events as the event log reads them.</summary>
    protected abstract Task<IReadOnlyDictionary<string, EventRecord>> EventsAsync(IReadOnlyCollection<string> eventIds);

    [Fact]
    public async Task Releasing_leaves_the_jobs_of_other_owners_alone()
    {
        var store = await StoreAsync();
        var jobId = (await store.EnqueueAsync([Delivery(Guid.CreateVersion7(T0).ToString())], Ct))[0];
        Assert.Single(await store.ClaimDueAsync("node-1", T0, T0 + Lease, 10, Ct));

        await store.ReleaseAsync("node-2", [jobId], T0, Ct);

        Assert.Equal((1, 1), await store.CountAsync(T0, Ct));
        Assert.Empty(await store.ClaimDueAsync("node-2", T0, T0 + Lease, 10, Ct));
    }
}

public sealed class SqliteDeliveryStoreTests : DeliveryStoreContract, IDisposable
{
    private readonly TempDirectory _folder = new();
    private Herald.Server.Storage.Sqlite.SqliteDatabase? _database;

    protected override async Task<TestQueue> StoreAsync() => TestQueue.Sqlite(_database = await Engines.SqliteAsync(_folder, Clock));

    protected override Task<IReadOnlyDictionary<string, EventRecord>> EventsAsync(IReadOnlyCollection<string> eventIds) =>
        new SqliteEventStore(_database!).FindAsync(eventIds, TestContext.Current.CancellationToken);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}

public sealed class PostgresDeliveryStoreTests(PostgresServer server) : DeliveryStoreContract
{
    private Herald.Server.Storage.Postgres.PostgresDatabase? _database;

    protected override async Task<TestQueue> StoreAsync() => TestQueue.Postgres(_database = await Engines.PostgresAsync(server, Clock));

    /// <summary>The parameters of a node's claim (organizations in turn, a share of 16 each, three lease expiries).</summary>
    private static object[] NodeClaim(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int max) =>
        PostgresDeliveryStore.ClaimParameters(owner, now, leaseUntil, new ClaimRoom(max, 16, new Dictionary<OrganizationId, int>()), 3)!;

    protected override Task<IReadOnlyDictionary<string, EventRecord>> EventsAsync(IReadOnlyCollection<string> eventIds) =>
        new PostgresEventStore(_database!).FindAsync(eventIds, TestContext.Current.CancellationToken);

    /// <summary>
    /// A new event and its job need no answer before the commit: they go to the server with the <c>COMMIT</c>, in one
    /// round trip (two before: the statements, then the commit), and the job's id is read from that round trip's rows.
    /// </summary>
    [Fact]
    public async Task A_new_event_and_its_job_reach_the_server_with_the_commit_in_one_round_trip()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var proxied = await ThroughProxyAsync();
        var (proxy, store) = (proxied.Proxy, proxied.Store);
        // The connection's start-up and the day's partitions are behind us after the first write.
        await store.EnqueueAsync([Delivery(Guid.CreateVersion7(Clock.GetUtcNow()).ToString())], ct);

        var eventId = Guid.CreateVersion7(Clock.GetUtcNow().AddMilliseconds(1)).ToString();
        var before = proxy.RoundTrips;
        var ids = await store.EnqueueAsync([Delivery(eventId)], ct);
        var roundTrips = proxy.RoundTrips - before;

        Assert.Equal(1, roundTrips);
        await using var read = _database!.DataSource.CreateCommand("SELECT event_id FROM delivery_jobs WHERE job_id = $1");
        read.Parameters.Add(new Npgsql.NpgsqlParameter { Value = Assert.Single(ids) });
        Assert.Equal(eventId, (string?)await read.ExecuteScalarAsync(ct));
    }

    /// <summary>
    /// An outcome whose lease is held needs no answer before the commit: the job's end, the attempt and the event's
    /// new state go to the server with the <c>COMMIT</c>, in one round trip (two before: the job's end was read first).
    /// </summary>
    [Fact]
    public async Task An_outcome_reaches_the_server_with_the_commit_in_one_round_trip()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var proxied = await ThroughProxyAsync();
        var (proxy, store) = (proxied.Proxy, proxied.Store);
        await using var commit = new GroupCommit(store.Sessions);
        var outcomes = new OutcomeWriter(store.Jobs, store.Events, commit);
        var (first, second) = (Guid.CreateVersion7(Clock.GetUtcNow()).ToString(), Guid.CreateVersion7(Clock.GetUtcNow().AddMilliseconds(1)).ToString());
        await store.EnqueueAsync([Delivery(first), Delivery(second)], ct);
        var jobs = await store.ClaimDueAsync("node-1", Clock.GetUtcNow(), Clock.GetUtcNow() + Lease, 10, ct);
        // The first outcome opens the connection and has the statements prepared.
        Assert.True(await outcomes.CompleteAsync(Finished(jobs[0], "node-1")));

        var before = proxy.RoundTrips;
        Assert.True(await outcomes.CompleteAsync(Finished(jobs[1], "node-1")));
        var roundTrips = proxy.RoundTrips - before;

        Assert.Equal(1, roundTrips);
        Assert.Equal(EventStatus.Succeeded, (await EventsAsync([second]))[second].Status);
        Assert.False(await store.Jobs.HasJobAsync(WebhookEventId.From(second), ct));
    }

    /// <summary>
    /// A statement that fails in the commit's round trip stops the <c>COMMIT</c> sent after it: nothing of the
    /// transaction is written, the caller hears the server's error, and the connection serves the next transaction.
    /// </summary>
    [Fact]
    public async Task A_statement_that_fails_beside_the_commit_writes_nothing_and_leaves_the_connection_usable()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var proxied = await ThroughProxyAsync();
        var (proxy, store) = (proxied.Proxy, proxied.Store);
        var taken = Guid.CreateVersion7(Clock.GetUtcNow()).ToString();
        await store.EnqueueAsync([Delivery(taken)], ct);

        var fresh = Guid.CreateVersion7(Clock.GetUtcNow().AddMilliseconds(1)).ToString();
        var refused = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => store.EnqueueAsync([Delivery(fresh), Delivery(taken)], ct));
        Assert.Equal(Npgsql.PostgresErrorCodes.UniqueViolation, refused.SqlState);
        Assert.Empty(await EventsAsync([fresh]));

        var after = Guid.CreateVersion7(Clock.GetUtcNow().AddMilliseconds(2)).ToString();
        Assert.Single(await store.EnqueueAsync([Delivery(after)], ct));
        Assert.Equal(new[] { taken, after }.Order(StringComparer.Ordinal), (await EventsAsync([fresh, taken, after])).Keys.Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// A transaction whose <c>COMMIT</c>'s answer was lost may have been committed: the group commit writes none of it
    /// again (the new event would then be refused as taken, and its caller would hear a 500; a replay's job would be
    /// written twice), and each of its callers hears that the commit is in doubt, which the API answers with a 503.
    /// </summary>
    [Fact]
    public async Task A_group_commit_whose_answer_was_lost_is_not_written_again_and_each_caller_hears_it_is_in_doubt()
    {
        var ct = TestContext.Current.CancellationToken;
        await StoreAsync();
        var direct = new Npgsql.NpgsqlConnectionStringBuilder(_database!.DataSource.ConnectionString);
        await using var relay = new TcpRelay(direct.Host!, direct.Port);
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(direct.ConnectionString) { Port = relay.Port, MaxPoolSize = 2 };
        await using var database = new Herald.Server.Storage.Postgres.PostgresDatabase(
            new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = connection.ConnectionString }, Clock);
        var store = TestQueue.Postgres(database);
        // The connection's start-up and the day's partitions are behind us after the first write.
        await store.EnqueueAsync([Delivery(Guid.CreateVersion7(Clock.GetUtcNow()).ToString())], ct);
        await using var commit = new GroupCommit(store.Sessions);
        var losing = new GroupWrite<int, int>((_, items, _) =>
        {
            // The last writer of the transaction: what the relay gets next from the server is the commit's answer.
            relay.LoseNextAnswer();
            return Task.FromResult<IReadOnlyList<int>>(items.ToArray());
        });
        var gate = new Gate();
        var eventId = Guid.CreateVersion7(Clock.GetUtcNow().AddMilliseconds(1)).ToString();

        // The gate holds the group commit until the other two have queued: they are committed as one batch, two kinds.
        var opening = commit.WriteAsync(gate.Write, 1);
        await gate.Entered.Task.WaitAsync(ct);
        var enqueued = commit.WriteAsync(Enqueues(store), Delivery(eventId));
        var lost = commit.WriteAsync(losing, 1);
        gate.Open.SetResult();

        Assert.Equal(1, await opening);
        var errors = new Exception[] { await Assert.ThrowsAsync<CommitInDoubtException>(() => enqueued), await Assert.ThrowsAsync<CommitInDoubtException>(() => lost) };
        Assert.All(errors, error => Assert.True(ErrorHandling.DatabaseUnavailable(error)));
        // It was committed, once.
        Assert.Equal(EventStatus.InProgress, (await EventsAsync([eventId]))[eventId].Status);
        await using (var jobs = _database.DataSource.CreateCommand("SELECT count(*) FROM delivery_jobs WHERE event_id = $1"))
        {
            jobs.Parameters.Add(new Npgsql.NpgsqlParameter { Value = eventId });
            Assert.Equal(1L, await jobs.ExecuteScalarAsync(ct));
        }
        // The next write goes through, on a new connection.
        Assert.Single(await store.EnqueueAsync([Delivery(Guid.CreateVersion7(Clock.GetUtcNow().AddMilliseconds(2)).ToString())], ct));
    }

    /// <summary>
    /// A fresh store whose connections go through a round-trip counter, in a pool of two (one for the writes, one for
    /// the day partitions' checks).
    /// </summary>
    private async Task<Proxied> ThroughProxyAsync()
    {
        await StoreAsync();
        var proxy = RoundTripProxy.Start(new Npgsql.NpgsqlConnectionStringBuilder(_database!.DataSource.ConnectionString).Port);
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(_database.DataSource.ConnectionString) { Port = proxy.Port, MaxPoolSize = 2 };
        var database = new Herald.Server.Storage.Postgres.PostgresDatabase(
            new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = connection.ConnectionString }, Clock);
        return new Proxied(proxy, database, TestQueue.Postgres(database));
    }

    private sealed record Proxied(RoundTripProxy Proxy, Herald.Server.Storage.Postgres.PostgresDatabase Database, TestQueue Store) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Database.DisposeAsync();
            await Proxy.DisposeAsync();
        }
    }

    /// <summary>
    /// Thousands of jobs leased to the nodes that run them, a few waiting, fresh statistics: the claim, the finish and the
    /// retry each reach their rows through the key, and never read the whole queue (its leased jobs and dead versions)
    /// to find the few they change.
    /// </summary>
    [Fact]
    public async Task Claims_and_completions_find_their_jobs_through_the_key_however_many_jobs_are_leased()
    {
        await StoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var now = DateTimeOffset.UtcNow;
        await using (var fill = _database!.DataSource.CreateCommand("""
            INSERT INTO delivery_jobs (event_id, org_id, config_id, kind, due_at, lease_owner, lease_until)
            SELECT 'ev-' || i, 'org-1', 'cfg1', 'deliver', $1, CASE WHEN i <= 3000 THEN 'node-1' END, CASE WHEN i <= 3000 THEN $2 END
            FROM generate_series(1, 3040) AS i;
            """))
        {
            fill.Parameters.Add(new Npgsql.NpgsqlParameter { Value = now.AddSeconds(-1) });
            fill.Parameters.Add(new Npgsql.NpgsqlParameter { Value = now.AddMinutes(5) });
            await fill.ExecuteNonQueryAsync(ct);
        }
        await using (var analyze = _database.DataSource.CreateCommand("ANALYZE delivery_jobs"))
        {
            await analyze.ExecuteNonQueryAsync(ct);
        }
        var ids = Enumerable.Range(1, 32).Select(i => (long)i).ToArray();
        var owners = Enumerable.Repeat("node-1", 32).ToArray();

        var plans = new Dictionary<string, string>
        {
            ["claim"] = await ExplainAsync(PostgresDeliveryStore.ClaimSql, NodeClaim("node-2", now, now.AddSeconds(90), 32), ct, PostgresDeliveryStore.QueueSettings),
            ["completion"] = await ExplainAsync(PostgresDeliveryStore.CompleteSql, [ids[..16], owners[..16], ids[16..], owners[16..], Enumerable.Repeat(now, 16).ToArray()], ct),
            ["outcome"] = await ExplainAsync(PostgresDeliveryStore.CompleteHeldSql, [ids[..16], owners[..16], ids[16..], owners[16..], Enumerable.Repeat(now, 16).ToArray()], ct),
        };

        Assert.All(plans, plan => Assert.False(plan.Value.Contains("Seq Scan on delivery_jobs", StringComparison.Ordinal), $"the {plan.Key} reads the whole queue:\n{plan.Value}"));
    }

    /// <summary>
    /// The claim's estimate for the expired leases grows with the jobs leased to the nodes, past the server's
    /// <c>jit_above_cost</c> with a few thousand leased: each claim was then compiled by the server's JIT before it ran,
    /// 50 to 200 ms of the server's CPU for a claim that reads a few pages. Herald's queue transactions turn the JIT
    /// off. Here every statement's cost passes the threshold (<c>jit_above_cost</c> 0), as the claim's did: the claim is
    /// compiled without Herald's settings (where the server has a JIT) and not with them.
    /// </summary>
    [Fact]
    public async Task A_claim_is_never_compiled_by_the_servers_JIT_however_costly_its_plan()
    {
        await StoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var now = DateTimeOffset.UtcNow;
        await AddWaitingJobsAsync(100, now.AddSeconds(-1), ct);
        var claim = NodeClaim("node-1", now, now.AddSeconds(90), 32);
        const string EveryPlanPastTheThreshold = "SET LOCAL jit_above_cost = 0";

        var withHeraldsSettings = await ExplainAsync(PostgresDeliveryStore.ClaimSql, claim, ct, [.. PostgresDeliveryStore.QueueSettings, EveryPlanPastTheThreshold], analyze: true);

        Assert.Contains("LockRows", withHeraldsSettings, StringComparison.Ordinal);
        Assert.DoesNotContain("JIT:", withHeraldsSettings, StringComparison.Ordinal);
        await using var available = _database!.DataSource.CreateCommand("SELECT pg_jit_available()");
        if ((bool)(await available.ExecuteScalarAsync(ct))!)
        {
            var without = await ExplainAsync(PostgresDeliveryStore.ClaimSql, claim, ct, [EveryPlanPastTheThreshold], analyze: true);
            Assert.Contains("JIT:", without, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// Every claimed job leaves a dead entry in the queue's waiting index (its lease moves it to the other), and every
    /// finished one a dead row. Once a claim has stepped over them, the next claim that finds nothing reads a few pages,
    /// not the table again for every job claimed before it (as a bitmap scan of the index does until a vacuum).
    /// </summary>
    [Fact]
    public async Task A_claim_that_finds_nothing_does_not_read_again_the_jobs_claimed_and_finished_before_it()
    {
        var store = await StoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var now = DateTimeOffset.UtcNow;
        // Statistics from the queue's quiet start, as a node has until the next vacuum: the planner expects few rows.
        // No autovacuum meanwhile: an automatic analyze of the jobs written below holds a snapshot while it samples,
        // and a row deleted after that snapshot is not yet dead to everyone, so the claim could not mark its entries.
        await using (var analyze = _database!.DataSource.CreateCommand("ANALYZE delivery_jobs; ALTER TABLE delivery_jobs SET (autovacuum_enabled = off)"))
        {
            await analyze.ExecuteNonQueryAsync(ct);
        }
        await AddWaitingJobsAsync(3000, now.AddSeconds(-1), ct);
        var claimed = 0;
        for (var round = 0; round < 30 && claimed < 3000; round++)
        {
            claimed += (await store.ClaimDueAsync("node-1", now, now.AddMinutes(5), 200, ct)).Count;
        }
        Assert.Equal(3000, claimed);
        await using (var finish = _database.DataSource.CreateCommand("DELETE FROM delivery_jobs"))
        {
            await finish.ExecuteNonQueryAsync(ct);
        }
        long table, indexes;
        await using (var size = _database.DataSource.CreateCommand("""
            SELECT pg_relation_size('delivery_jobs') / 8192, (pg_relation_size('ix_delivery_jobs_waiting') + pg_relation_size('ix_delivery_jobs_leased')) / 8192
            """))
        await using (var sizes = await size.ExecuteReaderAsync(ct))
        {
            await sizes.ReadAsync(ct);
            (table, indexes) = (sizes.GetInt64(0), sizes.GetInt64(1));
        }

        // An entry is marked only once its row is dead to every transaction of the server; while other tests' work
        // holds that back for a moment, the claim that steps over the entries comes again, a few times at most. A
        // bitmap scan never marks them, however often it runs.
        var (plan, pages) = ("", int.MaxValue);
        for (var round = 0; round < 10 && pages >= table; round++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200 * round), ct);
            Assert.Empty(await store.ClaimDueAsync("node-2", now.AddMinutes(6), now.AddMinutes(8), 200, ct));
            plan = await ExplainAsync(PostgresDeliveryStore.ClaimSql, NodeClaim("node-2", now.AddMinutes(6), now.AddMinutes(8), 200), ct,
                PostgresDeliveryStore.QueueSettings, analyze: true);
            pages = int.Parse(System.Text.RegularExpressions.Regex.Match(plan, @"Buffers: shared hit=(\d+)").Groups[1].Value);
        }
        Assert.True(pages < table,
            $"a claim that found nothing read {pages} pages after 3,000 jobs were claimed and finished (the two queue indexes hold {indexes}, the table {table}):\n{plan}");
    }

    /// <summary>
    /// The server keeps one plan for a statement it has run five times. Jobs finished while the queue was nearly empty
    /// leave the finish a plan that must still find its job through the key once thousands of jobs (and their dead
    /// versions) fill the table, not read the whole table for it.
    /// </summary>
    [Fact]
    public async Task The_plan_the_server_keeps_for_the_finish_still_finds_jobs_through_the_key_after_the_queue_grew()
    {
        var store = await StoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var now = DateTimeOffset.UtcNow;
        // No vacuum or analyze meanwhile (they would have the server plan again): what a node sees between two of them.
        await using (var still = _database!.DataSource.CreateCommand("ALTER TABLE delivery_jobs SET (autovacuum_enabled = off)"))
        {
            await still.ExecuteNonQueryAsync(ct);
        }
        await using var commit = new GroupCommit(store.Sessions);
        var outcomes = new OutcomeWriter(store.Jobs, store.Events, commit);
        // Forty rounds of forty jobs each while the queue holds no more than those: for so many keys, reading the
        // few pages of the table is what every plan chooses, so the server keeps that plan.
        for (var round = 0; round < 40; round++)
        {
            var deliveries = Enumerable.Range(0, 40).Select(i =>
            {
                var eventId = Guid.CreateVersion7(now.AddMilliseconds(round * 40 + i)).ToString();
                return new NewDelivery(
                    new EventRecord
                    {
                        EventId = WebhookEventId.From(eventId), OrgId = new OrganizationId("org-1"), ConfigId = new ConfigId("cfg1"), EventName = "order_created", CreatedAt = now,
                        Status = EventStatus.InProgress, HttpMethod = "POST", Url = "https://receiver.example/hook", Input = """{"entity":{}}""",
                    },
                    TestQueue.Job(eventId, new OrganizationId("org-1"), new ConfigId("cfg1"), now));
            }).ToList();
            await store.EnqueueAsync(deliveries, ct);
            var claimed = await store.ClaimDueAsync("node-1", now, now.AddMinutes(5), 40, ct);
            Assert.Equal(40, claimed.Count);
            Assert.All(await Task.WhenAll(claimed.Select(job => outcomes.CompleteAsync(new JobCompletion
            {
                Job = job, Owner = "node-1",
                Event = new EventUpdate { EventId = job.EventId, Status = EventStatus.Succeeded, RetryAttempt = 0, StartDate = now, EndDate = now },
            }))), Assert.True);
        }
        await using (var fill = _database.DataSource.CreateCommand("""
            INSERT INTO delivery_jobs (event_id, org_id, config_id, kind, due_at, lease_owner, lease_until)
            SELECT 'ev-' || i, 'org-1', 'cfg1', 'deliver', now(), 'node-2', now() + interval '5 minutes' FROM generate_series(1, 5000) AS i
            """))
        {
            await fill.ExecuteNonQueryAsync(ct);
        }

        // The store's write connections (those it keeps, then the pool's idle ones) hold the finish prepared, with the
        // plan the server keeps for it.
        var held = new List<Npgsql.NpgsqlConnection>();
        Npgsql.NpgsqlConnection? connection = null;
        string? name = null;
        try
        {
            while (name is null && held.Count < 4)
            {
                connection = await _database.TakeWriteConnectionAsync(ct);
                held.Add(connection);
                await using var find = new Npgsql.NpgsqlCommand("SELECT name FROM pg_prepared_statements WHERE statement LIKE 'WITH finished AS (%'", connection);
                name = (string?)await find.ExecuteScalarAsync(ct);
            }
            Assert.True(name is not null, "none of the store's connections holds the outcome's statement prepared");
            var lines = new List<string>();
            await using (var explain = new Npgsql.NpgsqlCommand($"EXPLAIN EXECUTE {name}('{{1}}'::bigint[], '{{node-1}}'::text[], '{{}}'::bigint[], '{{}}'::text[], '{{}}'::timestamptz[])", connection))
            await using (var reader = await explain.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    lines.Add(reader.GetString(0));
                }
            }
            var plan = string.Join('\n', lines);
            Assert.False(plan.Contains("Seq Scan on delivery_jobs", StringComparison.Ordinal), $"the finish's kept plan reads the whole queue:\n{plan}");
        }
        finally
        {
            foreach (var open in held)
            {
                await open.DisposeAsync();
            }
        }
    }

    /// <summary>Writes <paramref name="count"/> jobs not leased, due at <paramref name="dueAt"/>, straight into the queue.</summary>
    private async Task AddWaitingJobsAsync(int count, DateTimeOffset dueAt, CancellationToken ct)
    {
        await using var fill = _database!.DataSource.CreateCommand("""
            INSERT INTO delivery_jobs (event_id, org_id, config_id, kind, due_at)
            SELECT 'ev-' || i, 'org-1', 'cfg1', 'deliver', $2 FROM generate_series(1, $1) AS i
            """);
        fill.Parameters.Add(new Npgsql.NpgsqlParameter { Value = count });
        fill.Parameters.Add(new Npgsql.NpgsqlParameter { Value = dueAt });
        await fill.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The statement's plan, planned (and run, with <paramref name="analyze"/>) after <paramref name="settings"/> in one transaction that is rolled back.</summary>
    private async Task<string> ExplainAsync(string sql, object[] values, CancellationToken ct, IReadOnlyList<string>? settings = null, bool analyze = false)
    {
        await using var connection = await _database!.DataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        foreach (var setting in settings ?? [])
        {
            await using var set = new Npgsql.NpgsqlCommand(setting, connection, transaction);
            await set.ExecuteNonQueryAsync(ct);
        }
        await using var command = new Npgsql.NpgsqlCommand((analyze ? "EXPLAIN (ANALYZE, BUFFERS) " : "EXPLAIN ") + sql, connection, transaction);
        foreach (var value in values)
        {
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = value });
        }
        var lines = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                lines.Add(reader.GetString(0));
            }
        }
        await transaction.RollbackAsync(ct);
        return string.Join('\n', lines);
    }
}
