using Herald.Server.Delivery;
using Herald.Server.Http;
using Microsoft.Extensions.Time.Testing;

namespace Herald.Server.Tests.Delivery;

/// <summary>
/// The scheduler's bounds come from the settings, half the node's slots each unless set; an organization kept waiting
/// with no send in flight is let through a full node after <c>Delivery:FullNodeWait</c>.
/// </summary>
public sealed class DeliverySchedulerTests
{
    [Fact]
    public void Unset_bounds_are_half_the_node()
    {
        var scheduler = new DeliveryScheduler(new WorkerOptions { Concurrency = 40 }, new DeliveryOptions());

        Assert.Equal((40, 20, 20), (scheduler.Total, scheduler.PerOrganization, scheduler.PerDestination));
        Assert.Equal(1, new DeliveryScheduler(new WorkerOptions { Concurrency = 1 }, new DeliveryOptions()).PerDestination);
    }

    [Theory]
    [InlineData(0, 4, 4, "Workers:Concurrency")]
    [InlineData(8, 0, 4, "Delivery:MaxConcurrentPerOrganization")]
    [InlineData(8, 4, 0, "Delivery:MaxConcurrentPerDestination")]
    public void A_bound_below_one_stops_the_start_naming_its_setting(int concurrency, int perOrganization, int perDestination, string setting)
    {
        var error = Assert.Throws<Herald.Server.Http.InvalidSettingException>(() => new DeliveryScheduler(
            new WorkerOptions { Concurrency = concurrency },
            new DeliveryOptions { MaxConcurrentPerOrganization = perOrganization, MaxConcurrentPerDestination = perDestination }));

        Assert.StartsWith(setting + " must be at least 1", error.Message);
    }

    /// <summary>
    /// A node of two slots whose every slot and share is held by sends that do not end: a borrowed both slots while
    /// alone, b overtook it within its share. <c>Wait</c> asks for a send of an organization to a destination.
    /// </summary>
    private static (DeliveryScheduler Scheduler, Func<string, string, Task<SendPermit>> Wait) FullNode(DeliveryOptions delivery, TimeProvider time)
    {
        var scheduler = new DeliveryScheduler(new WorkerOptions { Concurrency = 2 }, delivery, time);
        var order = 0L;
        Task<SendPermit> Wait(string org, string destination) =>
            scheduler.WaitAsync(new OrganizationId(org), destination, ++order, TestContext.Current.CancellationToken);
        List<Task<SendPermit>> held = [Wait("a", "x"), Wait("a", "x"), Wait("b", "y")];
        Assert.All(held, permit => Assert.True(permit.IsCompletedSuccessfully));
        return (scheduler, Wait);
    }

    /// <summary>
    /// On a full node (<see cref="FullNode"/>), c's send waits until its organization has waited the full node wait with
    /// none in flight, then starts; its next starts only once that one ends, still beyond the bound.
    /// </summary>
    [Fact]
    public async Task An_organization_with_no_send_in_flight_is_let_through_a_full_node_after_the_full_node_wait()
    {
        var time = new FakeTimeProvider();
        var (scheduler, wait) = FullNode(new DeliveryOptions(), time);

        var first = wait("c", "z");
        var second = wait("c", "w");
        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(first.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        (await first).Dispose();
        Assert.Equal(1, scheduler.LetThrough);
        (await second).Dispose();
        Assert.Equal(1, scheduler.LetThrough);

        // With none of c waiting any more, its next newcomer waits the full node wait again.
        var later = wait("c", "v");
        Assert.False(later.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        (await later).Dispose();
        Assert.Equal(2, scheduler.LetThrough);
    }

    [Fact]
    public void With_a_full_node_wait_of_zero_an_organization_with_no_send_in_flight_starts_at_once()
    {
        var (scheduler, wait) = FullNode(new DeliveryOptions { FullNodeWait = TimeSpan.Zero }, new FakeTimeProvider());

        Assert.True(wait("c", "z").IsCompletedSuccessfully);
        // Its second waits: one at a time.
        Assert.False(wait("c", "w").IsCompleted);
        Assert.Equal(1, scheduler.LetThrough);
    }
}
