using Herald.Server.Delivery;
using Herald.Server.Http;

namespace Herald.Server.Tests.Delivery;

/// <summary>The pure booking of a rate-limited config's sends: spaced, held within the horizon, deferred beyond it.</summary>
public class ConfigRatesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly OrganizationId Org = new("org-1");
    private static readonly ConfigId Config = ConfigId.From("cfg1");

    [Fact]
    public void Sends_are_booked_one_interval_apart_and_those_beyond_the_horizon_are_deferred_in_turn()
    {
        var rates = new ConfigRates();
        var booked = Enumerable.Range(0, 12).Select(_ => rates.Book(Org, Config, 10, T0)).ToList();

        Assert.Equal(Enumerable.Range(0, 11).Select(i => (TimeSpan.FromMilliseconds(100 * i), (DateTimeOffset?)null)), booked.Take(11));
        Assert.Equal((TimeSpan.Zero, T0.AddMilliseconds(1100)), booked[11]);
        Assert.Equal((TimeSpan.Zero, T0.AddMilliseconds(1200)), rates.Book(Org, Config, 10, T0));
        // Another config has a schedule of its own.
        Assert.Equal((TimeSpan.Zero, (DateTimeOffset?)null), rates.Book(Org, ConfigId.From("cfg2"), 10, T0));
    }

    [Fact]
    public void A_booked_send_whose_timer_fired_late_still_starts_an_interval_after_the_last_start()
    {
        var rates = new ConfigRates();
        rates.Book(Org, Config, 10, T0);
        rates.Book(Org, Config, 10, T0);
        var late = T0.AddMilliseconds(500);

        Assert.Equal(TimeSpan.Zero, rates.Start(Org, Config, 10, late));
        Assert.Equal(TimeSpan.FromMilliseconds(100), rates.Start(Org, Config, 10, late));
        Assert.Equal(TimeSpan.Zero, rates.Start(Org, Config, 10, late.AddMilliseconds(100)));
    }
}
