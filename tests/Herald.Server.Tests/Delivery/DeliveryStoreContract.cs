using Herald.Server.Delivery;
using Herald.Server.Events;
using Herald.Server.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Herald.Server.Tests.Delivery;

/// <summary>What every <see cref="IDeliveryStore"/> must do with leases, run once per engine.</summary>
public abstract class DeliveryStoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(90);

    protected FakeTimeProvider Clock { get; } = new(T0);

    protected abstract Task<IDeliveryStore> StoreAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static NewDelivery Delivery(string eventId) => new(
        new EventRecord
        {
            EventId = eventId, OrgId = "org-1", ConfigId = "cfg1", EventName = "order_created", CreatedAt = T0, Status = EventStatus.InProgress,
            HttpMethod = "POST", Url = "https://receiver.example/hook", Input = """{"entity":{}}""",
        },
        new DeliveryJob(0, eventId, "org-1", "cfg1", JobKind.Deliver, 0, false, T0, null, null, 0));

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

    private static JobCompletion Finished(DeliveryJob job, string owner) =>
        new(job, owner, new EventUpdate(EventStatus.Succeeded, 0, """{"entity":{}}""", null, null, T0, T0), null, null);

    [Fact]
    public async Task New_events_and_completions_written_together_commit_together_or_not_at_all()
    {
        var store = await StoreAsync();
        var first = Guid.CreateVersion7(T0).ToString();
        await store.EnqueueAsync([Delivery(first)], Ct);
        var claimed = Assert.Single(await store.ClaimDueAsync("node-1", T0, T0 + Lease, 10, Ct));

        // The event id is taken: the database refuses the new event, and the completion beside it is not written either.
        await Assert.ThrowsAnyAsync<Exception>(() => store.WriteAsync([Delivery(first)], [Finished(claimed, "node-1")], Ct));
        Assert.Equal((1, 1), await store.CountAsync(T0, Ct));

        var second = Guid.CreateVersion7(T0.AddMilliseconds(1)).ToString();
        var (ids, held) = await store.WriteAsync([Delivery(second)], [Finished(claimed, "node-1")], Ct);

        Assert.Single(ids);
        Assert.Equal([true], held);
        Assert.Equal((1, 0), await store.CountAsync(T0, Ct));
        var next = Assert.Single(await store.ClaimDueAsync("node-1", T0, T0 + Lease, 10, Ct));
        Assert.Equal((ids[0], second), (next.JobId, next.EventId));
    }

    [Fact]
    public async Task A_new_event_the_database_refuses_does_not_fail_the_completions_committed_with_it()
    {
        var gated = new GatedStore(await StoreAsync());
        await using var writer = new QueueWriter(gated, new DeliverySignal());
        var taken = Guid.CreateVersion7(T0).ToString();
        await gated.EnqueueAsync([Delivery(taken)], Ct);
        var claimed = Assert.Single(await gated.ClaimDueAsync("node-1", T0, T0 + Lease, 10, Ct));

        // The first write holds the writer until the other two have queued: they are written as one batch.
        var opening = writer.EnqueueAsync([Delivery(Guid.CreateVersion7(T0.AddMilliseconds(1)).ToString())]);
        await gated.Entered.Task.WaitAsync(Ct);
        var refused = writer.EnqueueAsync([Delivery(taken)]);
        var completion = writer.CompleteAsync(Finished(claimed, "node-1"));
        gated.Open.SetResult();

        Assert.Single(await opening);
        await Assert.ThrowsAnyAsync<Exception>(() => refused);
        Assert.True(await completion);
        Assert.Equal(1, gated.TogetherWrites);
        Assert.Equal((1, 0), await gated.CountAsync(T0, Ct));
    }

    /// <summary>The engine's store, with its first enqueue held until the test opens the gate.</summary>
    private sealed class GatedStore(IDeliveryStore inner) : IDeliveryStore
    {
        private int _enqueues;
        private int _together;

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int TogetherWrites => _together;

        public async Task<IReadOnlyList<long>> EnqueueAsync(IReadOnlyList<NewDelivery> deliveries, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _enqueues) == 2)
            {
                Entered.SetResult();
                await Open.Task;
            }
            return await inner.EnqueueAsync(deliveries, cancellationToken);
        }

        public Task<(IReadOnlyList<long> JobIds, IReadOnlyList<bool> Held)> WriteAsync(
            IReadOnlyList<NewDelivery> deliveries, IReadOnlyList<JobCompletion> completions, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _together);
            return inner.WriteAsync(deliveries, completions, cancellationToken);
        }

        public Task<(IReadOnlyList<long>? JobIds, Herald.Server.Idempotency.StoredAnswer? Earlier)> EnqueueOnceAsync(
            IReadOnlyList<NewDelivery> deliveries, Herald.Server.Idempotency.IdempotencyClaim claim, CancellationToken cancellationToken) =>
            inner.EnqueueOnceAsync(deliveries, claim, cancellationToken);

        public Task<IReadOnlyList<string>> EnqueueReplaysAsync(IReadOnlyList<ReplayJob> replays, DateTimeOffset dueAt, CancellationToken cancellationToken) =>
            inner.EnqueueReplaysAsync(replays, dueAt, cancellationToken);

        public Task<IReadOnlyList<DeliveryJob>> ClaimDueAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken) =>
            inner.ClaimDueAsync(owner, now, leaseUntil, max, cancellationToken);

        public Task<IReadOnlyDictionary<string, EventRecord>> EventsOfAsync(IReadOnlyList<DeliveryJob> jobs, CancellationToken cancellationToken) =>
            inner.EventsOfAsync(jobs, cancellationToken);

        public Task RenewAsync(string owner, IReadOnlyCollection<long> jobIds, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
            inner.RenewAsync(owner, jobIds, leaseUntil, cancellationToken);

        public Task ReleaseAsync(string owner, IReadOnlyCollection<long> jobIds, DateTimeOffset dueAt, CancellationToken cancellationToken) =>
            inner.ReleaseAsync(owner, jobIds, dueAt, cancellationToken);

        public Task<IReadOnlyList<bool>> CompleteAsync(IReadOnlyList<JobCompletion> completions, CancellationToken cancellationToken) =>
            inner.CompleteAsync(completions, cancellationToken);

        public Task<(int Pending, int Leased)> CountAsync(DateTimeOffset now, CancellationToken cancellationToken) => inner.CountAsync(now, cancellationToken);
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
        var stored = (await store.EventsOfAsync([last!], Ct))[eventId];
        Assert.Equal(EventStatus.Failed, stored.Status);
        Assert.Equal(now, stored.EndDate);
        var response = System.Text.Json.Nodes.JsonNode.Parse(stored.HttpResponse!)!;
        Assert.Equal("INTERNAL_ERROR", response["code"]!.GetValue<string>());
        Assert.Contains("Delivery:MaxLeaseExpiries", response["message"]!.GetValue<string>());
    }

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

    protected override async Task<IDeliveryStore> StoreAsync() => new SqliteDeliveryStore(await Engines.SqliteAsync(_folder, Clock));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}

public sealed class PostgresDeliveryStoreTests(PostgresServer server) : DeliveryStoreContract
{
    protected override async Task<IDeliveryStore> StoreAsync() => new PostgresDeliveryStore(await Engines.PostgresAsync(server, Clock));
}
