using Herald.Server.Delivery;
using Herald.Server.Events;
using Herald.Server.Http;
using Herald.Server.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Herald.Server.Tests.Intake;

/// <summary>Replay jobs in the queue of each engine: queued for existing events only, and claimed one after the other.</summary>
public abstract class ReplayQueueContract
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    protected FakeTimeProvider Clock { get; } = new(T0);

    protected abstract Task<TestQueue> StoreAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Writes finished events (their jobs done), ready to be replayed.</summary>
    private static async Task LogAsync(TestQueue queue, params (string Id, string Org, string Config)[] events)
    {
        var deliveries = events.Select(e => new NewDelivery(
            new EventRecord
            {
                EventId = e.Id, OrgId = new OrganizationId(e.Org), ConfigId = new ConfigId(e.Config), EventName = "order_created", CreatedAt = T0, Status = EventStatus.InProgress,
                HttpMethod = "POST", Input = "{}",
            },
            TestQueue.Job(e.Id, new OrganizationId(e.Org), new ConfigId(e.Config), T0))).ToList();
        await queue.EnqueueAsync(deliveries, Ct);
        var jobs = await queue.ClaimDueAsync("setup", T0, T0.AddMinutes(1), events.Length, Ct);
        await queue.CompleteAsync(jobs.Select(j => new JobCompletion { Job = j, Owner = "setup", Event = new EventUpdate { EventId = j.EventId, Status = EventStatus.Succeeded, RetryAttempt = 0, Payload = "{}", HttpResponse = "{}", StartDate = T0, EndDate = T0 } }).ToList(), Ct);
    }

    private static Task<IReadOnlyList<bool>> FinishAsync(TestQueue queue, DeliveryJob job, string owner) =>
        queue.CompleteAsync([new JobCompletion { Job = job, Owner = owner, Event = new EventUpdate { EventId = job.EventId, Status = EventStatus.Succeeded, RetryAttempt = 0, Payload = null, HttpResponse = "{}", StartDate = T0, EndDate = T0 } }], Ct);

    [Fact]
    public async Task Replays_of_one_call_are_claimed_one_at_a_time_in_the_given_order()
    {
        var queue = await StoreAsync();
        await LogAsync(queue, ("e1", "org", "cfg"), ("e2", "org", "cfg"), ("e3", "org", "cfg"));

        var queued = await queue.EnqueueReplaysAsync([new("e3", new OrganizationId("org"), new ConfigId("cfg"), true), new("e1", new OrganizationId("org"), new ConfigId("cfg"), true), new("e2", new OrganizationId("org"), new ConfigId("cfg"), true)], T0, Ct);

        Assert.Equal(["e3", "e1", "e2"], queued);
        var order = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            // However many a worker asks for, only the head of the chain is claimable.
            var claimed = await queue.ClaimDueAsync("w", T0, T0.AddMinutes(1), 10, Ct);
            var job = Assert.Single(claimed);
            Assert.Equal((JobKind.Replay, true, 0), (job.Kind, job.ReapplyTransform, job.Attempt));
            Assert.Empty(await queue.ClaimDueAsync("other", T0, T0.AddMinutes(1), 10, Ct));
            order.Add(job.EventId);
            Assert.Equal([true], await FinishAsync(queue, job, "w"));
        }
        Assert.Equal(["e3", "e1", "e2"], order);
        Assert.Empty(await queue.ClaimDueAsync("w", T0, T0.AddMinutes(1), 10, Ct));
    }

    [Fact]
    public async Task A_chain_waits_while_its_head_is_released_or_its_lease_runs_out_and_moves_on_once_it_is_done()
    {
        var queue = await StoreAsync();
        await LogAsync(queue, ("e1", "org", "cfg"), ("e2", "org", "cfg"));
        await queue.EnqueueReplaysAsync([new("e1", new OrganizationId("org"), new ConfigId("cfg"), false), new("e2", new OrganizationId("org"), new ConfigId("cfg"), false)], T0, Ct);

        var head = Assert.Single(await queue.ClaimDueAsync("w", T0, T0.AddMinutes(1), 10, Ct));
        await queue.ReleaseAsync("w", [head.JobId], T0.AddSeconds(1), Ct);
        Assert.Empty(await queue.ClaimDueAsync("w", T0, T0.AddMinutes(1), 10, Ct));
        head = Assert.Single(await queue.ClaimDueAsync("w", T0.AddSeconds(1), T0.AddSeconds(30), 10, Ct));
        var reclaimed = Assert.Single(await queue.ClaimDueAsync("w2", T0.AddSeconds(31), T0.AddMinutes(2), 10, Ct));
        Assert.Equal((head.JobId, 1), (reclaimed.JobId, reclaimed.Reclaims));

        Assert.Equal([true], await FinishAsync(queue, reclaimed, "w2"));
        Assert.Equal("e2", Assert.Single(await queue.ClaimDueAsync("w", T0.AddSeconds(31), T0.AddMinutes(2), 10, Ct)).EventId);
    }

    [Fact]
    public async Task Separate_calls_make_separate_chains_and_delivery_jobs_are_not_held_up()
    {
        var queue = await StoreAsync();
        await LogAsync(queue, ("e1", "org", "cfg"), ("e2", "org", "cfg"), ("e3", "org", "cfg"));
        await queue.EnqueueReplaysAsync([new("e1", new OrganizationId("org"), new ConfigId("cfg"), false), new("e2", new OrganizationId("org"), new ConfigId("cfg"), false)], T0, Ct);
        await queue.EnqueueReplaysAsync([new("e3", new OrganizationId("org"), new ConfigId("cfg"), false)], T0, Ct);
        var fresh = new EventRecord
        {
            EventId = "e4", OrgId = new OrganizationId("org"), ConfigId = new ConfigId("cfg"), EventName = "order_created", CreatedAt = T0, Status = EventStatus.InProgress,
            HttpMethod = "POST", Input = "{}",
        };
        await queue.EnqueueAsync([new NewDelivery(fresh, TestQueue.Job("e4", new OrganizationId("org"), new ConfigId("cfg"), T0))], Ct);

        var claimed = await queue.ClaimDueAsync("w", T0, T0.AddMinutes(1), 10, Ct);

        Assert.Equal(["e1", "e3", "e4"], claimed.Select(j => j.EventId));
    }

    [Fact]
    public async Task Only_events_in_the_log_under_that_organization_and_config_get_a_replay_and_the_chain_closes_over_the_gaps()
    {
        var queue = await StoreAsync();
        await LogAsync(queue, ("e1", "org", "cfg"), ("e2", "org", "cfg"), ("theirs", "org-2", "cfg"), ("elsewhere", "org", "cfg-2"));

        var queued = await queue.EnqueueReplaysAsync(
            [new("e1", new OrganizationId("org"), new ConfigId("cfg"), false), new("missing", new OrganizationId("org"), new ConfigId("cfg"), false), new("theirs", new OrganizationId("org"), new ConfigId("cfg"), false), new("elsewhere", new OrganizationId("org"), new ConfigId("cfg"), false), new("e2", new OrganizationId("org"), new ConfigId("cfg"), false)],
            T0, Ct);

        Assert.Equal(["e1", "e2"], queued);
        var first = Assert.Single(await queue.ClaimDueAsync("w", T0, T0.AddMinutes(1), 10, Ct));
        await FinishAsync(queue, first, "w");
        Assert.Equal("e2", Assert.Single(await queue.ClaimDueAsync("w", T0, T0.AddMinutes(1), 10, Ct)).EventId);
        Assert.Empty(await queue.EnqueueReplaysAsync([new("missing", new OrganizationId("org"), new ConfigId("cfg"), false)], T0, Ct));
    }

    [Fact]
    public async Task A_replay_is_not_claimed_before_it_is_due()
    {
        var queue = await StoreAsync();
        await LogAsync(queue, ("e1", "org", "cfg"));

        await queue.EnqueueReplaysAsync([new("e1", new OrganizationId("org"), new ConfigId("cfg"), false)], T0.AddSeconds(10), Ct);

        Assert.Empty(await queue.ClaimDueAsync("w", T0, T0.AddMinutes(1), 10, Ct));
        Assert.Single(await queue.ClaimDueAsync("w", T0.AddSeconds(10), T0.AddMinutes(1), 10, Ct));
    }
}

public sealed class SqliteReplayQueueTests : ReplayQueueContract, IDisposable
{
    private readonly TempDirectory _folder = new();

    protected override async Task<TestQueue> StoreAsync() => TestQueue.Sqlite(await Engines.SqliteAsync(_folder, Clock));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}

public sealed class PostgresReplayQueueTests(PostgresServer server) : ReplayQueueContract
{
    protected override async Task<TestQueue> StoreAsync() => TestQueue.Postgres(await Engines.PostgresAsync(server, Clock));
}
