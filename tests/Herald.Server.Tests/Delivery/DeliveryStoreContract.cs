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
        new EventRecord(eventId, "org-1", "cfg1", "order_created", T0, EventStatus.InProgress, 0, "POST", "https://receiver.example/hook", null,
            """{"entity":{}}""", null, null, null, null, null),
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
