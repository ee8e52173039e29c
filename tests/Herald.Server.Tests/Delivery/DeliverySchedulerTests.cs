using Herald.Server.Delivery;

namespace Herald.Server.Tests.Delivery;

/// <summary>The scheduler's bounds come from the settings, half the node's slots each unless set.</summary>
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
}
