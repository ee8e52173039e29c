using Herald.Server.Delivery;
using Herald.Server.Egress;
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
        var (scheduler, wait, _) = FullNodeHeld(delivery, time);
        return (scheduler, (org, destination) => wait(org, destination, TestContext.Current.CancellationToken));
    }

    /// <summary><see cref="FullNode"/>, with the sends that fill it and a <c>Wait</c> that takes its own cancellation.</summary>
    private static (DeliveryScheduler Scheduler, Func<string, string, CancellationToken, Task<SendPermit>> Wait, Task<SendPermit>[] Held) FullNodeHeld(
        DeliveryOptions delivery, TimeProvider time)
    {
        var scheduler = new DeliveryScheduler(new WorkerOptions { Concurrency = 2 }, delivery, time);
        var order = 0L;
        Task<SendPermit> Wait(string org, string destination, CancellationToken cancellationToken) =>
            scheduler.WaitAsync(new OrganizationId(org), destination, ++order, cancellationToken);
        List<Task<SendPermit>> held = [Wait("a", "x", default), Wait("a", "x", default), Wait("b", "y", default)];
        Assert.All(held, permit => Assert.True(permit.IsCompletedSuccessfully));
        return (scheduler, Wait, held.ToArray());
    }

    /// <summary>
    /// Checks that <paramref name="waiting"/> still waits 1 ms before the default full node wait has passed since now,
    /// and has started (then ends its send) once it has.
    /// </summary>
    private static async Task LetThroughAfterTheFullNodeWaitAsync(FakeTimeProvider time, Task<SendPermit> waiting)
    {
        time.Advance(new DeliveryOptions().FullNodeWait - TimeSpan.FromMilliseconds(1));
        Assert.False(waiting.IsCompleted, "let through before it had waited the full node wait");
        time.Advance(TimeSpan.FromMilliseconds(1));
        (await waiting).Dispose();
    }

    /// <summary>
    /// The full node wait counts from when the organization began to wait with none in flight: a wait it left (its
    /// waiter gave up) does not shorten the next one.
    /// </summary>
    [Fact]
    public async Task A_wait_an_organization_left_does_not_shorten_its_next_full_node_wait()
    {
        var time = new FakeTimeProvider();
        var (scheduler, wait, _) = FullNodeHeld(new DeliveryOptions(), time);

        using var leave = new CancellationTokenSource();
        var left = wait("c", "z", leave.Token);
        time.Advance(TimeSpan.FromMilliseconds(500));
        await leave.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => left);

        time.Advance(TimeSpan.FromMilliseconds(100));
        var next = wait("c", "z", TestContext.Current.CancellationToken);
        await LetThroughAfterTheFullNodeWaitAsync(time, next);
        Assert.Equal(1, scheduler.LetThrough);
    }

    /// <summary>
    /// Likewise after a send of its started and ended: its next wait with none in flight is measured from then.
    /// </summary>
    [Fact]
    public async Task A_send_an_organization_started_meanwhile_starts_its_full_node_wait_afresh()
    {
        var time = new FakeTimeProvider();
        var (scheduler, wait, held) = FullNodeHeld(new DeliveryOptions(), time);
        var ct = TestContext.Current.CancellationToken;

        var first = wait("c", "z", ct);
        time.Advance(TimeSpan.FromMilliseconds(500));
        // a's two sends end: c's starts in one of the slots, and the node is full again.
        (await held[0]).Dispose();
        (await held[1]).Dispose();
        Assert.True(first.IsCompletedSuccessfully, "c's send did not take a slot a's left");
        var started = await first;
        Assert.Equal(0, scheduler.LetThrough);
        var third = wait("a", "x", ct);
        var second = wait("c", "w", ct);
        Assert.False(second.IsCompleted);

        // c's send ends at 600 ms: a's waiter takes the slot, and c waits with none in flight from now.
        time.Advance(TimeSpan.FromMilliseconds(100));
        started.Dispose();
        Assert.True(third.IsCompletedSuccessfully);
        Assert.False(second.IsCompleted);
        await LetThroughAfterTheFullNodeWaitAsync(time, second);
        Assert.Equal(1, scheduler.LetThrough);
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
        await LetThroughAfterTheFullNodeWaitAsync(time, first);
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

    /// <summary>
    /// Destinations whose breaker opened and whose cool-down ended with no job left to probe them (their events ended,
    /// their configs changed) leave nothing on the node once the breakers are past their bound: an organization that
    /// points its configs at new dead destinations without end cannot grow a node's memory. Each destination here
    /// fails its one send until its breaker opens.
    /// </summary>
    [Fact]
    public async Task Destinations_no_job_came_back_to_are_forgotten_past_the_bound()
    {
        var time = new FakeTimeProvider();
        const int bound = 100;
        var delivery = new DeliveryOptions { Breaker = new BreakerOptions { Failures = 1, CoolDown = TimeSpan.FromSeconds(30), MaxTracked = bound } };
        var scheduler = new DeliveryScheduler(new WorkerOptions { Concurrency = 4 }, delivery, time);
        var orgId = new OrganizationId("org-1");
        var failure = AttemptResult.Failure(Server.Events.DeliveryCode.ConnectionError, "refused", retryable: true);
        var order = 0L;
        async Task FailAsync(string destination)
        {
            using var permit = await scheduler.WaitAsync(orgId, destination, ++order, TestContext.Current.CancellationToken);
            permit.Report(failure);
        }
        for (var i = 0; i < bound; i++)
        {
            await FailAsync($"https://gone-{i}.example:443");
        }
        Assert.Equal((bound, bound), scheduler.Tracked);

        // Every cool-down ends; no job is left to probe any of them.
        time.Advance(TimeSpan.FromSeconds(31));
        await FailAsync("https://new.example:443");

        Assert.Equal((1, 1), scheduler.Tracked);
        var permit = await scheduler.WaitAsync(orgId, "https://gone-0.example:443", ++order, TestContext.Current.CancellationToken);
        Assert.False(permit.Probe);
        permit.Dispose();
    }
}
